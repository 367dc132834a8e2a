package nl.loket.queue;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import nl.loket.platform.Signal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/** What the queue snapshot reads from the database, and how its statements run there. */
@QuarkusTest
class QueueSnapshotReadTest {

    @Inject
    Db db;

    @Inject
    QueueService queues;

    @Test
    void loketsConnectionsRunWithoutJitCompilation() {
        // on a server built with LLVM the snapshot spent 1.2 s compiling for every 10 ms of running
        String jit = db.query("show jit").await().indefinitely().iterator().next().getString(0);
        assertThat(jit).isEqualTo("off");
    }

    @Test
    void theHandleTimeIsTheAverageOfTheLastFiftyClosedInTheLastSevenDays() {
        String topic = TestTopics.create(db);
        // one long one eight days ago, ten long ones a day ago, then fifty of two minutes today
        closed(topic, DAY * 8, 3000);
        for (int i = 0; i < 10; i++) {
            closed(topic, DAY, 1200);
        }
        for (int i = 0; i < 50; i++) {
            closed(topic, (i + 1) * 60, 120);
        }
        // a conversation closed without an agent (abandoned in the queue) has no handle time
        db.query("insert into conversation (id, topic, state, resident_name, queued_at, closed_at, updated_at) "
                        + "values ($1, $2, 'closed', 'x', now() - interval '3 minutes', now(), now())", Tuple.of(UUID.randomUUID(), topic))
                .await().indefinitely();
        db.delivered(new Signal.Queue(topic, false));

        // a snapshot younger than a tenth of a second is shared even after a change: read until it is new
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(queues.snapshot().await().indefinitely().topic(topic).averageHandleSeconds()).isCloseTo(120, within(0.5)));

        // with fewer than fifty recent ones the older ones of the week count
        String other = TestTopics.create(db);
        closed(other, DAY * 8, 3000);
        closed(other, DAY, 1200);
        closed(other, 3600, 120);
        db.delivered(new Signal.Queue(other, false));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(queues.snapshot().await().indefinitely().topic(other).averageHandleSeconds()).isCloseTo(660, within(0.5)));
    }

    @Test
    void theHandleTimeCountsEveryAgentWhoHeldItAndNotTheWaitInBetween() {
        String topic = TestTopics.create(db);
        // an hour ago: waited 10 s, an agent held it 60 s, it went back to the queue and waited 600 s,
        // a second agent held it 120 s and closed it. The agents handled it for 180 s
        UUID id = UUID.randomUUID();
        db.query("""
                        insert into conversation (id, topic, state, resident_name, queued_at, first_assigned_at, requeued_at,
                                                  assigned_at, closed_at, updated_at)
                        values ($1, $2, 'closed', 'x', now() - interval '3600 seconds', now() - interval '3590 seconds',
                                now() - interval '3530 seconds', now() - interval '2930 seconds', now() - interval '2810 seconds', now())""",
                        Tuple.of(id, topic))
                .await().indefinitely();
        UUID agent = db.query("select id from app_user order by username limit 1").await().indefinitely().iterator().next().getUUID("id");
        held(id, agent, 3590, 3530);
        held(id, agent, 2930, 2810);
        db.delivered(new Signal.Queue(topic, false));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(queues.snapshot().await().indefinitely().topic(topic).averageHandleSeconds()).isCloseTo(180, within(0.5)));
    }

    /** An assignment of {@code id} to {@code agent} from {@code fromAgo} to {@code toAgo} seconds ago. */
    private void held(UUID id, UUID agent, int fromAgo, int toAgo) {
        db.query("insert into assignment (conversation_id, agent_id, assigned_at, ended_at, end_reason) "
                        + "values ($1, $2, now() - make_interval(secs => $3::int), now() - make_interval(secs => $4::int), 'closed')",
                Tuple.of(id, agent, fromAgo, toAgo)).await().indefinitely();
    }

    static final int DAY = 24 * 3600;

    /** A conversation closed {@code agoSeconds} ago after an agent held it for {@code seconds}. */
    private void closed(String topic, int agoSeconds, int seconds) {
        UUID id = UUID.randomUUID();
        db.query("""
                        insert into conversation (id, topic, state, resident_name, queued_at, assigned_at, closed_at, updated_at)
                        values ($1, $2, 'closed', 'x', now() - make_interval(secs => $3::int + $4::int + 60),
                                now() - make_interval(secs => $3::int + $4::int), now() - make_interval(secs => $3::int), now())""",
                        Tuple.of(id, topic, agoSeconds, seconds))
                .await().indefinitely();
        UUID agent = db.query("select id from app_user order by username limit 1").await().indefinitely().iterator().next().getUUID("id");
        held(id, agent, agoSeconds + seconds, agoSeconds);
    }
}
