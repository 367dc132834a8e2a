package nl.loket.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Problem;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request whose declared body is over {@code quarkus.http.limits.max-body-size}
 * ({@code LOKET_MAX_BODY_SIZE}) is refused with a problem, like every other refusal, before a
 * byte of its body is read. A body sent in chunks, without a declared length, is read here, up
 * to the limit, before the endpoint runs, and refused with the same problem once it grows past
 * it: left to the endpoint's reader, it was cut off there with a bare 413 (and an ERROR in the
 * log, when the endpoint then tried to answer the failed read). Browsers and HTTP clients declare
 * the length, so this is rare: such a body is held here, at most the limit, and the endpoint's
 * reader takes a copy of it; a body with a declared length is not read here at all
 * (docs/protocol.md §1).
 */
@ApplicationScoped
public class BodyLimit {

    private final long limit;
    private final String refusal;
    /** Fails the request with 413 once a body in chunks passes the limit ({@link #grownTooLarge}). */
    private final BodyHandler chunks;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
        String size = this.limit % 1024 == 0 ? this.limit / 1024 + " KiB" : this.limit + " bytes";
        this.refusal = Json.encode(Problem.of(413, "body-too-large", "Verzoek te groot / Request too large",
                "Het verzoek is groter dan " + size + "; stuur minder tekst. "
                        + "/ The request is larger than " + size + "; send less text."));
        this.chunks = BodyHandler.create(false).setBodyLimit(this.limit);
    }

    void install(@Observes Router router) {
        // after SecurityHeaders, so that the refusal carries its headers; before the framework's limit (-2)
        router.route().order(-9).handler(this::handle).failureHandler(this::grownTooLarge);
    }

    private void handle(RoutingContext rc) {
        String declared = rc.request().getHeader("Content-Length");
        if (declared != null && over(declared)) {
            refuse(rc);
            return;
        }
        if (declared == null && inChunks(rc.request())) {
            chunks.handle(rc); // goes on to the next route once the whole body is in
            return;
        }
        rc.next();
    }

    /** GET and HEAD (WebSocket upgrades among them) carry no body Loket reads: theirs is not read here either. */
    private static boolean inChunks(HttpServerRequest request) {
        return request.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                && request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD;
    }

    /** A body sent in chunks grew past the limit. */
    private void grownTooLarge(RoutingContext rc) {
        if (rc.statusCode() == 413 && !rc.response().headWritten()) {
            // the rest of the body would still be coming: end the connection with the answer. Its
            // end is no failure of the request then (the body's reader made it one: an ERROR)
            rc.request().exceptionHandler(closed -> { });
            rc.response().endHandler(v -> rc.request().connection().close());
            refuse(rc);
            return;
        }
        rc.next();
    }

    private void refuse(RoutingContext rc) {
        rc.response().setStatusCode(413)
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader("Connection", "close")
                .end(refusal);
    }

    private boolean over(String declared) {
        try {
            return Long.parseLong(declared.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // the framework answers a malformed length itself
        }
    }
}
