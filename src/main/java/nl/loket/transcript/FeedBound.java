package nl.loket.transcript;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How far the change feed's bound was held back, as of the last page this node served: gauge
 * {@code loket_feed_bound_lag_seconds}, the time between now less the safety lag and the bound
 * (the start of the oldest transaction that may still commit a change to a conversation), 0
 * when nothing held it back, and 0 before the first page. Measured where a page is served, from
 * the bound that page used, at no cost of its own: a gauge read on each scrape would need a
 * database statement on the scrape's thread, and would report a bound no reader met. When no page
 * is served the gauge keeps the last page's value (docs/operations.md).
 * <p>
 * A bound held back longer than {@code loket.feed.bound-warn-after} (60 s) is logged at WARN with
 * the holding session's pid and its transaction's age, nothing else (no statement, no data), at
 * most once a minute on each node: Loket's own transactions give up after the lock timeout
 * (15 s), so such a session is someone else's of Loket's database role (a psql session left in
 * an open transaction), and it holds every integrator's feed back for as long as it stays open.
 */
@ApplicationScoped
public class FeedBound {

    /** The least time between two warnings of one node. */
    static final Duration QUIET = Duration.ofMinutes(1);

    private final double warnAfterSeconds;
    /** The last page's lag, in milliseconds. */
    private final AtomicLong lagMillis = new AtomicLong();
    /** When the last warning was logged (System.nanoTime()); none yet: {@link Long#MIN_VALUE}. */
    private final AtomicLong warned = new AtomicLong(Long.MIN_VALUE);

    public FeedBound(MeterRegistry registry, LoketConfig config) {
        this.warnAfterSeconds = config.feed().boundWarnAfter().toMillis() / 1000.0;
        Gauge.builder("loket.feed.bound.lag.seconds", lagMillis, v -> v.get() / 1000.0)
                .description("How far the change feed's last page on this node was held back behind now less the safety lag "
                        + "by an open transaction that holds a conversation or waits for a lock; 0 when it was not")
                .register(registry);
    }

    /**
     * The bound of a page served: {@code lagSeconds} behind now less the safety lag (0: not held
     * back); {@code pid} and {@code ageSeconds} the oldest holding session's and its transaction's
     * age, null when there is none.
     */
    void served(double lagSeconds, Integer pid, Double ageSeconds) {
        lagMillis.set(Math.round(lagSeconds * 1000));
        if (lagSeconds <= warnAfterSeconds || pid == null) {
            return;
        }
        long now = System.nanoTime();
        long last = warned.get();
        if (last != Long.MIN_VALUE && now - last < QUIET.toNanos()) {
            return;
        }
        if (warned.compareAndSet(last, now)) {
            Log.warnf("The change feed is held back %.0f s by the open transaction of database session pid %d (open for %.0f s): "
                    + "integrators get no change made after it began until it ends. Unless it is Loket's own, end it with "
                    + "select pg_terminate_backend(%d) (docs/operations.md, A change feed held back)", lagSeconds, pid, ageSeconds, pid);
        }
    }
}
