package nl.loket.events;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backlog of domain events (a surge writes one per arrival, a few hundred a second) is worked
 * off in one round, batch after batch, not one batch of {@link EventDrainer#BATCH} a second.
 */
@QuarkusTest
class EventDrainerTest {

    @Inject
    EventDrainer drainer;

    @Inject
    Db db;

    @Test
    void oneRoundSendsMoreThanOneBatchOfABacklog() {
        String type = "test.backlog." + System.nanoTime();
        int backlog = 10 * EventDrainer.BATCH;
        db.query("insert into outbox (type, payload) select $1, jsonb_build_object('n', n) from generate_series(1, $2) n",
                Tuple.of(type, backlog)).await().indefinitely();

        drainer.drain().await().indefinitely();

        // one batch a round would leave 900, or 800 with the scheduled round running beside this
        // one; a round that goes on while batches come back full sends at least three batches in
        // its half second (all ten when the machine is not slow)
        assertThat(unsent(type)).isLessThanOrEqualTo(backlog - 3 * EventDrainer.BATCH);
    }

    private long unsent(String type) {
        return db.query("select count(*) as n from outbox where type = $1 and sent_at is null", Tuple.of(type))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely();
    }
}
