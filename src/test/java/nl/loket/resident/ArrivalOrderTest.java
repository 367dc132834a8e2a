package nl.loket.resident;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Residents starting at the same moment in one topic are each told their true place. */
@QuarkusTest
class ArrivalOrderTest {

    @Inject
    Db db;

    @Test
    void simultaneousStartsAreToldDistinctPlacesInQueueOrder() throws Exception {
        int residents = 48;
        String topic = TestTopics.create(db);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JsonObject>> started = new ArrayList<>();
            for (int i = 0; i < residents; i++) {
                started.add(pool.submit(() -> {
                    go.await();
                    return Api.start(topic, null);
                }));
            }
            go.countDown();
            Map<String, Integer> told = new HashMap<>();
            for (Future<JsonObject> f : started) {
                JsonObject s = f.get();
                told.put(s.getString("id"), s.getInteger("position"));
            }
            assertThat(told.values()).as("places told").containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, residents).boxed().toList());
            // and each is the place the queue gave them (oldest first; any state: residents who never
            // connect are abandoned after the grace period, which may come before this read)
            Map<String, Integer> queue = new HashMap<>();
            for (Row r : db.query("select id::text as id, row_number() over (order by queued_at, id) as pos from conversation "
                    + "where topic = $1", Tuple.of(topic)).await().indefinitely()) {
                queue.put(r.getString("id"), r.getLong("pos").intValue());
            }
            assertThat(told).isEqualTo(queue);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The case behind the test above, made certain: a start whose transaction has not committed
     * yet (a busy machine can hold a backend for tens of milliseconds) while a second start in
     * the same topic counts the queue. The second waits for the first and is told place 2.
     */
    @Test
    void aStartWaitsForTheStartBeforeItInTheSameTopicToCommit() throws Exception {
        String topic = TestTopics.create(db);
        CountDownLatch firstInserted = new CountDownLatch(1);
        var first = db.tx(tx -> tx.query(CREATE, args(topic))
                        .invoke(firstInserted::countDown)
                        .chain(rows -> tx.query("select pg_sleep(0.5)", Tuple.tuple()).replaceWith(rows.iterator().next().getLong("conversation_position"))))
                .subscribeAsCompletionStage();
        assertThat(firstInserted.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        long second = db.query(CREATE, args(topic)).await().indefinitely().iterator().next().getLong("conversation_position");
        assertThat(first.get()).as("the first start's place").isEqualTo(1);
        assertThat(second).as("the second start's place, counted after the first committed").isEqualTo(2);
    }

    static final String CREATE = "select outcome, queued_at, conversation_position from loket_create_conversation($1, $2, $3, $4, $5, $6, $7)";

    static Tuple args(String topic) {
        return Tuple.tuple(java.util.Arrays.asList(java.util.UUID.randomUUID(), topic, null, "nl", null, 0, "test-node"));
    }
}
