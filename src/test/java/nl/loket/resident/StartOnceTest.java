package nl.loket.resident;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import nl.loket.topic.OpeningHours;
import io.vertx.mutiny.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * A start sent again must not make a second conversation. On a phone's link the answer to
 * {@code POST /api/v1/conversations} can be lost after the conversation was stored; the widget
 * then tries again, and the resident had two conversations in the queue (one waiting for nobody,
 * counted in everyone's wait and against the address's limit, until the grace period ended it).
 * The widget sends one {@code startKey} per start; a start with a key already used answers the
 * conversation that key made.
 */
@QuarkusTest
class StartOnceTest {

    @Inject
    Db db;

    private static JsonObject start(String topic, String startKey) {
        return new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "name", "Jan", "startKey", startKey))
                .post("/api/v1/conversations").then().statusCode(201).extract().asString());
    }

    private long conversations(String topic) {
        return db.query("select count(*) as n from conversation where topic = $1", Tuple.of(topic))
                .await().indefinitely().iterator().next().getLong("n");
    }

    @Test
    void aStartSentAgainAnswersTheConversationItMade() {
        String topic = TestTopics.create(db);
        String key = UUID.randomUUID().toString();
        JsonObject first = start(topic, key);
        JsonObject again = start(topic, key);
        assertThat(again.getString("id")).isEqualTo(first.getString("id"));
        assertThat(again.getString("state")).isEqualTo("queued");
        assertThat(again.getInteger("position")).isEqualTo(first.getInteger("position")).isEqualTo(1);
        assertThat(conversations(topic)).as("conversations in the topic").isEqualTo(1);
        // the token of the answer sent again opens the same conversation
        assertThat(Api.transcript(again).getJsonObject("conversation").getString("state")).isEqualTo("queued");

        JsonObject other = start(topic, UUID.randomUUID().toString());
        assertThat(other.getString("id")).isNotEqualTo(first.getString("id"));
        assertThat(other.getInteger("position")).isEqualTo(2);
        assertThat(conversations(topic)).isEqualTo(2);
    }

    @Test
    void twoStartsWithOneKeyAtOnceMakeOneConversation() {
        String topic = TestTopics.create(db);
        String key = UUID.randomUUID().toString();
        List<CompletableFuture<JsonObject>> both = List.of(
                CompletableFuture.supplyAsync(() -> start(topic, key)), CompletableFuture.supplyAsync(() -> start(topic, key)));
        assertThat(both.get(0).join().getString("id")).isEqualTo(both.get(1).join().getString("id"));
        assertThat(conversations(topic)).isEqualTo(1);
    }

    @Test
    void knowingAConversationsIdOpensNothing() {
        String topic = TestTopics.create(db);
        JsonObject first = start(topic, UUID.randomUUID().toString());
        // the id is derived from the key under the nodes' secret, not the key itself: an id seen
        // elsewhere (a CRM record, a staff screen) sent as a key starts a conversation of its own
        JsonObject other = start(topic, first.getString("id"));
        assertThat(other.getString("id")).isNotEqualTo(first.getString("id"));
        assertThat(conversations(topic)).isEqualTo(2);
    }

    @Test
    void aStartSentAgainAfterItsTopicClosedAnswersTheConversationItMade() {
        String topic = TestTopics.create();
        String key = UUID.randomUUID().toString();
        JsonObject first = start(topic, key);
        // the answer was lost, and the topic closes before the try sent again (a start at closing time)
        LocalDate today = LocalDate.now(OpeningHours.ZONE);
        given().auth().oauth2(Api.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("id", topic, "nameNl", "Test " + topic, "nameEn", "Test " + topic, "openingHours", Map.of(),
                        "closedDates", List.of(today.toString(), today.plusDays(1).toString())))
                .put("/api/v1/admin/topics/" + topic).then().statusCode(200).body("openNow", equalTo(false));

        // the resident waits in the queue: told so, not sent to the callback form while a conversation waits for nobody
        JsonObject again = start(topic, key);
        assertThat(again.getString("id")).isEqualTo(first.getString("id"));
        assertThat(again.getString("state")).isEqualTo("queued");
        assertThat(again.getInteger("position")).isEqualTo(1);
        assertThat(conversations(topic)).isEqualTo(1);
        // a new start is still refused
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "startKey", UUID.randomUUID().toString()))
                .post("/api/v1/conversations").then().statusCode(409).body("type", equalTo("/problems/topic-closed"));
        assertThat(conversations(topic)).isEqualTo(1);
    }

    @Test
    void aKeySentWithAnotherTopicIsAnotherStart() {
        String topic = TestTopics.create(db);
        String otherTopic = TestTopics.create(db);
        String key = UUID.randomUUID().toString();
        JsonObject first = start(topic, key);
        // an integrator's client that kept its key for the next start: the answer says the topic asked for, and is in it
        JsonObject other = start(otherTopic, key);
        assertThat(other.getString("topic")).isEqualTo(otherTopic);
        assertThat(Api.transcript(other).getJsonObject("conversation").getString("topic")).as("the topic it waits in")
                .isEqualTo(otherTopic);
        assertThat(other.getString("id")).isNotEqualTo(first.getString("id"));
        assertThat(conversations(otherTopic)).isEqualTo(1);
    }

    @Test
    void aMalformedKeyIsRefusedByName() {
        String topic = TestTopics.create(db);
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "startKey", "kort"))
                .post("/api/v1/conversations").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItem("startKey"));
        assertThat(conversations(topic)).isZero();
    }
}
