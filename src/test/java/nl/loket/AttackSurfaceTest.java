package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An attacker's probes that no other test makes: unsigned and oversized tokens, a token in the
 * query string, binary frames and text frames that are no UTF-8, cross-origin preflights of
 * the public POSTs, and problem+json for odd input. While they run, no log line may carry a
 * token, a resident's name, phone number or message text.
 */
@QuarkusTest
class AttackSurfaceTest {

    private static final String NAME = "Zwaantje Kwakkelstein";
    private static final String PHONE = "0612398745";
    private static final String TEXT = "geheimbericht-kwak-77";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void anUnsignedOrOversizedStaffTokenOpensNothing() {
        String admin = Api.adminToken();
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(admin.split("\\.")[1]), StandardCharsets.UTF_8));
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String none = header + "." + b64(claims.encode()) + ".";
        given().auth().oauth2(none).get("/api/v1/admin/users").then().statusCode(401);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", none, null)).isEqualTo(401);
        // the admin's own signature under a header that claims none
        String stripped = header + "." + admin.split("\\.")[1] + "." + admin.split("\\.")[2];
        given().auth().oauth2(stripped).get("/api/v1/admin/users").then().statusCode(401);

        String longToken = admin + "A".repeat(6000);
        Response refused = given().auth().oauth2(longToken).get("/api/v1/admin/users");
        assertThat(refused.statusCode()).isEqualTo(401);
        String huge = admin + "A".repeat(40_000);
        try {
            assertThat(given().auth().oauth2(huge).get("/api/v1/admin/users").statusCode()).isIn(400, 401, 431);
        } catch (Exception e) {
            // the server may answer 431 and close while the client still writes the header (broken pipe): refused all the same
            assertThat(e).satisfiesAnyOf(x -> assertThat(x).isInstanceOf(SocketException.class),
                    x -> assertThat(x).hasRootCauseInstanceOf(SocketException.class));
        }
    }

    @Test
    void binaryFramesAndTextThatIsNoUtf8LeaveNoTraceButAnAnswer() throws Exception {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, null);
        try (LogCapture logs = new LogCapture();
             RawClient raw = RawClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"), true)) {
            raw.next("state", Duration.ofSeconds(10));
            raw.sendFrame(0x2, "{\"type\":\"leave\"}".getBytes(StandardCharsets.UTF_8));
            raw.sendFrame(0x1, new byte[]{'{', '"', 't', (byte) 0xC3, (byte) 0x28, '"', '}'});
            raw.send(frame("typing"));
            await().atMost(Duration.ofSeconds(10)).until(() -> !raw.isOpen() || logs.loket(Level.WARNING).size() > 0
                    || given().auth().oauth2(started.getString("token")).accept(ContentType.JSON)
                    .get("/api/v1/conversations/" + started.getString("id") + "/transcript").statusCode() == 200);
            System.out.println("ATTACK binary/utf8: open=" + raw.isOpen() + " close=" + raw.closeCode() + " " + raw.closeReason()
                    + " state=" + Api.transcript(started).getJsonObject("conversation").getString("state")
                    + "\nLOGS:\n" + logs.all());
            assertThat(Api.transcript(started).getJsonObject("conversation").getString("state"))
                    .as("a binary frame is not read as a frame").isEqualTo("queued");
            assertThat(logs.loket(Level.WARNING)).isEmpty();
        }
    }

    @Test
    void aTokenInTheQueryStringIsNoTokenAndIsNotLogged() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        String token = started.getString("token");
        try (LogCapture logs = new LogCapture()) {
            assertThat(WsClient.upgradeStatus(base, "/ws/resident/" + started.getString("id") + "?access_token=" + token, null, null))
                    .isIn(400, 401);
            assertThat(WsClient.upgradeStatus(base, "/ws/agent?access_token=" + token, null, null)).isEqualTo(401);
            given().queryParam("access_token", token).get("/api/v1/conversations/" + started.getString("id") + "/transcript")
                    .then().statusCode(401);
            assertThat(logs.all() + logs.stderr()).doesNotContain(token).doesNotContain(token.split("\\.")[2]);
        }
    }

    @Test
    void anotherSiteGetsNoCorsGrantForThePublicPosts() {
        for (String path : List.of("/api/v1/conversations", "/api/v1/callbacks", "/api/v1/auth/token")) {
            Response preflight = given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "content-type").options(path);
            System.out.println("ATTACK preflight " + path + " " + preflight.statusCode() + " " + preflight.headers());
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
            Response post = given().header("Origin", "https://evil.example").contentType(ContentType.JSON)
                    .body(Map.of("topic", "afval")).post(path);
            System.out.println("ATTACK post " + path + " " + post.statusCode() + " " + post.headers());
            assertThat(post.header("Access-Control-Allow-Origin")).isNull();
        }
    }

    /**
     * Nothing Loket is sent needs more than a few kilobytes; a public POST padded to 200 KB (or
     * 10 MB, the framework's default limit) was read into memory and answered 201, so a script
     * could make every node hold megabytes per request within the rate limit.
     */
    @Test
    void aBodyOverTheLimitIsRefusedUnread() {
        String topic = TestTopics.create(db);
        String padded = "{\"topic\":\"" + topic + "\"" + " ".repeat(200_000) + "}";
        for (String path : List.of("/api/v1/conversations", "/api/v1/callbacks", "/api/v1/auth/token")) {
            Response refused = given().contentType(ContentType.JSON).body(padded).post(path);
            assertThat(refused.statusCode()).as(path).isEqualTo(413);
            // a problem like every other refusal, saying the limit, in both languages
            assertThat(refused.contentType()).as(path).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("type")).as(path).isEqualTo("/problems/body-too-large");
            assertThat(refused.jsonPath().getString("detail")).as(path).contains("64 KiB");
        }
        // just under the limit, the same request is read as ever
        String fits = "{\"topic\":\"" + topic + "\"" + " ".repeat(60_000) + "}";
        given().contentType(ContentType.JSON).body(fits).post("/api/v1/conversations").then().statusCode(201);
    }

    @Test
    void oddInputIsAProblemThatNamesNoInternals() {
        String admin = Api.adminToken();
        List<Response> answers = List.of(
                given().auth().oauth2(admin).get("/api/v1/conversations/not-a-uuid"),
                given().auth().oauth2(admin).get("/api/v1/conversations/" + "9".repeat(36)),
                given().contentType(ContentType.JSON).body("{\"topic\":{\"$ne\":1}}").post("/api/v1/conversations"),
                given().contentType(ContentType.JSON).body("{\"topic\":\"afval\",\"name\":[1,2]}").post("/api/v1/conversations"),
                given().contentType(ContentType.JSON).body("{\"topic\":\"afval\",\"phone\":1e999999}").post("/api/v1/callbacks"),
                given().contentType(ContentType.JSON).body("[".repeat(5000)).post("/api/v1/callbacks"),
                given().contentType(ContentType.JSON).body("{\"topic\":\"x'; select pg_sleep(1)--\"}").post("/api/v1/conversations"),
                given().auth().oauth2(admin).queryParam("from", "'; drop table conversation--").get("/api/v1/conversations"),
                given().auth().oauth2(admin).queryParam("after", "1 or 1=1").get("/api/v1/conversations"));
        for (Response r : answers) {
            String body = r.asString();
            System.out.println("ATTACK problem " + r.statusCode() + " " + r.contentType() + " " + body);
            assertThat(r.statusCode()).isBetween(400, 499);
            assertThat(body).doesNotContainIgnoringCase("exception").doesNotContain("java.").doesNotContain("nl.loket")
                    .doesNotContainIgnoringCase("sql").doesNotContain("pg_sleep").doesNotContain("drop table");
        }
    }

    @Test
    void aWholeChatLogsNoNameNumberTextOrToken() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Noor", List.of(topic), 1);
        try (LogCapture logs = new LogCapture()) {
            JsonObject started = Api.start(topic, NAME);
            try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"));
                 WsClient console = WsClient.connect(base, "/ws/agent", agent.token())) {
                console.next("hello");
                resident.send(frame("message", "clientMsgId", "m1", "text", TEXT));
                console.send(frame("claim", "conversationId", started.getString("id")));
                console.next("assigned");
                console.send(frame("message", "conversationId", started.getString("id"), "clientMsgId", "a1", "text", TEXT + " terug"));
                resident.next(f -> "message".equals(f.getString("type")) && "agent".equals(f.getString("from")));
                console.send(frame("note", "conversationId", started.getString("id"), "clientMsgId", "n1", "text", TEXT + " notitie"));
                console.send(frame("callback", "conversationId", started.getString("id"), "phone", PHONE, "note", TEXT));
                resident.next(f -> "callback".equals(f.getString("state")) || "callback_created".equals(f.getString("type")));
            }
            String callbackToken = given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", PHONE, "name", NAME,
                    "note", TEXT)).post("/api/v1/callbacks").then().statusCode(201).extract().path("token");
            given().auth().oauth2(agent.token()).get("/api/v1/callbacks").then().statusCode(200);
            given().auth().oauth2(started.getString("token")).get("/api/v1/conversations/" + started.getString("id") + "/transcript.txt")
                    .then().statusCode(200);
            String everything = logs.all() + logs.stderr();
            assertThat(everything).doesNotContain(NAME).doesNotContain("Kwakkelstein").doesNotContain(PHONE)
                    .doesNotContain("98745").doesNotContain(TEXT)
                    .doesNotContain(started.getString("token")).doesNotContain(agent.token()).doesNotContain(callbackToken);
        }
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
