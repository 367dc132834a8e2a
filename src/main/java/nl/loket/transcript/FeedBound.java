package nl.loket.transcript;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The change feed's bound ({@link #HORIZON}), and how far it is held back: gauge {@code
 * loket_feed_bound_lag_seconds}, the time between now less the safety lag and the bound (the
 * start of the oldest transaction that may still commit a change to a conversation), 0 when
 * nothing holds it back. Measured by the statement that reads each page's bound, at no cost of
 * its own; a node that served no page for {@code loket.feed.bound-refresh} (15 s) runs that
 * statement on its own, so the gauge is never older than about twice that, whether integrators
 * read or not (before, it kept the last page's value for ever: a lag long gone, or none seen
 * while a session held the feed back). A gauge read on each scrape would need a statement on the
 * scrape's thread. A measurement of its own that fails is counted ({@code
 * loket_failures_total{where="feed-bound"}}) and the gauge is NaN until one succeeds.
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

    /**
     * What the feed may show: changes stamped before now less the safety lag, and before the start
     * of every transaction that may still commit one, that is one that holds a row lock on
     * conversation (it wrote one or locked one to write it) or waits for a lock (it may be about
     * to). A transaction that only reads (an export, the statistics) does not hold the feed back,
     * however long it runs; one of another database role is not visible and counts as none. Also
     * how far the oldest such transaction holds the bound back ({@code lag}, s; 0 when it does
     * not), its session's {@code pid} and its transaction's {@code age} (s).
     */
    static final String HORIZON = """
            with holder as (
              select a.pid, a.xact_start from pg_stat_activity a
              where a.datname = current_database() and a.pid <> pg_backend_pid() and a.xact_start is not null
                and (a.wait_event_type = 'Lock' or exists (select 1 from pg_locks l where l.pid = a.pid and l.granted
                     and l.relation = 'conversation'::regclass and l.mode in ('RowShareLock', 'RowExclusiveLock')))
              order by a.xact_start limit 1)
            select least(now() - make_interval(secs => $1), coalesce((select xact_start from holder), 'infinity')) as horizon,
                   coalesce(greatest(0, extract(epoch from now() - make_interval(secs => $1) - (select xact_start from holder))), 0)::float8 as lag,
                   (select pid from holder) as pid,
                   extract(epoch from now() - (select xact_start from holder))::float8 as age""";

    private final Db db;
    private final Failures.Streak failures;
    private final double safetyLagSeconds;
    private final double warnAfterSeconds;
    private final long refreshNanos;
    /** The last measured lag, in milliseconds. */
    private final AtomicLong lagMillis = new AtomicLong();
    /** When the lag was last measured (System.nanoTime()); none yet: {@link Long#MIN_VALUE}. */
    private final AtomicLong measured = new AtomicLong(Long.MIN_VALUE);
    /** When the last warning was logged (System.nanoTime()); none yet: {@link Long#MIN_VALUE}. */
    private final AtomicLong warned = new AtomicLong(Long.MIN_VALUE);
    /** The last measurement of its own failed, and no page's since: the lag is unknown. */
    private volatile boolean unknown;

    public FeedBound(Db db, MeterRegistry registry, LoketConfig config, Failures failures) {
        this.db = db;
        this.failures = failures.streak("feed-bound");
        this.safetyLagSeconds = config.feed().safetyLag().toMillis() / 1000.0;
        this.warnAfterSeconds = config.feed().boundWarnAfter().toMillis() / 1000.0;
        this.refreshNanos = config.feed().boundRefresh().toNanos();
        Gauge.builder("loket.feed.bound.lag.seconds", lagMillis, v -> unknown ? Double.NaN : v.get() / 1000.0)
                .description("How far the change feed's bound is held back behind now less the safety lag by an open transaction "
                        + "that holds a conversation or waits for a lock, as of this node's last page or, without one, its own "
                        + "measurement every loket.feed.bound-refresh; 0 when it is not, NaN while it cannot be measured")
                .register(registry);
    }

    /** The bound of a page about to be read, in a statement of its own; measures the lag as it goes. */
    Uni<OffsetDateTime> horizon() {
        return db.query(HORIZON, Tuple.of(safetyLagSeconds)).map(rows -> {
            Row r = rows.iterator().next();
            measured(r.getDouble("lag"), r.getInteger("pid"), r.getDouble("age"));
            return r.getOffsetDateTime("horizon");
        });
    }

    /** A node that served no page for a refresh period measures the bound afresh: the gauge shows no lag long gone. */
    @Scheduled(every = "${loket.feed.bound-refresh:15s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        long last = measured.get();
        if (last != Long.MIN_VALUE && System.nanoTime() - last < refreshNanos) {
            return Uni.createFrom().voidItem();
        }
        return horizon().invoke(() -> failures.succeeded("Measuring the change feed's bound for loket_feed_bound_lag_seconds works again"))
                .onFailure().invoke(e -> {
                    unknown = true;
                    failures.failed(e, "Measuring the change feed's bound for loket_feed_bound_lag_seconds failed; "
                            + "it shows NaN until a measurement succeeds");
                }).onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * The bound is {@code lagSeconds} behind now less the safety lag (0: not held back);
     * {@code pid} and {@code ageSeconds} the oldest holding session's and its transaction's age,
     * null when there is none.
     */
    private void measured(double lagSeconds, Integer pid, Double ageSeconds) {
        lagMillis.set(Math.round(lagSeconds * 1000));
        unknown = false;
        measured.set(System.nanoTime());
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
