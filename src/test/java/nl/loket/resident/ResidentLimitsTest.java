package nl.loket.resident;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.conversation.Conversations;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One address cannot flood the queue, and one conversation cannot open endless sockets or frame budgets
 * (a socket beyond the limit replaces the oldest: SocketReplacementTest).
 */
@QuarkusTest
@TestProfile(ResidentLimitsTest.Limits.class)
class ResidentLimitsTest {

    public static class Limits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // a window far longer than a test: on a loaded machine the frames of one test must not
            // spread over two windows (the budget starts afresh in each)
            return Map.of("loket.limits.open-conversations-per-address", "3", "loket.limits.resident-frames", "20",
                    "loket.limits.frame-window", "10m");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Conversations conversations;

    /** Every test starts with no open conversation from this address: earlier tests' residents leave. */
    @BeforeEach
    void everyoneLeaves() {
        db.query("select id from conversation where state in ('queued', 'active') and client_key is not null")
                .await().indefinitely()
                .forEach(r -> conversations.leave(r.getUUID("id")).await().indefinitely());
    }

    @Test
    void aFourthOpenConversationFromOneAddressIs429UntilOneEnds() {
        String topic = TestTopics.create(db);
        List<JsonObject> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            open.add(Api.start(topic, null));
        }
        given().contentType(ContentType.JSON).body(Map.of("topic", topic)).post("/api/v1/conversations")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith("/too-many-conversations"));
        // a resident who leaves frees a place
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + open.get(0).getString("id"), open.get(0).getString("token"))) {
            resident.next("state");
            resident.send(frame("leave"));
            resident.next(f -> "state".equals(f.getString("type")) && "abandoned".equals(f.getString("state")));
        }
        assertThat(Api.start(topic, null).getString("state")).isEqualTo("queued");
        assertThat(db.query("select count(*) as n from conversation where topic = $1 and client_key is not null",
                io.vertx.mutiny.sqlclient.Tuple.of(topic)).await().indefinitely().iterator().next().getLong("n"))
                .as("the address is kept only as a keyed hash").isEqualTo(4);
    }

    /** A start sent again (its answer lost) is the conversation it made, not a fourth one refused: it counts itself already. */
    @Test
    void aStartSentAgainAtTheLimitAnswersItsConversation() {
        String topic = TestTopics.create(db);
        List<String> keys = List.of(java.util.UUID.randomUUID().toString(), java.util.UUID.randomUUID().toString(),
                java.util.UUID.randomUUID().toString());
        List<String> ids = new ArrayList<>();
        for (String key : keys) {
            ids.add(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "startKey", key)).post("/api/v1/conversations")
                    .then().statusCode(201).extract().path("id"));
        }
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "startKey", keys.get(2))).post("/api/v1/conversations")
                .then().statusCode(201).body("id", org.hamcrest.Matchers.equalTo(ids.get(2)));
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "startKey", java.util.UUID.randomUUID().toString()))
                .post("/api/v1/conversations").then().statusCode(429);
    }

    @Test
    void theFrameBudgetIsPerConversationNotPerSocket() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        String path = "/ws/resident/" + started.getString("id");
        String token = started.getString("token");
        try (WsClient a = WsClient.connect(base, path, token);
             WsClient b = WsClient.connect(base, path, token)) {
            a.next("state");
            b.next("state");
            // 12 + 12 frames in the window: each socket alone stays under 20, together they do not
            for (int i = 0; i < 12; i++) {
                a.send(frame("typing"));
            }
            for (int i = 0; i < 12 && b.isOpen(); i++) {
                try {
                    b.send(frame("typing"));
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
            // one of them is closed (a per-socket budget would leave both open). Usually b, whose
            // frames come last; but the two sockets are handled apart, and on a loaded machine
            // some of a's frames can be counted after b's. The close frame can lose the race with
            // the socket's own sends, so its code is checked when it arrived.
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> !a.isOpen() || !b.isOpen());
            (a.isOpen() ? b : a).awaitGone().ifPresent(reason -> assertThat(reason.getCode()).isEqualTo(1008));
        }
    }
}
