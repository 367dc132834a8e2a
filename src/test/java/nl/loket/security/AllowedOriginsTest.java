package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.BehindTheProxy;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A municipality's site embeds the widget from its own origin: with {@code loket.allowed-origins}
 * set, that origin may call the public REST endpoints from the browser (CORS) and open the
 * resident WebSocket; any other origin may do neither (docs/protocol.md §10).
 */
@QuarkusTest
@TestProfile(BehindTheProxy.class)
class AllowedOriginsTest {

    static final String SITE = BehindTheProxy.SITE;
    static final String OTHER = "https://evil.example";

    @TestHTTPResource("/")
    URI base;

    @Test
    void theAllowedOriginGetsCorsHeadersOnPreflightAndRequest() {
        String topic = TestTopics.create();
        Response preflight = preflight(SITE);
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo(SITE);
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("POST");
        assertThat(preflight.header("Access-Control-Allow-Headers").toLowerCase()).contains("content-type");

        Response started = given().header("Origin", SITE).contentType(ContentType.JSON).body(Map.of("topic", topic))
                .post("/api/v1/conversations");
        assertThat(started.statusCode()).isEqualTo(201);
        assertThat(started.header("Access-Control-Allow-Origin")).isEqualTo(SITE);
        // the widget on that site reads a 503's Retry-After (docs/protocol.md §10)
        assertThat(started.header("Access-Control-Expose-Headers")).containsIgnoringCase("Retry-After");

        // Loket authenticates with a bearer token and sets no cookie; the widget sends none
        // (credentials: 'omit'), so no origin is told that a request with the browser's credentials may be read
        assertThat(preflight.header("Access-Control-Allow-Credentials")).isNotEqualTo("true");
        assertThat(started.header("Access-Control-Allow-Credentials")).isNotEqualTo("true");

        Response topics = given().header("Origin", SITE).get("/api/v1/topics");
        assertThat(topics.statusCode()).isEqualTo(200);
        assertThat(topics.header("Access-Control-Allow-Origin")).isEqualTo(SITE);
    }

    @Test
    void theAllowedOriginOpensTheResidentSocket() {
        JsonObject started = Api.start(TestTopics.create(), null);
        assertThat(WsClient.upgradeStatus(base, "/ws/resident/" + started.getString("id"), started.getString("token"), SITE))
                .isEqualTo(101);
    }

    @Test
    void anotherOriginGetsNoCorsHeadersAndNoSocket() {
        Response preflight = preflight(OTHER);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
        Response topics = given().header("Origin", OTHER).get("/api/v1/topics");
        assertThat(topics.header("Access-Control-Allow-Origin")).isNull();

        JsonObject started = Api.start(TestTopics.create(), null);
        String path = "/ws/resident/" + started.getString("id");
        String token = started.getString("token");
        assertThat(WsClient.upgradeStatus(base, path, token, OTHER)).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, path, token, "https://voorbeeld.nl")).isEqualTo(403);
        // a client that is no browser sends no Origin, and is let in
        assertThat(WsClient.upgradeStatus(base, path, token, null)).isEqualTo(101);
    }

    @Test
    void anotherPortOrSchemeOnTheSameHostIsAnotherOrigin() {
        JsonObject started = Api.start(TestTopics.create(), null);
        String path = "/ws/resident/" + started.getString("id");
        String token = started.getString("token");
        String otherPort = "http://" + base.getHost() + ":" + (base.getPort() + 1);
        String otherScheme = "https://" + base.getHost() + ":" + base.getPort();
        // another service on the same host (another port), or the same host and port under https
        assertThat(WsClient.upgradeStatus(base, path, token, otherPort)).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, path, token, otherScheme)).isEqualTo(403);
        for (String origin : new String[] {otherPort, otherScheme}) {
            assertThat(preflight(origin).header("Access-Control-Allow-Origin")).as(origin).isNull();
            assertThat(given().header("Origin", origin).get("/api/v1/topics").header("Access-Control-Allow-Origin")).as(origin).isNull();
        }
        // the page the service itself serves (the demo page, the console) is the same origin
        assertThat(WsClient.upgradeStatus(base, path, token, "http://" + base.getHost() + ":" + base.getPort())).isEqualTo(101);
    }

    private static Response preflight(String origin) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .options("/api/v1/conversations");
    }
}
