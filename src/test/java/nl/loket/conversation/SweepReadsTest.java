package nl.loket.conversation;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every node runs the three timed sweeps every second, each an update of the conversations in
 * one state. They must read the conversations in that state (a few hundred, on a surge day ten
 * thousand), not the whole table (every conversation of the retention period and the purged
 * ones after it). A prepared statement's plan turns generic after a few runs, and a generic plan
 * cannot use the partial indexes on {@code state} when the state is a parameter: the sweeps then
 * read the whole table every second on every node. Here the plans are made generic at once and
 * sequential scans priced out, as the sweeps meet them on a large table; what they read is taken
 * from the transaction's own table statistics.
 */
@QuarkusTest
class SweepReadsTest {

    private static final int HISTORY = 1_500;

    @Inject
    Db db;

    @Test
    void theSweepsReadTheOpenConversationsNotTheHistory() {
        String topic = TestTopics.create();
        db.query("insert into conversation (id, topic, state, queued_at, closed_at) "
                        + "select gen_random_uuid(), $1, 'closed', now() - interval '2 days', now() - interval '1 day' from generate_series(1, $2)",
                Tuple.of(topic, HISTORY)).await().indefinitely();

        long open = db.query("select count(*) as n from conversation where state in ('queued', 'active')")
                .await().indefinitely().iterator().next().getLong("n");

        long abandon = readsOf(tx -> ConversationRepository.abandonGone(tx, Duration.ofHours(1)).replaceWithVoid());
        long requeue = readsOf(tx -> ConversationRepository.requeueFromGoneAgents(tx, Duration.ofHours(1)).replaceWithVoid());
        long inactive = readsOf(tx -> ConversationRepository.closeInactive(tx, Duration.ofHours(1)).replaceWithVoid());

        // the history alone is HISTORY rows; each sweep reads the open ones, and again by id those
        // it moves (it takes them FOR NO KEY UPDATE SKIP LOCKED first, then updates them). In the
        // whole build other tests' open conversations are there too, and may move or open meanwhile:
        // the abandon sweep once read 20 with 18 counted open. Twice the open ones is still far
        // below the history, which a sweep with its state as a parameter reads whole
        assertThat(abandon).as("rows the resident-gone sweep read (open: %d)", open).isLessThanOrEqualTo(2 * open);
        assertThat(requeue).as("rows the agent-gone sweep read (open: %d)", open).isLessThanOrEqualTo(2 * open);
        assertThat(inactive).as("rows the inactivity sweep read (open: %d)", open).isLessThanOrEqualTo(2 * open);
    }

    /** The conversation rows a sweep read, with a generic plan and sequential scans priced out. */
    private long readsOf(Function<Db.Tx, io.smallrye.mutiny.Uni<Void>> sweep) {
        return db.tx(tx -> tx.query("set local plan_cache_mode = force_generic_plan", Tuple.tuple())
                .chain(() -> tx.query("set local enable_seqscan = off", Tuple.tuple()))
                .chain(() -> read(tx))
                // an hour's grace: nothing of this run's tests is moved
                .chain(before -> sweep.apply(tx).chain(() -> read(tx)).map(after -> after - before)))
                .await().indefinitely();
    }

    private static io.smallrye.mutiny.Uni<Long> read(Db.Tx tx) {
        return tx.query("select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as n "
                        + "from pg_stat_xact_user_tables where relname = 'conversation'", Tuple.tuple())
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return r.getLong("n");
                });
    }
}
