package nl.loket.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.BehindTheProxy;
import nl.loket.TestTopics;
import nl.loket.ops.DrainingNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The answers to a WebSocket upgrade, as a browser gets them from behind the trusted proxy: the
 * 101 that opens the resident's or the agent's socket, and the refusals (no token, another
 * conversation's token, another site, a bad {@code after}, a node that drains). A browser may reach Loket first through {@code wss://};
 * that answer must hold it to https as every other answer does. Never over plain http, nor for a
 * client that is no trusted proxy claiming https.
 */
@QuarkusTest
@TestProfile(BehindTheProxy.class)
class UpgradeSecurityHeadersTest {

    static final String PUBLIC_HOST = "loket.gemeente.nl";
    static final String PUBLIC_ORIGIN = "https://" + PUBLIC_HOST;
    static final String SOMEONE_ELSE = "127.0.0.2";
    /** The default of loket.security.hsts-max-age: a year. */
    static final String A_YEAR = "max-age=31536000";
    static final Map<String, String> OVER_HTTPS = Map.of("X-Forwarded-Proto", "https", "X-Forwarded-Port", "443");

    @TestHTTPResource("/")
    URI base;

    @Test
    void theResidentsAndTheAgentsSocketsOpenWithItOverHttps() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        Head resident = upgrade(BehindTheProxy.PROXY, "/ws/resident/" + started.getString("id"), started.getString("token"),
                PUBLIC_ORIGIN, OVER_HTTPS);
        assertOpened(resident, "the resident's socket");
        assertThat(resident.values("strict-transport-security")).as("the resident's socket").containsExactly(A_YEAR);
        assertBrowserHeaders(resident, "the resident's socket");

        Api.Agent agent = Api.agent("Upgrade Headers Agent", List.of(TestTopics.create()), 1);
        Head agents = upgrade(BehindTheProxy.PROXY, "/ws/agent", agent.token(), PUBLIC_ORIGIN, OVER_HTTPS);
        assertOpened(agents, "the agent's socket");
        assertThat(agents.values("strict-transport-security")).as("the agent's socket").containsExactly(A_YEAR);
        assertBrowserHeaders(agents, "the agent's socket");
    }

    @Test
    void refusalsCarryItOverHttpsAndAreNotStored() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        JsonObject other = Api.start(TestTopics.create(), null);
        String path = "/ws/resident/" + started.getString("id");

        assertRefused(upgrade(BehindTheProxy.PROXY, path, null, PUBLIC_ORIGIN, OVER_HTTPS), 401, "no token");
        assertRefused(upgrade(BehindTheProxy.PROXY, path, other.getString("token"), PUBLIC_ORIGIN, OVER_HTTPS), 403,
                "another conversation's token");
        assertRefused(upgrade(BehindTheProxy.PROXY, path, started.getString("token"), "https://elders.example", OVER_HTTPS), 403,
                "another site");
        assertRefused(upgrade(BehindTheProxy.PROXY, "/ws/agent", null, PUBLIC_ORIGIN, OVER_HTTPS), 401, "the agent's socket without a token");
    }

    /** A resident socket asked for with an {@code after} that is no non-negative number (docs/protocol.md §2): 400. */
    @Test
    void aBadAfterIsRefusedWithItOverHttps() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        String path = "/ws/resident/" + started.getString("id") + "?after=";

        assertRefused(upgrade(BehindTheProxy.PROXY, path + "gisteren", started.getString("token"), PUBLIC_ORIGIN, OVER_HTTPS), 400,
                "after=gisteren");
        assertRefused(upgrade(BehindTheProxy.PROXY, path + "-1", started.getString("token"), PUBLIC_ORIGIN, OVER_HTTPS), 400,
                "after=-1");
    }

    /**
     * A node that drains for a rolling restart refuses every upgrade with 503, so the proxy tries
     * the next node; should a browser get the refusal, it holds it to https all the same.
     */
    @Test
    void aDrainingNodesRefusalCarriesItOverHttps() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        Api.Agent agent = Api.agent("Upgrade Draining Agent", List.of(TestTopics.create()), 1);
        DrainingNode.drainForThisTest();

        assertRefused(upgrade(BehindTheProxy.PROXY, "/ws/resident/" + started.getString("id"), started.getString("token"),
                PUBLIC_ORIGIN, OVER_HTTPS), 503, "the resident's socket on a draining node");
        assertRefused(upgrade(BehindTheProxy.PROXY, "/ws/agent", agent.token(), PUBLIC_ORIGIN, OVER_HTTPS), 503,
                "the agent's socket on a draining node");
    }

    @Test
    void noneOverPlainHttp() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        String path = "/ws/resident/" + started.getString("id");

        Head opened = upgrade(BehindTheProxy.PROXY, path, started.getString("token"), "http://" + PUBLIC_HOST, Map.of());
        assertOpened(opened, "over plain http");
        assertThat(opened.values("strict-transport-security")).as("over plain http").isEmpty();
        assertBrowserHeaders(opened, "over plain http");

        Head refused = upgrade(BehindTheProxy.PROXY, path, null, "http://" + PUBLIC_HOST, Map.of());
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.values("strict-transport-security")).as("a refusal over plain http").isEmpty();
        assertBrowserHeaders(refused, "a refusal over plain http");
        assertThat(refused.values("cache-control")).as("a refusal over plain http").containsExactly("no-store");
    }

    @Test
    void noneWhenSomeoneWhoIsNoTrustedProxyClaimsHttps() throws IOException {
        JsonObject started = Api.start(TestTopics.create(), null);
        // what that connection really is: plain http to the Host it named
        Head opened = upgrade(SOMEONE_ELSE, "/ws/resident/" + started.getString("id"), started.getString("token"),
                "http://" + PUBLIC_HOST, OVER_HTTPS);
        assertOpened(opened, "from someone else");
        assertThat(opened.values("strict-transport-security")).as("from someone else").isEmpty();
        assertBrowserHeaders(opened, "from someone else");
    }

    /** The upgrade went through: the socket is open, as a browser checks it (RFC 6455 §4.1). */
    private static void assertOpened(Head head, String what) {
        assertThat(head.status()).as(what).isEqualTo(101);
        assertThat(head.values("upgrade")).as(what).containsExactly("websocket");
        assertThat(head.values("sec-websocket-accept")).as(what).containsExactly("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    private static void assertBrowserHeaders(Head head, String what) {
        assertThat(head.values("x-content-type-options")).as(what).containsExactly("nosniff");
        assertThat(head.values("referrer-policy")).as(what).containsExactly("no-referrer");
    }

    private static void assertRefused(Head head, int status, String what) {
        assertThat(head.status()).as(what).isEqualTo(status);
        assertThat(head.values("strict-transport-security")).as(what).containsExactly(A_YEAR);
        assertBrowserHeaders(head, what);
        assertThat(head.values("cache-control")).as(what).containsExactly("no-store");
    }

    /** A browser's upgrade request on a bare socket from {@code from}, Host {@link #PUBLIC_HOST}; answers the response's head. */
    private Head upgrade(String from, String path, String token, String origin, Map<String, String> headers) throws IOException {
        StringBuilder request = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(PUBLIC_HOST).append("\r\n")
                .append("Upgrade: websocket\r\nConnection: Upgrade\r\n")
                .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n")
                .append("Origin: ").append(origin).append("\r\n");
        if (token != null) {
            request.append("Authorization: Bearer ").append(token).append("\r\n");
        }
        headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
        return Head.parse(BehindTheProxy.responseHead(from, base.getPort(), request.append("\r\n").toString()));
    }

    /** A response's status and headers (names in lower case, each value as often as it came). */
    record Head(int status, Map<String, List<String>> headers) {

        static Head parse(String head) {
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(lines[i].substring(colon + 1).strip());
                }
            }
            return new Head(status, headers);
        }

        List<String> values(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }
}
