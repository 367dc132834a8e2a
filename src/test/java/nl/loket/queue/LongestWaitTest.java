package nl.loket.queue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The team lead's "langst wachtend" and the waiting list's "wacht sinds" after a conversation
 * came back into a queue: the current wait counts, while the place stays that of queuedAt.
 */
@QuarkusTest
class LongestWaitTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void aConversationTransferredAfterAnHourLongChatHasWaitedSinceTheTransferAndKeepsItsPlace() {
        String topic = TestTopics.create(db);
        String other = TestTopics.create(db);
        Api.Agent kees = Api.agent("Kees", List.of(topic), 3);
        Api.Agent mila = Api.agent("Mila", List.of(other), 3);
        JsonObject waiting = Api.start(other, "Wachtend");
        JsonObject chat = Api.start(topic, "Chat");
        String id = chat.getString("id");
        try (WsClient waiter = resident(waiting); WsClient resident = resident(chat);
             WsClient ws = WsClient.connect(base, "/ws/agent", kees.token())) {
            // the one in "other" has waited ten minutes; the chat's resident waited a minute, then chatted for an hour
            backdate(waiting.getString("id"), 10, null);
            ws.next("hello");
            ws.send(frame("claim", "topic", topic));
            ws.next("assigned");
            backdate(id, 61, 60);
            ws.send(frame("transfer", "conversationId", id, "topic", other));
            ws.next("ended");
            // it keeps its place: first, ahead of the one who has waited ten minutes
            JsonObject queued = resident.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")));
            assertThat(queued.getInteger("position")).isEqualTo(1);

            // the board shows the ten minutes, not the hour and a minute since the chat's queuedAt
            assertThat(longestWaitOnTheBoard(other, 2)).isBetween(600L, 700L);

            // the waiting list: the transferred conversation first, waiting since the transfer
            List<Map<String, Object>> list = given().auth().oauth2(mila.token()).queryParam("topic", other).get("/api/v1/queue")
                    .then().statusCode(200).extract().jsonPath().getList("$");
            assertThat(list).extracting(m -> m.get("id")).containsExactly(id, waiting.getString("id"));
            Instant now = Instant.now();
            assertThat(Instant.parse((String) list.get(0).get("queuedAt"))).isBefore(now.minus(Duration.ofMinutes(60)));
            assertThat(Instant.parse((String) list.get(0).get("waitingSince"))).isAfter(now.minus(Duration.ofMinutes(1)));
            assertThat(list.get(1).get("waitingSince")).isEqualTo(list.get(1).get("queuedAt"));
        }
    }

    @Test
    void aConversationBackInTheQueueBecauseItsAgentWentAwayHasWaitedSinceThen() {
        String topic = TestTopics.create(db);
        Api.Agent joop = Api.agent("Joop", List.of(topic), 3);
        JsonObject chat = Api.start(topic, "Chat");
        String id = chat.getString("id");
        try (WsClient resident = resident(chat)) {
            WsClient ws = WsClient.connect(base, "/ws/agent", joop.token());
            ws.next("hello");
            ws.send(frame("claim", "topic", topic));
            ws.next("assigned");
            backdate(id, 61, 60);
            ws.close();
            // past the agent's grace period (3 s in tests) it goes back to the front of the queue
            resident.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")));
            assertThat(longestWaitOnTheBoard(topic, 1)).isLessThan(60L);
        }
    }

    private WsClient resident(JsonObject started) {
        WsClient ws = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"));
        ws.next("state");
        return ws;
    }

    /** What a team lead's console is told for the topic once {@code waiting} residents wait there. */
    private long longestWaitOnTheBoard(String topic, int waiting) {
        Api.Agent lead = Api.user("Lotte", List.of("supervisor"), List.of(), 3);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", lead.token())) {
            ws.next("hello");
            JsonObject board = ws.next(f -> "queues".equals(f.getString("type")) && f.getJsonArray("topics").stream()
                    .map(JsonObject.class::cast).anyMatch(t -> topic.equals(t.getString("id")) && t.getInteger("waiting") == waiting));
            return board.getJsonArray("topics").stream().map(JsonObject.class::cast).filter(t -> topic.equals(t.getString("id")))
                    .findFirst().orElseThrow().getLong("longestWaitSeconds");
        }
    }

    /** Moves a conversation's start back by {@code queued} minutes and, when held, its claim by {@code assigned}. */
    private void backdate(String id, int queued, Integer assigned) {
        db.query("update conversation set queued_at = now() - make_interval(mins => $2), created_at = now() - make_interval(mins => $2), "
                        + "assigned_at = case when $3::int is null then assigned_at else now() - make_interval(mins => $3) end, "
                        + "first_assigned_at = case when $3::int is null then first_assigned_at else now() - make_interval(mins => $3) end "
                        + "where id = $1::uuid", Tuple.tuple(java.util.Arrays.asList(id, queued, assigned)))
                .await().atMost(Duration.ofSeconds(5));
    }
}
