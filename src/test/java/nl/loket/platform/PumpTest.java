package nl.loket.platform;

import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class PumpTest {

    /** Timers the test fires by hand. */
    private final Deque<Runnable> timers = new ArrayDeque<>();
    private final List<Long> pauses = new ArrayList<>();

    private Pump pump(AtomicInteger runs, int failFirst, List<Throwable> reported) {
        return new Pump(() -> runs.incrementAndGet() <= failFirst
                ? Uni.createFrom().failure(new IllegalStateException("the database is not back yet"))
                : Uni.createFrom().voidItem(), reported::add, (millis, task) -> {
            pauses.add(millis);
            timers.add(task);
        });
    }

    @Test
    void aFailedRunIsRunAgainAfterAPauseThatGrowsWithEachFailure() {
        AtomicInteger runs = new AtomicInteger();
        List<Throwable> reported = new ArrayList<>();
        Pump pump = pump(runs, 3, reported);
        pump.trigger();
        assertThat(runs).hasValue(1);
        // nothing else triggers (a quiet conversation): the pump's own timer runs it again
        while (!timers.isEmpty()) {
            timers.poll().run();
        }
        assertThat(runs).hasValue(4);
        assertThat(reported).hasSize(3);
        assertThat(pauses).containsExactly(500L, 1000L, 2000L);
        // after a success the next failure starts again from the first pause
        pump.trigger();
        assertThat(runs).hasValue(5);
        assertThat(timers).isEmpty();
    }

    @Test
    void onePendingRetryAtATimeAndThePauseHasACeiling() {
        AtomicInteger runs = new AtomicInteger();
        Pump pump = pump(runs, 100, new ArrayList<>());
        pump.trigger();
        pump.trigger(); // a change arrives while the retry waits: it runs, fails, and no second timer is set
        assertThat(runs).hasValue(2);
        assertThat(timers).hasSize(1);
        for (int i = 0; i < 12; i++) {
            timers.poll().run();
        }
        assertThat(pauses.get(pauses.size() - 1)).isEqualTo(30_000L);
        assertThat(timers).hasSize(1);
    }
}
