package nl.loket.conversation;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Each topic's queue length (V36), which a start reads as its place and the queue snapshot as
 * its waiting, is the number of conversations waiting in it after every move into or out of a
 * queue: a start, a claim, a transfer to another topic, a resident leaving, and the sweeps that
 * abandon gone residents and requeue a gone agent's conversations (grace periods of 3 s in the
 * test profile).
 */
@QuarkusTest
class QueueLengthTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Sweeps sweeps;

    @Inject
    Failures failures;

    @Test
    void everyMoveIntoOrOutOfAQueueIsCounted() {
        String a = TestTopics.create(db);
        String b = TestTopics.create(db);
        Api.Agent agent = Api.agent("Fenna", List.of(a, b), 3);
        JsonObject first = Api.start(a, "Een");
        JsonObject second = Api.start(a, "Twee");
        JsonObject third = Api.start(a, "Drie");
        JsonObject inB = Api.start(b, "Vier");
        assertThat(List.of(first, second, third, inB)).extracting(s -> s.getInteger("position")).containsExactly(1, 2, 3, 1);
        waiting(a, 3);
        waiting(b, 1);

        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient one = resident(first);
             WsClient two = resident(second);
             WsClient three = resident(third);
             WsClient four = resident(inB)) {
            console.next("hello");
            for (WsClient r : List.of(one, two, three, four)) {
                r.next("state");
            }

            console.send(frame("claim", "topic", a));
            assertThat(console.next("assigned").getJsonObject("conversation").getString("id")).isEqualTo(first.getString("id"));
            waiting(a, 2);

            // back to a queue, in the other topic, keeping its place from when it started
            console.send(frame("transfer", "conversationId", first.getString("id"), "topic", b, "ref", "t1"));
            assertThat(console.next("ended").getString("reason")).isEqualTo("transferred");
            waiting(a, 2);
            waiting(b, 2);

            two.send(frame("leave"));
            two.next(f -> "state".equals(f.getString("type")) && "abandoned".equals(f.getString("state")));
            waiting(a, 1);

            console.send(frame("claim", "topic", b));
            assertThat(console.next("assigned").getJsonObject("conversation").getString("id")).isEqualTo(first.getString("id"));
            waiting(b, 1);
        }

        // everyone goes: the gone agent's conversation goes back to b's queue, and the gone residents'
        // waiting conversations of both topics are abandoned, in sweeps that move several topics at once
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(state(first)).isEqualTo("abandoned");
            assertThat(state(third)).isEqualTo("abandoned");
            assertThat(state(inB)).isEqualTo("abandoned");
        });
        waiting(a, 0);
        waiting(b, 0);
        assertThat(Api.start(a, "Vijf").getInteger("position")).isEqualTo(1);
    }

    @Test
    void aLengthWrittenAroundTheTriggersIsSetRightByTheRecountAndCounted() {
        String topic = TestTopics.create(db);
        JsonObject first = Api.start(topic, "Een");
        JsonObject second = Api.start(topic, "Twee");
        // connected, so that no sweep abandons them meanwhile
        try (WsClient one = resident(first); WsClient two = resident(second)) {
            one.next("state");
            two.next("state");
            double before = failures.counter("queue-length").count();
            db.query("update queue_length set waiting = 7 where topic = $1", Tuple.of(topic)).await().indefinitely();

            sweeps.recount().await().indefinitely();

            waiting(topic, 2);
            // the scheduled recount may have got there first, and then counts it a moment later
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(failures.counter("queue-length").count() - before).as("drifts counted").isEqualTo(1));
            assertThat(Api.start(topic, "Drie").getInteger("position")).isEqualTo(3);
        }
    }

    @Test
    void aTopicWhoseLengthRowIsGoneGetsItBackFromTheRecount() {
        String topic = TestTopics.create(db);
        JsonObject first = Api.start(topic, "Een");
        try (WsClient one = resident(first)) {
            one.next("state");
            db.query("delete from queue_length where topic = $1", Tuple.of(topic)).await().indefinitely();

            sweeps.recount().await().indefinitely();

            waiting(topic, 1);
        }
    }

    /**
     * Writes Loket itself does not make today, straight in SQL, so that the triggers' other
     * branches are held to the count too: a waiting conversation moved to another topic, and one
     * deleted. The rows count as connected residents, so no sweep moves them meanwhile.
     */
    @Test
    void aWaitingConversationMovedToAnotherTopicOrDeletedIsCounted() {
        String a = TestTopics.create(db);
        String b = TestTopics.create(db);
        java.util.UUID moved = waitingRow(a);
        java.util.UUID deleted = waitingRow(a);
        waiting(a, 2);
        waiting(b, 0);

        db.query("update conversation set topic = $2 where id = $1", Tuple.of(moved, b)).await().indefinitely();
        waiting(a, 1);
        waiting(b, 1);

        db.query("delete from conversation where id = $1", Tuple.of(deleted)).await().indefinitely();
        waiting(a, 0);
        waiting(b, 1);

        db.query("update conversation set state = 'closed', closed_at = now() where id = $1", Tuple.of(moved)).await().indefinitely();
        waiting(b, 0);
    }

    private java.util.UUID waitingRow(String topic) {
        java.util.UUID id = java.util.UUID.randomUUID();
        db.query("insert into conversation (id, topic, state, queued_at) values ($1, $2, 'queued', clock_timestamp())",
                Tuple.of(id, topic)).await().indefinitely();
        return id;
    }

    private WsClient resident(JsonObject started) {
        return WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"));
    }

    /** The topic's kept length (no row: none) and its waiting conversations, counted, are both {@code expected}. */
    private void waiting(String topic, int expected) {
        Row r = db.query("select coalesce((select waiting from queue_length where topic = $1), 0) as kept, "
                        + "(select count(*) from conversation where topic = $1 and state = 'queued') as counted", Tuple.of(topic))
                .await().indefinitely().iterator().next();
        assertThat(r.getLong("counted")).as("waiting conversations in " + topic).isEqualTo(expected);
        assertThat(r.getInteger("kept")).as("queue length kept for " + topic).isEqualTo(expected);
    }

    private String state(JsonObject started) {
        return db.query("select state from conversation where id = $1", Tuple.of(java.util.UUID.fromString(started.getString("id"))))
                .await().indefinitely().iterator().next().getString("state");
    }
}
