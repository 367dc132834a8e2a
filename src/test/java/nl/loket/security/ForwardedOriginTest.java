package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.BehindTheProxy;
import nl.loket.TestTopics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind the trusted proxy (docker/nginx.conf) the browser's page is at https://loket.gemeente.nl and
 * the node sees plain http with {@code X-Forwarded-Proto: https}: the same-origin check of a
 * WebSocket upgrade takes the public scheme from the proxy, and from the proxy only. Another
 * service on the same host (another port) or scheme is refused with 403, as is a client that is no
 * trusted proxy and claims https for itself.
 */
@QuarkusTest
@TestProfile(BehindTheProxy.class)
class ForwardedOriginTest {

    static final String PUBLIC_HOST = "loket.gemeente.nl";
    static final String PROXY = BehindTheProxy.PROXY;
    static final String SOMEONE_ELSE = "127.0.0.2";

    @TestHTTPResource("/")
    URI base;

    @Test
    void thePublicHttpsOriginPassesThroughTheProxyAndAnotherPortOrSchemeDoesNot() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        String path = "/ws/resident/" + started.getString("id");
        String token = started.getString("token");
        Map<String, String> proxied = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Port", "443", "X-Forwarded-For", "198.51.100.7");

        assertThat(upgrade(PROXY, path, token, "https://" + PUBLIC_HOST, proxied)).isEqualTo(101);
        assertThat(upgrade(PROXY, path, token, "https://" + PUBLIC_HOST + ":443", proxied)).isEqualTo(101);
        assertThat(upgrade(PROXY, path, token, "http://" + PUBLIC_HOST + ":8081", proxied)).isEqualTo(403);
        assertThat(upgrade(PROXY, path, token, "https://" + PUBLIC_HOST + ":8443", proxied)).isEqualTo(403);
        assertThat(upgrade(PROXY, path, token, "http://" + PUBLIC_HOST, proxied)).isEqualTo(403);
    }

    @Test
    void onlyTheTrustedProxyMaySayTheSchemeWasHttps() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        String path = "/ws/resident/" + started.getString("id");
        String token = started.getString("token");
        Map<String, String> forged = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Port", "443");

        assertThat(upgrade(SOMEONE_ELSE, path, token, "https://" + PUBLIC_HOST, forged)).isEqualTo(403);
        // what that connection really is: plain http to the Host it named
        assertThat(upgrade(SOMEONE_ELSE, path, token, "http://" + PUBLIC_HOST, forged)).isEqualTo(101);
    }

    @Test
    void theAgentSocketIsForTheConsolesOwnOriginOnlyNotForTheWidgetsSite() throws IOException {
        Api.Agent agent = Api.agent("Forwarded Agent", List.of(TestTopics.create()), 1);
        Map<String, String> proxied = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Port", "443", "X-Forwarded-For", "198.51.100.8");

        assertThat(upgrade(PROXY, "/ws/agent", agent.token(), "https://" + PUBLIC_HOST, proxied)).isEqualTo(101);
        // the site that embeds the widget (loket.allowed-origins) opens the resident socket, not this one
        assertThat(upgrade(PROXY, "/ws/agent", agent.token(), BehindTheProxy.SITE, proxied)).isEqualTo(403);
    }

    @Test
    void corsTakesNoOtherPortOrSchemeForTheSameOriginEither() throws IOException {
        Map<String, String> proxied = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Port", "443");
        for (String origin : new String[] {"http://" + PUBLIC_HOST + ":8081", "https://" + PUBLIC_HOST + ":8443", "http://" + PUBLIC_HOST}) {
            String head = head(PROXY, "OPTIONS /api/v1/conversations HTTP/1.1\r\nOrigin: " + origin
                    + "\r\nAccess-Control-Request-Method: POST\r\n", proxied);
            assertThat(head.toLowerCase()).as(origin).doesNotContain("access-control-allow-origin");
        }
    }

    /** A browser's upgrade request on a bare socket from {@code from}, with Host {@link #PUBLIC_HOST}; answers the status. */
    int upgrade(String from, String path, String token, String origin, Map<String, String> headers) throws IOException {
        String head = head(from, "GET " + path + " HTTP/1.1\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + token + "\r\n"
                + "Origin: " + origin + "\r\n", headers);
        return Integer.parseInt(head.substring(head.indexOf(' ') + 1, head.indexOf(' ') + 4));
    }

    /** Sends {@code start} (request line and headers), Host {@link #PUBLIC_HOST} and {@code headers} from {@code from}; answers the response's head. */
    private String head(String from, String start, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder(start).append("Host: ").append(PUBLIC_HOST).append("\r\n");
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        return BehindTheProxy.responseHead(from, base.getPort(), request.append("\r\n").toString());
    }
}
