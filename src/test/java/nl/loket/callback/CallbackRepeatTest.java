package nl.loket.callback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.retention.Retention;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * Asking for a callback with the number of someone's open request: the caller is answered as for
 * a new request and reaches only what they submitted; the agents see one request per number and
 * topic.
 */
@QuarkusTest
class CallbackRepeatTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Retention retention;

    @Test
    void aRepeatIsAnsweredLikeANewRequestAndOpensOnlyItself() {
        String topic = TestTopics.create(db);
        Response first = post(topic, "0612340001", "Vera Visser", "Over mijn huurtoeslag");
        Response repeat = post(topic, "+31 6 12340001", "Mallory", "bel mij");
        Response fresh = post(topic, "0612340002", "Mallory", "bel mij");

        // the same status and the same shape for a repeat as for a number nobody used yet
        assertThat(repeat.statusCode()).isEqualTo(201).isEqualTo(fresh.statusCode());
        assertThat(repeat.contentType()).isEqualTo(fresh.contentType());
        JsonObject victim = new JsonObject(first.asString());
        JsonObject mine = new JsonObject(repeat.asString());
        assertThat(mine.fieldNames()).isEqualTo(new JsonObject(fresh.asString()).fieldNames());
        assertThat(mine.getString("id")).isNotEqualTo(victim.getString("id"));
        assertThat(mine.getString("token")).isNotEqualTo(victim.getString("token"));

        // the repeat's token opens the repeat, with what its maker typed, and not the victim's request
        JsonObject seen = new JsonObject(given().auth().oauth2(mine.getString("token")).get("/api/v1/callbacks/" + mine.getString("id"))
                .then().statusCode(200).extract().asString());
        assertThat(seen.getString("name")).isEqualTo("Mallory");
        assertThat(seen.getString("note")).isEqualTo("bel mij");
        assertThat(seen.getString("state")).isEqualTo("open");
        assertThat(seen.getValue("mergedInto")).isNull();
        assertThat(seen.getJsonArray("repeats")).isEmpty();
        JsonObject freshSeen = new JsonObject(given().auth().oauth2(new JsonObject(fresh.asString()).getString("token"))
                .get("/api/v1/callbacks/" + new JsonObject(fresh.asString()).getString("id")).then().statusCode(200).extract().asString());
        assertThat(seen.fieldNames()).isEqualTo(freshSeen.fieldNames());
        given().auth().oauth2(mine.getString("token")).get("/api/v1/callbacks/" + victim.getString("id")).then().statusCode(403);
        given().auth().oauth2(mine.getString("token")).delete("/api/v1/callbacks/" + victim.getString("id")).then().statusCode(403);
        // nor does the victim's own view show that someone else asked
        given().auth().oauth2(victim.getString("token")).get("/api/v1/callbacks/" + victim.getString("id"))
                .then().statusCode(200).body("name", equalTo("Vera Visser")).body("repeats", equalTo(List.of()));

        // the agents see one request for the number, with the repeat inside it
        String agent = Api.agent("Ruud", List.of(topic), 3).token();
        List<Map<String, Object>> open = openList(agent, topic);
        assertThat(open).extracting(r -> r.get("phone")).containsExactly("+31612340001", "+31612340002");
        JsonObject entry = new JsonObject(open.get(0));
        assertThat(entry.getString("id")).isEqualTo(victim.getString("id"));
        assertThat(entry.getString("name")).isEqualTo("Vera Visser");
        JsonArray repeats = entry.getJsonArray("repeats");
        assertThat(repeats).hasSize(1);
        assertThat(repeats.getJsonObject(0).getString("id")).isEqualTo(mine.getString("id"));
        assertThat(repeats.getJsonObject(0).getString("note")).isEqualTo("bel mij");

        // cancelling the repeat leaves the original as it was
        given().auth().oauth2(mine.getString("token")).delete("/api/v1/callbacks/" + mine.getString("id")).then().statusCode(204);
        given().auth().oauth2(victim.getString("token")).get("/api/v1/callbacks/" + victim.getString("id"))
                .then().statusCode(200).body("state", equalTo("open"));
        assertThat(openList(agent, topic)).extracting(r -> r.get("id"))
                .containsExactly(victim.getString("id"), new JsonObject(fresh.asString()).getString("id"));
    }

    @Test
    void theMergedRequestKeepsTheEarliestPriorityAndItsRepeatsEndWithIt() {
        String topic = TestTopics.create(db);
        // a resident queued first, then someone asked directly, then the resident asks from the chat
        JsonObject chat = Api.start(topic, "Hanna");
        Instant queuedAt = db.query("select queued_at from conversation where id = $1::uuid", Tuple.of(chat.getString("id")))
                .map(r -> r.iterator().next().getOffsetDateTime("queued_at").toInstant()).await().indefinitely();
        JsonObject direct = new JsonObject(post(topic, "0612340003", "Hanna", null).asString());
        String fromChat;
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + chat.getString("id"), chat.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "06 1234 0003", "note", "liever na drieën"));
            fromChat = resident.next("callback_created").getString("callbackId");
        }
        assertThat(fromChat).isNotEqualTo(direct.getString("id"));
        // the chat's resident reads their own request with the conversation token
        given().auth().oauth2(chat.getString("token")).get("/api/v1/callbacks/" + fromChat)
                .then().statusCode(200).body("note", equalTo("liever na drieën")).body("state", equalTo("open"));

        String agent = Api.agent("Sem", List.of(topic), 3).token();
        List<Map<String, Object>> open = openList(agent, topic);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("id")).isEqualTo(direct.getString("id"));
        assertThat(Instant.parse((String) open.get(0).get("priorityAt"))).isEqualTo(queuedAt);
        // a repeat is not worked on its own
        given().auth().oauth2(agent).post("/api/v1/callbacks/" + fromChat + "/claim").then().statusCode(409).body("type", equalTo("/problems/merged"));

        given().auth().oauth2(agent).post("/api/v1/callbacks/" + direct.getString("id") + "/claim").then().statusCode(200);
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(Map.of("result", "reached"))
                .post("/api/v1/callbacks/" + direct.getString("id") + "/attempts").then().statusCode(200).body("state", equalTo("done"));
        given().auth().oauth2(chat.getString("token")).get("/api/v1/callbacks/" + fromChat).then().statusCode(200).body("state", equalTo("done"));
        given().auth().oauth2(agent).get("/api/v1/callbacks?state=done&topic=" + topic)
                .then().statusCode(200).body("items.id", equalTo(List.of(direct.getString("id"))));
    }

    @Test
    void whenTheFirstResidentCancelsTheRepeatTakesItsPlace() {
        String topic = TestTopics.create(db);
        JsonObject first = new JsonObject(post(topic, "0612340004", "Eerste", null).asString());
        JsonObject second = new JsonObject(post(topic, "0612340004", "Tweede", "graag 's middags").asString());
        String agent = Api.agent("Ilse", List.of(topic), 3).token();

        given().auth().oauth2(first.getString("token")).delete("/api/v1/callbacks/" + first.getString("id")).then().statusCode(204);
        List<Map<String, Object>> open = openList(agent, topic);
        assertThat(open).hasSize(1);
        assertThat(open.get(0).get("id")).isEqualTo(second.getString("id"));
        assertThat(open.get(0).get("name")).isEqualTo("Tweede");
        given().auth().oauth2(second.getString("token")).get("/api/v1/callbacks/" + second.getString("id"))
                .then().statusCode(200).body("state", equalTo("open"));

        // staff cancelling a request cancels its repeats with it
        JsonObject third = new JsonObject(post(topic, "0612340004", "Derde", null).asString());
        given().auth().oauth2(agent).delete("/api/v1/callbacks/" + second.getString("id")).then().statusCode(204);
        given().auth().oauth2(third.getString("token")).get("/api/v1/callbacks/" + third.getString("id"))
                .then().statusCode(200).body("state", equalTo("cancelled"));
        assertThat(openList(agent, topic)).isEmpty();
    }

    /**
     * Forgetting a chat forgets the request it became, not a later request of the same number:
     * that one takes its place, as after a cancel. Was a bug of this session's first version: the
     * later request stayed merged into a cancelled one, out of every agent's list.
     */
    @Test
    void forgettingAChatLeavesALaterRequestOfTheSameNumberOpen() {
        String topic = TestTopics.create(db);
        JsonObject chat = Api.start(topic, "Hanna");
        String fromChat;
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + chat.getString("id"), chat.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "06 1234 0009"));
            fromChat = resident.next("callback_created").getString("callbackId");
        }
        JsonObject later = new JsonObject(post(topic, "0612340009", "Hanna", "over de verhuizing").asString());
        String agent = Api.agent("Tess", List.of(topic), 3).token();
        assertThat(openList(agent, topic)).extracting(r -> r.get("id")).containsExactly(fromChat);

        given().auth().oauth2(Api.adminToken()).delete("/api/v1/admin/conversations/" + chat.getString("id") + "/personal-data")
                .then().statusCode(204);
        List<Map<String, Object>> open = openList(agent, topic);
        assertThat(open).extracting(r -> r.get("id")).containsExactly(later.getString("id"));
        assertThat(open.get(0).get("phone")).isEqualTo("+31612340009");
        given().auth().oauth2(agent).get("/api/v1/callbacks/" + fromChat).then().statusCode(200)
                .body("state", equalTo("cancelled")).body("phone", equalTo(null));
    }

    /**
     * A resident asks again the day before their old, never-handled request expires. Was a bug:
     * retention cancelled the old request and left the new one merged into it, out of every
     * agent's list, while the resident's widget kept saying "open". The newer request now takes
     * the old one's place (with its place in the list and its claim), as after a cancel; a repeat
     * that is itself past the retention period expires with the old one.
     */
    @Test
    void whenTheOpenRequestExpiresAYoungerRepeatTakesItsPlace() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Lotte", List.of(topic), 3);
        JsonObject old = new JsonObject(post(topic, "0615151599", "Oud", null).asString());
        JsonObject oldRepeat = new JsonObject(post(topic, "0615151599", "Ook oud", null).asString());
        JsonObject again = new JsonObject(post(topic, "06 1515 1599", "Nieuw", "Ik heb nog niets gehoord").asString());
        // nobody took it for four weeks; the resident asked once more back then, and again today
        age(old.getString("id"), "28 days");
        age(oldRepeat.getString("id"), "27 days 23 hours 30 minutes");
        Instant priority = Instant.parse((String) openList(agent.token(), topic).get(0).get("priorityAt"));
        given().auth().oauth2(agent.token()).post("/api/v1/callbacks/" + old.getString("id") + "/claim").then().statusCode(200);

        // two hours later retention expires the old request and the old repeat
        retention.purge(Instant.now().plus(java.time.Duration.ofHours(2))).await().indefinitely();

        given().auth().oauth2(old.getString("token")).get("/api/v1/callbacks/" + old.getString("id"))
                .then().statusCode(200).body("state", equalTo("cancelled"));
        given().auth().oauth2(oldRepeat.getString("token")).get("/api/v1/callbacks/" + oldRepeat.getString("id"))
                .then().statusCode(200).body("state", equalTo("cancelled"));
        // today's request is what the agent who held the old one now holds, first in line as before
        given().auth().oauth2(again.getString("token")).get("/api/v1/callbacks/" + again.getString("id"))
                .then().statusCode(200).body("state", equalTo("claimed"));
        List<Map<String, Object>> claimed = given().auth().oauth2(agent.token()).get("/api/v1/callbacks?state=claimed&topic=" + topic)
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(claimed).hasSize(1);
        JsonObject entry = new JsonObject(claimed.get(0));
        assertThat(entry.getString("id")).isEqualTo(again.getString("id"));
        assertThat(entry.getString("claimedBy")).isEqualTo(agent.username());
        assertThat(entry.getString("phone")).isEqualTo("+31615151599");
        assertThat(entry.getString("note")).isEqualTo("Ik heb nog niets gehoord");
        assertThat(entry.getValue("mergedInto")).isNull();
        assertThat(Instant.parse(entry.getString("priorityAt"))).isEqualTo(priority);
        // and the agent can call and finish it
        given().auth().oauth2(agent.token()).contentType(ContentType.JSON).body(Map.of("result", "reached"))
                .post("/api/v1/callbacks/" + again.getString("id") + "/attempts").then().statusCode(200).body("state", equalTo("done"));
    }

    /** An open (unclaimed) request that expires: the younger repeat is open, in every agent's list. */
    @Test
    void whenAnUnclaimedRequestExpiresTheRepeatIsOpenForEveryAgent() {
        String topic = TestTopics.create(db);
        String agent = Api.agent("Noor", List.of(topic), 3).token();
        JsonObject old = new JsonObject(post(topic, "0615151598", "Oud", null).asString());
        JsonObject again = new JsonObject(post(topic, "0615151598", "Nieuw", null).asString());
        age(old.getString("id"), "28 days");

        retention.purge(Instant.now().plus(java.time.Duration.ofHours(2))).await().indefinitely();

        given().auth().oauth2(again.getString("token")).get("/api/v1/callbacks/" + again.getString("id"))
                .then().statusCode(200).body("state", equalTo("open"));
        assertThat(openList(agent, topic)).extracting(r -> r.get("id")).containsExactly(again.getString("id"));
    }

    /** Makes a request as old as {@code interval} minus one hour, as if it had waited that long. */
    private void age(String id, String interval) {
        db.query("update callback_request set created_at = now() - interval '" + interval + "' + interval '1 hour', "
                + "priority_at = now() - interval '" + interval + "' where id = $1::uuid", Tuple.of(id)).await().indefinitely();
    }

    private static Response post(String topic, String phone, String name, String note) {
        Map<String, String> body = new java.util.HashMap<>(Map.of("topic", topic, "phone", phone, "name", name));
        if (note != null) {
            body.put("note", note);
        }
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/callbacks").then().extract().response();
    }

    private static List<Map<String, Object>> openList(String agent, String topic) {
        return given().auth().oauth2(agent).get("/api/v1/callbacks?state=open&topic=" + topic)
                .then().statusCode(200).extract().jsonPath().getList("items");
    }
}
