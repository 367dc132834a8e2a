package nl.loket.events;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import io.smallrye.mutiny.Uni;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A backlog of domain events (a surge writes one per arrival, a few hundred a second) is worked
 * off in one round, batch after batch, not one batch of {@link EventDrainer#BATCH} a second. A
 * round that fails is counted each time, and logged when it starts failing and when it works again.
 */
@QuarkusTest
class EventDrainerTest {

    @Inject
    EventDrainer drainer;

    @Inject
    Db db;

    @Inject
    Failures failures;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /**
     * A broker that takes longer to confirm a batch than Loket's connections let a transaction
     * stay idle (loket.db.idle-in-transaction-timeout, 5 s in tests): the batch goes out once and
     * is marked sent. Ended by PostgreSQL in the middle, it would go out again and again.
     */
    @Test
    void aBatchThatTakesLongerToSendThanTheIdleBoundIsSentOnceAndMarkedSent() {
        String type = "test.slow." + System.nanoTime();
        db.query("insert into outbox (type, payload) select $1, jsonb_build_object('n', n) from generate_series(1, $2) n",
                Tuple.of(type, 3 * EventDrainer.BATCH)).await().indefinitely();
        List<Long> published = new CopyOnWriteArrayList<>();
        EventSink slow = event -> {
            Uni<Void> handed = Uni.createFrom().voidItem().invoke(() -> published.add(event.id()));
            // the first of the batch waits for the broker's confirmation for 6 s
            return published.isEmpty() ? handed.onItem().delayIt().by(Duration.ofSeconds(6)) : handed;
        };
        EventDrainer slowDrainer = new EventDrainer(db, slow, true, failures);

        int sent = slowDrainer.drainOnce().await().atMost(Duration.ofSeconds(30));

        assertThat(sent).as("a batch sent (the scheduled rounds leave some of ours)").isPositive().isEqualTo(published.size());
        assertThat(db.query("select count(*) as n from outbox where id = any($1) and sent_at is null",
                        Tuple.of((Object) published.toArray(new Long[0]))).await().indefinitely().iterator().next().getLong("n"))
                .as("of the events sent, still unsent").isZero();
    }

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

    /**
     * The outbox cannot be read (here it is briefly gone; a broker that is down fails the same
     * round): every failed round counts in {@code loket_failures_total{where="events"}}, the log
     * says so once, not every second, and says when sending works again.
     */
    @Test
    void failedRoundsAreCountedEachTimeAndLoggedWhenTheyStartAndEnd() {
        drainer.drain().await().atMost(Duration.ofSeconds(10));
        double before = Metrics.scrape(metrics).failures("events");
        try (LogCapture logs = new LogCapture()) {
            db.query("alter table outbox rename to outbox_gone").await().atMost(Duration.ofSeconds(10));
            try {
                for (int i = 0; i < 4; i++) {
                    drainer.drain().await().atMost(Duration.ofSeconds(10));
                }
                // at least ours: the scheduled round, every second, fails meanwhile as well
                assertThat(Metrics.scrape(metrics).failures("events") - before).isGreaterThanOrEqualTo(4);
                assertThat(logs.loket(Level.WARNING, "Sending domain events failed")).as(logs.all()).hasSize(1);
            } finally {
                db.query("alter table outbox_gone rename to outbox").await().atMost(Duration.ofSeconds(10));
            }
            drainer.drain().await().atMost(Duration.ofSeconds(10));
            assertThat(logs.loket(Level.INFO, "Sending domain events works again")).as(logs.all()).hasSize(1);
            assertThat(logs.loket(Level.WARNING, "Sending domain events failed")).hasSize(1);
        }
    }

    private long unsent(String type) {
        return db.query("select count(*) as n from outbox where type = $1 and sent_at is null", Tuple.of(type))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely();
    }
}
