package nl.loket.platform;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A lone change runs the work at once; changes close together wait for one run a gap later. */
class BeatTest {

    static final long GAP_MILLIS = 1000;

    final Vertx vertx = Vertx.vertx();
    final List<Long> runs = new CopyOnWriteArrayList<>();
    Beat beat;

    @AfterEach
    void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aLoneChangeRunsAtOnceAndAStreamOncePerGap() throws InterruptedException {
        beat = new Beat(vertx, GAP_MILLIS, () -> {
            if (beat.due()) {
                beat.began();
                runs.add(System.nanoTime());
            }
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            beat.soon();
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
        assertThat(Duration.ofNanos(runs.get(0) - t0)).as("the first run does not wait for a beat").isLessThan(Duration.ofMillis(GAP_MILLIS));

        // a hundred changes made one run
        Thread.sleep(GAP_MILLIS / 10);
        beat.soon();
        beat.soon();
        Thread.sleep(GAP_MILLIS / 10);
        assertThat(runs).as("a change soon after a run waits for the gap").hasSize(1);

        await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
        assertThat(Duration.ofNanos(runs.get(1) - runs.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(GAP_MILLIS));
        Thread.sleep(GAP_MILLIS + GAP_MILLIS / 2);
        assertThat(runs).as("no run without a change").hasSize(2);
    }

    @Test
    void aRunCalledTooSoonIsPutOffNotLost() {
        beat = new Beat(vertx, GAP_MILLIS, () -> {
            if (beat.due()) {
                beat.began();
                runs.add(System.nanoTime());
            }
        });
        beat.soon();
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 1);
        // a periodic backstop calling the work right after a run: not now, but later
        vertx.runOnContext(v -> {
            if (beat.due()) {
                beat.began();
                runs.add(System.nanoTime());
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> runs.size() == 2);
        assertThat(Duration.ofNanos(runs.get(1) - runs.get(0))).isGreaterThanOrEqualTo(Duration.ofMillis(GAP_MILLIS));
    }
}
