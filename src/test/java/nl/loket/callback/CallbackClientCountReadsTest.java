package nl.loket.callback;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The per-address limit on callback requests counts a client's live requests before every new
 * one: on the day a script floods the form, every request of the retention period is in the
 * table. The count must read that client's live requests through the partial index made for it
 * (V44), also once the prepared statement's plan has turned generic, not the whole table. Here
 * the plan is generic at once and sequential scans are priced out; what the count read is taken
 * from the transaction's own table statistics.
 */
@QuarkusTest
class CallbackClientCountReadsTest {

    private static final int HISTORY = 1_500;

    @Inject
    Db db;

    @Test
    void theCountReadsTheClientsLiveRequestsNotTheHistory() {
        String topic = TestTopics.create();
        String client = "flood-" + System.nanoTime();
        db.query("insert into callback_request (id, topic, phone, state, priority_at, client_key) "
                        + "select gen_random_uuid(), $1, '+31612345678', 'done', now(), $2 from generate_series(1, $3)",
                Tuple.of(topic, client, HISTORY)).await().indefinitely();

        long read = db.tx(tx -> tx.query("set local plan_cache_mode = force_generic_plan", Tuple.tuple())
                        .chain(() -> tx.query("set local enable_seqscan = off", Tuple.tuple()))
                        .chain(() -> reads(tx))
                        .chain(before -> tx.query(CallbackService.LIVE_OF_CLIENT, liveOf(client)).chain(() -> reads(tx))
                                .map(after -> after - before)))
                .await().indefinitely();

        // none of the client's HISTORY requests is live
        assertThat(read).as("callback requests read to count one client's live ones").isZero();
    }

    /** The states written into the count's text are the live ones, all of them and no other. */
    @Test
    void theCountNamesEveryLiveStateAndNoOther() {
        for (CallbackState state : CallbackState.values()) {
            assertThat(CallbackService.LIVE_OF_CLIENT.contains("'" + state.wire() + "'"))
                    .as("%s in the count", state).isEqualTo(CallbackState.LIVE.contains(state));
        }
    }

    private static Tuple liveOf(String client) {
        return CallbackService.LIVE_OF_CLIENT.contains("$2") ? Tuple.of(client, CallbackState.wire(CallbackState.LIVE)) : Tuple.of(client);
    }

    private static io.smallrye.mutiny.Uni<Long> reads(Db.Tx tx) {
        return tx.query("select coalesce(seq_tup_read, 0) + coalesce(idx_tup_fetch, 0) as n "
                        + "from pg_stat_xact_user_tables where relname = 'callback_request'", Tuple.tuple())
                .map(rows -> rows.iterator().next().getLong("n"));
    }
}
