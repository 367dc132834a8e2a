package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/** Every kind of bad input gets a clear answer, and nothing else is lost. */
@QuarkusTest
class BadInputTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void residentFramesThatMakeNoSenseGetAnErrorAndTheConnectionStays() {
        JsonObject started = Api.start(TestTopics.create(db), "Els");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");

            resident.sendRaw("{not json");
            assertThat(resident.next("error").getString("code")).isEqualTo("bad_request");
            resident.send(frame("dance"));
            assertThat(resident.next("error").getString("code")).isEqualTo("bad_request");
            resident.send(frame("message", "text", "zonder id"));
            assertThat(resident.next("error").getString("code")).isEqualTo("bad_request");
            resident.send(frame("message", "clientMsgId", "e-1", "text", "   "));
            JsonObject empty = resident.next("error");
            assertThat(empty.getString("code")).isEqualTo("invalid_message");
            assertThat(empty.getString("clientMsgId")).isEqualTo("e-1");
            resident.send(frame("message", "clientMsgId", "e-2", "text", "x".repeat(2001)));
            assertThat(resident.next("error").getString("code")).isEqualTo("invalid_message");
            // PostgreSQL refuses a NUL character in text: said so, not an internal error
            resident.send(frame("message", "clientMsgId", "e-3", "text", "nul \u0000 teken"));
            JsonObject nul = resident.next("error");
            assertThat(nul.getString("code")).isEqualTo("invalid_message");
            assertThat(nul.getString("message")).contains("NUL");

            // 2000 characters is allowed, and the connection still works after all that
            resident.send(frame("message", "clientMsgId", "ok-1", "text", "y".repeat(2000)));
            JsonObject stored = resident.next("message");
            assertThat(stored.getInteger("seq")).isEqualTo(1);
            assertThat(resident.isOpen()).isTrue();
        }
    }

    @Test
    void aClientMsgIdWithANulCharacterIsABadRequestForResidentAndAgent() {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chat(base, topic, "Nora", 2, "Els");
        String id = chat.id();
        try (WsClient resident = chat.resident(); WsClient console = chat.console()) {
            // PostgreSQL refuses a NUL character in text, the id as much as the message: said so, not "internal"
            // (which the widget retries in vain, and which was counted as a failure of the service)
            resident.send(frame("message", "clientMsgId", "id-\u0000", "text", "hallo"));
            JsonObject refused = resident.next("error");
            assertThat(refused.getString("code")).isEqualTo("bad_request");
            console.send(frame("claim", "topic", topic));
            console.next("assigned");
            console.send(frame("message", "conversationId", id, "clientMsgId", "a-\u0000", "text", "goedemiddag"));
            assertThat(console.next("error").getString("code")).isEqualTo("bad_request");
            console.send(frame("note", "conversationId", id, "clientMsgId", "n-\u0000", "text", "notitie"));
            assertThat(console.next("error").getString("code")).isEqualTo("bad_request");

            // nothing was stored, and the same text with a good id goes through
            resident.send(frame("message", "clientMsgId", "id-1", "text", "hallo"));
            assertThat(resident.next("message").getString("clientMsgId")).isEqualTo("id-1");
            assertThat(resident.isOpen()).isTrue();
        }
    }

    @Test
    void aTopicWithANulCharacterInAClaimOrTransferIsRefusedClearly() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Olga", List.of(topic), 2);
        JsonObject started = Api.start(topic, "Els");
        String id = started.getString("id");
        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token())) {
            console.next("hello");
            console.send(frame("claim", "topic", topic + "\u0000", "ref", "c-1"));
            assertThat(console.next("error").getString("code")).as("a claim of a topic nobody serves").isEqualTo("topic_not_allowed");
            console.send(frame("claim", "topic", topic));
            console.next("assigned");
            console.send(frame("transfer", "conversationId", id, "topic", "elders\u0000", "ref", "t-1"));
            assertThat(console.next("error").getString("code")).as("a transfer to a topic that does not exist").isEqualTo("not_found");
            assertThat(console.isOpen()).isTrue();
        }
    }

    @Test
    void aFrameOver16KiBIsRefusedWithCloseCode1009() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            resident.send(frame("message", "clientMsgId", "big", "text", "z".repeat(17_000)));
            assertThat(resident.awaitClosed().getCode()).isEqualTo(1009);
        }
    }

    @Test
    void aFloodClosesTheConnectionWith1008() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            for (int i = 0; i < 25 && resident.isOpen(); i++) {
                resident.send(frame("typing"));
            }
            assertThat(resident.awaitClosed().getCode()).isEqualTo(1008);
        }
    }

    @Test
    void upgradesWithoutTheRightTokenOrOriginAreRefused() {
        JsonObject mine = Api.start(TestTopics.create(db), null);
        JsonObject theirs = Api.start(TestTopics.create(db), null);
        String path = "/ws/resident/" + mine.getString("id");
        assertThat(WsClient.upgradeStatus(base, path, null, null)).isEqualTo(401);
        assertThat(WsClient.upgradeStatus(base, path, "not-a-jwt", null)).isEqualTo(401);
        assertThat(WsClient.upgradeStatus(base, path, theirs.getString("token"), null)).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, path, mine.getString("token"), "https://evil.example")).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, path + "?after=abc", mine.getString("token"), null)).isEqualTo(400);
        assertThat(WsClient.upgradeStatus(base, path, mine.getString("token"), null)).isEqualTo(101);

        // a callback request's token is a resident token, but for no conversation
        String callback = given().contentType(ContentType.JSON).body(Map.of("topic", "afval", "phone", "0619191919"))
                .post("/api/v1/callbacks").then().extract().path("token");
        try (WsClient stray = WsClient.connect(base, "/ws/resident/" + new io.vertx.core.json.JsonObject(
                new String(java.util.Base64.getUrlDecoder().decode(callback.split("\\.")[1]))).getString("sub"), callback)) {
            assertThat(stray.next("error").getString("code")).isEqualTo("not_found");
            assertThat(stray.awaitClosed().getCode()).isEqualTo(1008);
        }

        // a resident token does not open the agent socket; nor does nothing
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", mine.getString("token"), null)).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", null, null)).isEqualTo(401);
    }

    @Test
    void agentFramesAreCheckedAgainstTheAssignment() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Noor", List.of(topic), 1);
        JsonObject started = Api.start(topic, null);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            ws.send(frame("message", "conversationId", started.getString("id"), "clientMsgId", "a", "text", "hallo", "ref", "r-1"));
            JsonObject error = ws.next("error");
            assertThat(error.getString("code")).isEqualTo("not_assigned");
            assertThat(error.getString("ref")).isEqualTo("r-1");

            ws.send(frame("close", "conversationId", started.getString("id"), "outcome", "answered", "ref", "r-2"));
            assertThat(ws.next("error").getString("code")).isEqualTo("not_assigned");
            ws.send(frame("typing", "conversationId", started.getString("id"), "ref", "r-3"));
            assertThat(ws.next("error").getString("code")).isEqualTo("not_assigned");

            ws.sendRaw("{\"type\":\"fly\",\"ref\":\"r-4\"}");
            JsonObject unknown = ws.next("error");
            assertThat(unknown.getString("code")).isEqualTo("bad_request");
            assertThat(unknown.getString("ref")).isEqualTo("r-4");

            ws.send(frame("claim", "conversationId", "not-a-uuid", "ref", "r-5"));
            assertThat(ws.next("error").getString("code")).isEqualTo("not_found");

            ws.send(frame("claim", "ref", "r-6"));
            String id = ws.next("assigned").getJsonObject("conversation").getString("id");
            assertThat(id).isEqualTo(started.getString("id"));

            // maxConcurrent 1: the next claim is refused even though someone waits
            Api.start(topic, null);
            ws.send(frame("claim", "ref", "r-7"));
            JsonObject full = ws.next("error");
            assertThat(full.getString("code")).isEqualTo("at_capacity");
            assertThat(full.getString("ref")).isEqualTo("r-7");

            ws.send(frame("close", "conversationId", id, "outcome", "perfect", "ref", "r-8"));
            assertThat(ws.next("error").getString("code")).isEqualTo("bad_request");

            ws.send(frame("close", "conversationId", id, "outcome", "answered"));
            ws.next("ended");
            ws.send(frame("status", "status", "away"));
            ws.send(frame("claim", "ref", "r-9"));
            assertThat(ws.next("error").getString("code")).isEqualTo("agent_unavailable");
            ws.send(frame("status", "status", "available"));
            ws.send(frame("claim", "ref", "r-10"));
            ws.next("assigned");
            ws.send(frame("claim", "topic", topic, "ref", "r-11"));
            assertThat(ws.next("error").getString("code")).isEqualTo("at_capacity");
        }
    }

    @Test
    void nothingWaitingIsSaidSo() {
        Api.Agent agent = Api.agent("Piet", List.of(TestTopics.create(db)), 3);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            ws.send(frame("claim", "ref", "n-1"));
            JsonObject error = ws.next("error");
            assertThat(error.getString("code")).isEqualTo("nothing_waiting");
            assertThat(error.getString("ref")).isEqualTo("n-1");
        }
    }

    @Test
    void aFormatLoketDoesNotSpeakIsAProblemInBothLanguages() {
        String admin = Api.adminToken();
        // an integrator's script that posts XML, or asks for it: a stable code and a Dutch-first title saying what would do
        given().auth().oauth2(admin).contentType("application/xml").body("<user/>").post("/api/v1/admin/users").then().statusCode(415)
                .contentType("application/problem+json").body("type", equalTo("/problems/unsupported-media-type"))
                .body("title", equalTo("Dit formaat wordt niet ondersteund / Unsupported media type"))
                .body("detail", equalTo("Stuur JSON (Content-Type: application/json). / Send JSON (Content-Type: application/json)."));
        given().auth().oauth2(admin).accept("application/xml").get("/api/v1/admin/users").then().statusCode(406)
                .contentType("application/problem+json").body("type", equalTo("/problems/not-acceptable"))
                .body("title", equalTo("Dit formaat kan niet worden geleverd / Not acceptable"))
                .body("detail", startsWith("Vraag om JSON"));
    }

    @Test
    void restErrorsAreProblemsWithFieldErrors() {
        given().contentType(ContentType.JSON).body(Map.of("topic", "bestaat-niet"))
                .post("/api/v1/conversations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("topic"));
        given().contentType(ContentType.JSON).body(Map.of("topic", "afval", "locale", "fr", "name", "n".repeat(101)))
                .post("/api/v1/conversations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("locale")).body("errors.field", hasItem("name"));
        given().contentType(ContentType.JSON).body("{\"topic\":")
                .post("/api/v1/conversations")
                .then().statusCode(400).contentType("application/problem+json").body("type", startsWith("/problems/"));
        given().contentType(ContentType.JSON).body(Map.of())
                .post("/api/v1/conversations")
                .then().statusCode(400).body("errors.field", hasItem("topic"));
        given().get("/api/v1/admin/users").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(Api.agent("Kees", List.of("afval"), 3).token()).get("/api/v1/admin/users")
                .then().statusCode(403).body("status", equalTo(403));
    }
}
