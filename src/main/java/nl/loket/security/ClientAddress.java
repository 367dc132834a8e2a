package nl.loket.security;

import io.vertx.core.http.HttpServerRequest;

/** The client's address; Quarkus substitutes the forwarded one when proxy forwarding is on. */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
