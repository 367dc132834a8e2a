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
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A municipality's site embeds the widget from its own origin: with {@code loket.allowed-origins}
 * set, that origin may call the widget's REST endpoints from the browser (CORS) and open the
 * resident WebSocket, and nothing else: the console's, the administrator's and the integrators'
 * endpoints answer it as any other site, same origin only; any other origin may do neither
 * (docs/protocol.md §10).
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
    void theAllowedOriginGetsCorsOnEveryEndpointTheWidgetCalls() {
        JsonObject started = Api.start(TestTopics.create(), null);
        String id = started.getString("id");
        String token = started.getString("token");
        String callback = UUID.randomUUID().toString();
        // the widget's calls (frontend-widget/src/api.ts) and the rest of a resident's (docs/protocol.md §3)
        String[][] widget = {
                {"GET", "/api/v1/topics"}, {"GET", "/api/v1/settings"}, {"POST", "/api/v1/conversations"},
                {"GET", "/api/v1/conversations/" + id}, {"GET", "/api/v1/conversations/" + id + "/transcript"},
                {"GET", "/api/v1/conversations/" + id + "/transcript.txt"}, {"POST", "/api/v1/conversations/" + id + "/rating"},
                {"POST", "/api/v1/callbacks"}, {"GET", "/api/v1/callbacks/" + callback}, {"DELETE", "/api/v1/callbacks/" + callback},
        };
        for (String[] call : widget) {
            Response preflight = preflight(SITE, call[0], call[1]);
            assertThat(preflight.header("Access-Control-Allow-Origin")).as("preflight %s %s", call[0], call[1]).isEqualTo(SITE);
        }
        for (String path : new String[] {"/api/v1/topics", "/api/v1/settings"}) {
            Response answer = given().header("Origin", SITE).get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertThat(answer.header("Access-Control-Allow-Origin")).as(path).isEqualTo(SITE);
        }
        Response transcript = given().header("Origin", SITE).auth().oauth2(token).accept(ContentType.JSON)
                .get("/api/v1/conversations/" + id + "/transcript");
        assertThat(transcript.statusCode()).isEqualTo(200);
        assertThat(transcript.header("Access-Control-Allow-Origin")).isEqualTo(SITE);
    }

    @Test
    void theAllowedOriginGetsNoCorsOnTheStaffEndpoints() {
        String admin = Api.adminToken();
        String id = Api.start(TestTopics.create(), null).getString("id");
        String[][] staff = {
                {"POST", "/api/v1/auth/token"}, {"GET", "/api/v1/admin/users"}, {"GET", "/api/v1/callbacks"},
                {"POST", "/api/v1/callbacks/" + UUID.randomUUID() + "/claim"}, {"GET", "/api/v1/conversations"},
                {"GET", "/api/v1/conversations/search"}, {"GET", "/api/v1/conversations/" + id + "/klantcontact"},
                {"PUT", "/api/v1/capacity/afval"}, {"GET", "/api/v1/queue"}, {"DELETE", "/api/v1/admin/conversations/" + id + "/personal-data"},
        };
        for (String[] call : staff) {
            Response preflight = preflight(SITE, call[0], call[1]);
            assertThat(preflight.header("Access-Control-Allow-Origin")).as("preflight %s %s", call[0], call[1]).isNull();
        }
        // even with a staff token (which the site never has), its page is not let read the answer
        Response users = given().header("Origin", SITE).auth().oauth2(admin).get("/api/v1/admin/users");
        assertThat(users.header("Access-Control-Allow-Origin")).isNull();
        assertThat(users.statusCode()).isEqualTo(403);
        Response login = given().header("Origin", SITE).contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD)).post("/api/v1/auth/token");
        assertThat(login.header("Access-Control-Allow-Origin")).isNull();
        assertThat(login.statusCode()).isEqualTo(403);

        // the console, on the service's own origin, goes on as before
        String own = "http://" + base.getHost() + ":" + base.getPort();
        assertThat(given().header("Origin", own).auth().oauth2(admin).get("/api/v1/admin/users").statusCode()).isEqualTo(200);
        assertThat(given().header("Origin", own).contentType(ContentType.JSON)
                .body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD)).post("/api/v1/auth/token").statusCode()).isEqualTo(200);
    }

    @Test
    void theAllowedOriginOpensTheResidentSocket() {
        JsonObject started = Api.start(TestTopics.create(), null);
        assertThat(WsClient.upgradeStatus(base, "/ws/resident/" + started.getString("id"), started.getString("token"), SITE))
                .isEqualTo(101);
    }

    @Test
    void theAllowedOriginCannotOpenTheAgentSocket() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Origin Agent", List.of(topic), 1);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", agent.token(), SITE)).isEqualTo(403);
        // the console, on the service's own origin
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", agent.token(), "http://" + base.getHost() + ":" + base.getPort()))
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
        return preflight(origin, "POST", "/api/v1/conversations");
    }

    private static Response preflight(String origin, String method, String path) {
        return given().header("Origin", origin).header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", "authorization,content-type")
                .options(path);
    }
}
