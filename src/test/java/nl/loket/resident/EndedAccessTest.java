package nl.loket.resident;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resident token reads its conversation for a short while after the end (the open page's
 * download), not for the rest of its 24 h: then REST answers 403 {@code access-ended} and the
 * socket an {@code access_ended} error and a 1008 close, without the history (README, *Privacy*).
 * A chat handed off to a callback gives the resident the request's own token, which opens the
 * request and not the conversation, so the widget keeps that one instead: the conversation token
 * opens the request only within the same bound.
 */
@QuarkusTest
class EndedAccessTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    /** A queued conversation with one message, which the resident then leaves. */
    private JsonObject leftWithAMessage() {
        JsonObject started = Api.start(TestTopics.create(db), "Jan");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            resident.send(frame("message", "clientMsgId", "m1", "text", "Mijn paspoort is verlopen"));
            resident.next("message");
            resident.send(frame("leave"));
            resident.next(f -> "state".equals(f.getString("type")) && "abandoned".equals(f.getString("state")));
        }
        return started;
    }

    /** The conversation ended {@code minutes} ago. */
    private void endedAgo(String id, int minutes) {
        db.query("update conversation set closed_at = now() - make_interval(mins => $2) where id = $1::uuid", Tuple.of(id, minutes))
                .await().indefinitely();
    }

    private static io.restassured.response.Response read(JsonObject started, String path, ContentType accept) {
        return given().auth().oauth2(started.getString("token")).accept(accept)
                .get("/api/v1/conversations/" + started.getString("id") + path);
    }

    @Test
    void rightAfterTheEndTheTokenStillReadsTheConversation() {
        JsonObject started = leftWithAMessage();
        endedAgo(started.getString("id"), 5);
        assertThat(read(started, "/transcript", ContentType.TEXT).then().statusCode(200).extract().asString())
                .contains("Mijn paspoort is verlopen");
        try (WsClient again = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            assertThat(again.next("state").getString("state")).isEqualTo("abandoned");
            assertThat(again.next("message").getString("text")).isEqualTo("Mijn paspoort is verlopen");
        }
    }

    @Test
    void anHourAfterTheEndTheTokenReadsNothingOverRest() {
        JsonObject started = leftWithAMessage();
        endedAgo(started.getString("id"), 60);
        for (String path : List.of("", "/transcript", "/transcript.txt")) {
            for (ContentType accept : List.of(ContentType.JSON, ContentType.TEXT)) {
                io.restassured.response.Response r = read(started, path, accept);
                if (path.isEmpty() && accept == ContentType.TEXT) {
                    // the conversation itself has no text form: 406 for every token, before anything is read
                    assertThat(r.statusCode()).as(path + " " + accept).isEqualTo(406);
                    assertThat(r.asString()).doesNotContain("Mijn paspoort", "Jan");
                    continue;
                }
                assertThat(r.statusCode()).as(path + " " + accept).isEqualTo(403);
                assertThat(r.contentType()).as(path).startsWith("application/problem+json");
                JsonObject problem = new JsonObject(r.asString());
                assertThat(problem.getString("type")).isEqualTo("/problems/access-ended");
                assertThat(problem.getString("detail")).contains("niet meer", "no longer");
                assertThat(r.asString()).doesNotContain("Mijn paspoort", "Jan");
            }
        }
    }

    @Test
    void anHourAfterTheEndTheSocketSaysSoAndReplaysNothing() {
        JsonObject started = leftWithAMessage();
        endedAgo(started.getString("id"), 60);
        try (WsClient again = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            JsonObject error = again.next("error");
            assertThat(error.getString("code")).isEqualTo("access_ended");
            assertThat(again.awaitClosed().getCode()).isEqualTo(1008);
            assertThat(again.frames()).noneMatch(f -> "message".equals(f.getString("type")) || "state".equals(f.getString("type")));
        }
    }

    @Test
    void aChatHandedOffToACallbackGivesTheResidentTheRequestsOwnToken() {
        JsonObject started = Api.start(TestTopics.create(db), "Jan");
        String id = started.getString("id");
        JsonObject created;
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "0612345678", "window", "morning"));
            created = resident.next("callback_created");
        }
        String callbackToken = created.getString("token");
        assertThat(callbackToken).isNotBlank().isNotEqualTo(started.getString("token"));
        // it opens the request, so the widget can show and cancel it after a reload
        given().auth().oauth2(callbackToken).get("/api/v1/callbacks/" + created.getString("callbackId")).then().statusCode(200);
        // and never the conversation
        given().auth().oauth2(callbackToken).accept(ContentType.TEXT).get("/api/v1/conversations/" + id + "/transcript").then().statusCode(403);
        assertThat(WsClient.upgradeStatus(base, "/ws/resident/" + id, callbackToken, null)).isEqualTo(403);
        given().auth().oauth2(callbackToken).delete("/api/v1/callbacks/" + created.getString("callbackId")).then().statusCode(204);
    }

    /** A chat handed off to a callback request (which ends the conversation): its id, tokens and the request's id and token. */
    private JsonObject handedOffToACallback() {
        JsonObject started = Api.start(TestTopics.create(db), "Jan");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "0612345678", "name", "Jan", "window", "morning"));
            JsonObject created = resident.next("callback_created");
            return started.copy().put("callbackId", created.getString("callbackId")).put("callbackToken", created.getString("token"));
        }
    }

    private static io.restassured.response.Response callback(String token, JsonObject chat, String method) {
        return given().auth().oauth2(token).accept(ContentType.JSON).request(method, "/api/v1/callbacks/" + chat.getString("callbackId"));
    }

    @Test
    void rightAfterTheEndTheChatsTokenStillReadsAndCancelsTheCallbackRequest() {
        JsonObject chat = handedOffToACallback();
        endedAgo(chat.getString("id"), 5);
        assertThat(callback(chat.getString("token"), chat, "GET").then().statusCode(200).extract().asString()).contains("612345678");
        assertThat(callback(chat.getString("callbackToken"), chat, "GET").then().statusCode(200).extract().asString()).contains("612345678");
        callback(chat.getString("token"), chat, "DELETE").then().statusCode(204);
    }

    @Test
    void anHourAfterTheEndTheChatsTokenNoLongerOpensTheCallbackRequestButItsOwnTokenDoes() {
        JsonObject chat = handedOffToACallback();
        endedAgo(chat.getString("id"), 60);
        for (String method : List.of("GET", "DELETE")) {
            io.restassured.response.Response r = callback(chat.getString("token"), chat, method);
            assertThat(r.statusCode()).as(method).isEqualTo(403);
            assertThat(r.contentType()).as(method).startsWith("application/problem+json");
            JsonObject problem = new JsonObject(r.asString());
            assertThat(problem.getString("type")).isEqualTo("/problems/access-ended");
            assertThat(problem.getString("detail")).contains("niet meer", "no longer");
            assertThat(r.asString()).doesNotContain("612345678", "Jan");
        }
        // the conversation token's DELETE cancelled nothing: the request's own token still reads it open, then cancels it
        JsonObject request = new JsonObject(callback(chat.getString("callbackToken"), chat, "GET").then().statusCode(200).extract().asString());
        assertThat(request.getString("phone")).isEqualTo("+31612345678");
        assertThat(request.getString("state")).isEqualTo("open");
        callback(chat.getString("callbackToken"), chat, "DELETE").then().statusCode(204);
        assertThat(new JsonObject(callback(chat.getString("callbackToken"), chat, "GET").then().statusCode(200).extract().asString())
                .getString("state")).isEqualTo("cancelled");
    }

    /**
     * A request asked with the form: its own token is all the resident has, and is kept in the
     * tab's storage. Found in review: once the request had ended (called back, cancelled), that
     * token still read the phone number, name and note for the rest of its 24 h, as a chat token
     * read the transcript before the bound (a restored tab on a library computer).
     */
    @Test
    void aRequestsOwnTokenReadsItUntilAWhileAfterItEnded() {
        JsonObject asked = new JsonObject(given().contentType(ContentType.JSON)
                .body(Map.of("topic", TestTopics.create(db), "phone", "0612345679", "name", "Jan", "note", "over mijn paspoort"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString());
        JsonObject chat = new JsonObject().put("callbackId", asked.getString("id"));
        String token = asked.getString("token");
        // open a day later still (the token's lifetime bounds that), and right after it ended
        db.query("update callback_request set created_at = now() - interval '20 hours' where id = $1::uuid",
                Tuple.of(asked.getString("id"))).await().indefinitely();
        callback(token, chat, "GET").then().statusCode(200);
        callback(token, chat, "DELETE").then().statusCode(204);
        requestEndedAgo(asked.getString("id"), 5);
        assertThat(callback(token, chat, "GET").then().statusCode(200).extract().asString()).contains("612345679");

        requestEndedAgo(asked.getString("id"), 60);
        io.restassured.response.Response r = callback(token, chat, "GET");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(new JsonObject(r.asString()).getString("type")).isEqualTo("/problems/access-ended");
        assertThat(r.asString()).doesNotContain("612345679", "Jan", "paspoort");
        // staff and integrators read it as before
        Api.Agent integrator = Api.user("Koppeling", List.of("integrator"), List.of(), 1);
        given().auth().oauth2(integrator.token()).get("/api/v1/callbacks/" + asked.getString("id")).then().statusCode(200);
    }

    /** The request ended {@code minutes} ago. */
    private void requestEndedAgo(String id, int minutes) {
        db.query("update callback_request set ended_at = now() - make_interval(mins => $2) where id = $1::uuid", Tuple.of(id, minutes))
                .await().indefinitely();
    }
}
