package nl.loket.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import nl.loket.config.LoketConfig;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.platform.LoketException;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * Per-client limits on the public POST endpoints, held across the nodes. A client is known by its
 * keyed hash ({@link ClientKeys#of}), never its address, here and in the database.
 *
 * <ul>
 *   <li><b>This node's own bucket</b> (Bucket4j, in memory) is the fast path and stays exact per
 *       node: at most the limit per minute through this node, whatever the others say.</li>
 *   <li><b>The cluster's count</b> is in the database ({@code shared_rate_count}, V49, unlogged):
 *       per client and minute window, the minute by the database's clock (the nodes' clocks may
 *       disagree on it near a minute's edge). About once a second ({@link #sync}) the node adds what it
 *       let through since its last sync, in one statement, and hears back each reported client's
 *       total and the clients over the limit in this window (at most {@link #OVER_LIST}, most
 *       first). A client whose total reached the limit is refused here until the window ends. A
 *       request never waits for the database: it reads what the last sync heard. The sync runs on
 *       the connections of {@link Db#urgent}: in the shared pool's line, a surge kept it waiting
 *       for seconds, and the nodes did not hear of each other meanwhile.</li>
 * </ul>
 * Between two syncs the nodes do not hear of each other: the cluster lets through at most the
 * limit and what the client sends in about two sync intervals on top, and never more than N times
 * the limit (each node's bucket). With the database away each node limits by its own bucket and
 * count; the failure is counted ({@code loket_failures_total{where="public-rate-sync"}}) and
 * logged at WARN, once a minute while it goes on. docs/architecture.md says more.
 */
@ApplicationScoped
public class RateLimits {

    /** Beyond this many tracked clients the idle ones are forgotten (all, past twice as many): a flood of addresses must not fill memory. */
    private static final int MAX_TRACKED = 50_000;

    /** The most clients over the limit one sync hears of besides those it reported: a bound on the answer and on memory. */
    static final int OVER_LIST = 1_000;

    private static final long SWEEP_NANOS = 10_000_000_000L;

    /** How long a window's rows are kept: past it a node that wrote rows and went quiet sends one sync to delete them. */
    private static final Duration KEPT = Duration.ofMinutes(3);

    /**
     * One statement, in the database's minute (of {@code now()}, whatever this node's clock says):
     * delete the rows two minutes older (those other syncs hold are skipped, never waited for),
     * add this node's counts ($1 keys in order, so that two syncs lock shared rows in one order,
     * $2 counts), and return the database's time (a row without a client), the totals of those
     * reported and, as of the statement's start, the clients of the minute at or over the limit
     * $3 (at most $4).
     */
    private static final String SYNC = """
            with minute as (
                select date_bin('1 minute', now(), timestamptz 'epoch') as start
            ), gone as (
                delete from shared_rate_count
                where (window_start, client_key) in (
                    select window_start, client_key from shared_rate_count
                    where window_start < (select start from minute) - interval '2 minutes'
                    for update skip locked)
            ), counted as (
                insert into shared_rate_count as c (window_start, client_key, n)
                select (select start from minute), k, n from unnest($1::text[], $2::int[]) as u(k, n) order by k
                on conflict (window_start, client_key) do update set n = c.n + excluded.n
                returning client_key, n
            )
            select null::text as client_key, null::integer as n, now() as at
            union all
            select client_key, n, null from counted
            union all
            (select client_key, n, null from shared_rate_count where window_start = (select start from minute) and n >= $3
             order by n desc limit $4)""";

    /** The database the counts are shared through. */
    interface Database {
        Uni<RowSet<Row>> query(String sql, Tuple args);
    }

    /** What the last sync heard of a client: its total in a window (plus what this node sent since). */
    private record Heard(long window, int total) {
    }

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    /** What this node let through per client since its last sync. */
    private final ConcurrentHashMap<String, AtomicInteger> unreported = new ConcurrentHashMap<>();
    /** Per client, what the syncs heard; replaced by each sync. */
    private volatile Map<String, Heard> heard = Map.of();
    private final int perMinute;
    private final int maxTracked;
    private final TimeMeter clock;
    private final InstantSource wall;
    private final UnaryOperator<String> keys;
    private final Database db;
    private final Failures.Streak syncs;
    private volatile long sweptAt;
    /** The start of the last window this node wrote to, or null when its rows are gone. */
    private volatile Instant wroteTo;
    /** How far the database's clock is ahead of this node's, as the last sync heard it: the windows are the database's. */
    private volatile Duration databaseAhead = Duration.ZERO;

    @Inject
    public RateLimits(LoketConfig config, ClientKeys keys, Db db, Failures failures) {
        this(config.limits().publicRatePerMinute(), MAX_TRACKED, TimeMeter.SYSTEM_NANOTIME, InstantSource.system(), keys::of, db::urgent,
                failures.streak("public-rate-sync"));
    }

    /** This node's own limit only, with a mark and a clock of a test's choosing. */
    RateLimits(int perMinute, int maxTracked, TimeMeter clock) {
        this(perMinute, maxTracked, clock, InstantSource.system(), UnaryOperator.identity(), null, null);
    }

    /** With the clocks, the keys and the database of a test's choosing; {@code db} null: this node's own limit only. */
    RateLimits(int perMinute, int maxTracked, TimeMeter clock, InstantSource wall, UnaryOperator<String> keys, Database db,
               Failures.Streak syncs) {
        this.perMinute = perMinute;
        this.maxTracked = maxTracked;
        this.clock = clock;
        this.wall = wall;
        this.keys = keys;
        this.db = db;
        this.syncs = syncs;
        this.sweptAt = clock.currentTimeNanos() - SWEEP_NANOS;
    }

    /**
     * Counts a public POST of the client at this address, or refuses it (429 {@code rate_limited}).
     * Returns the client's keyed hash, for what the request stores of its client: computed once.
     */
    public String checkPublic(String address) {
        String client = keys.apply(address);
        if (db != null) {
            Heard known = heard.get(client);
            if (known != null && known.window() == window(databaseTime()) && known.total() + unreported(client) >= perMinute) {
                throw limited(); // the cluster's count: not taken from this node's bucket, and not counted
            }
        }
        if (buckets.size() > maxTracked) {
            long now = clock.currentTimeNanos();
            if (now - sweptAt > SWEEP_NANOS) {
                // those refilled to the brim (idle for a minute) go: forgetting them loses no limit. Emptying every
                // bucket at once let anyone who sends from 50,000 addresses reset everybody else's limit. At most
                // one such look every 10 s: just under the mark, the next client must not pay for another
                sweptAt = now;
                buckets.values().removeIf(b -> b.getAvailableTokens() >= perMinute);
            }
            if (buckets.size() > 2 * maxTracked) {
                buckets.clear(); // twice as many clients active within a minute: memory first
            }
        }
        Bucket bucket = buckets.computeIfAbsent(client, a -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .withCustomTimePrecision(clock)
                .build());
        if (!bucket.tryConsume(1)) {
            throw limited();
        }
        if (db != null && (unreported.size() < maxTracked || unreported.containsKey(client))) {
            // past the mark a newcomer is not reported until the next sync: this node's bucket still holds it
            unreported.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
        }
        return client;
    }

    @Scheduled(every = "1s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> syncEverySecond() {
        return sync();
    }

    /**
     * Sends what this node let through since the last sync and hears the cluster's totals: one
     * statement, or none when there is nothing to report (except, once, to delete this node's
     * rows after it went quiet). Never fails: a failed sync is counted and logged, and the node
     * goes on with its own count.
     */
    Uni<Void> sync() {
        if (db == null) {
            return Uni.createFrom().voidItem();
        }
        Instant now = databaseTime();
        long current = window(now);
        // sorted: two nodes' syncs lock the rows they share in one order, and never wait for each other in a circle
        TreeMap<String, Integer> taken = new TreeMap<>();
        Map<String, Heard> before = heard;
        Map<String, Heard> meanwhile = new HashMap<>();
        for (Map.Entry<String, AtomicInteger> e : unreported.entrySet()) {
            int n = e.getValue().getAndSet(0);
            if (n == 0) {
                // nothing since the last sync: forgotten (a request that got this counter just now loses its one count)
                unreported.remove(e.getKey(), e.getValue());
                continue;
            }
            taken.put(e.getKey(), n);
            Heard known = before.get(e.getKey());
            // while the statement runs, the node counts what it sends as heard, so that its own count goes on
            meanwhile.put(e.getKey(), new Heard(current, (known != null && known.window() == current ? known.total() : 0) + n));
        }
        if (taken.isEmpty()) {
            Instant wrote = wroteTo;
            if (wrote == null || now.isBefore(wrote.plus(KEPT))) {
                return Uni.createFrom().voidItem();
            }
        } else {
            heard = merged(before, meanwhile, current);
        }
        String[] k = taken.keySet().toArray(String[]::new);
        Integer[] n = taken.values().toArray(Integer[]::new);
        return db.query(SYNC, Tuple.tuple().addArrayOfString(k).addArrayOfInteger(n).addInteger(perMinute).addInteger(OVER_LIST))
                .invoke(rows -> {
                    Instant at = databaseTime(rows);
                    // taken when the answer is here: the statement ran since, and the wait for a connection came before
                    databaseAhead = Duration.between(wall.instant(), at);
                    heard = heard(rows, window(at));
                    wroteTo = k.length > 0 ? at.truncatedTo(ChronoUnit.MINUTES) : null;
                    syncs.succeeded("Sharing the public rate limit with the other nodes works again");
                })
                .onFailure().invoke(e -> syncs.failed(e, "Sharing the public rate limit with the other nodes failed; this node limits "
                        + "by its own count until the database answers (the next sync is in a second)"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /**
     * What a sync heard: the totals of the clients it reported and of those over the limit, and
     * the clients over the limit heard before in this window (their totals only grow). Bounded:
     * past twice the mark only what this sync heard.
     */
    private Map<String, Heard> heard(RowSet<Row> rows, long window) {
        Map<String, Heard> now = new HashMap<>();
        for (Row row : rows) {
            if (row.getString("client_key") == null) {
                continue; // the database's time
            }
            // a reported client may come twice: its total after this sync, and as it was before it (over the limit)
            now.merge(row.getString("client_key"), new Heard(window, row.getInteger("n")),
                    (a, b) -> a.total() >= b.total() ? a : b);
        }
        Map<String, Heard> before = heard;
        if (before.size() + now.size() <= 2 * maxTracked + OVER_LIST) {
            before.forEach((client, h) -> {
                if (h.window() == window && h.total() >= perMinute) {
                    now.putIfAbsent(client, h);
                }
            });
        }
        return now;
    }

    /**
     * What was heard before, of this window only, with this node's counts added: what the node
     * goes on with while its sync runs, and for the rest of the window should the sync fail.
     * Bounded like {@link #heard(RowSet, long)}: with the database away for long, a flood of
     * addresses must not fill memory sync after sync.
     */
    private Map<String, Heard> merged(Map<String, Heard> before, Map<String, Heard> mine, long window) {
        Map<String, Heard> merged = new HashMap<>();
        if (before.size() + mine.size() <= 2 * maxTracked + OVER_LIST) {
            before.forEach((client, h) -> {
                if (h.window() == window) {
                    merged.put(client, h);
                }
            });
        }
        merged.putAll(mine);
        return merged;
    }

    /** Now by the database's clock, as far as the last sync told: this node's clock and the difference heard. */
    private Instant databaseTime() {
        return wall.instant().plus(databaseAhead);
    }

    /** The database's time at a sync's statement: its row without a client. */
    private static Instant databaseTime(RowSet<Row> rows) {
        for (Row row : rows) {
            if (row.getString("client_key") == null) {
                return row.getOffsetDateTime("at").toInstant();
            }
        }
        throw new IllegalStateException("a sync's answer without the database's time");
    }

    private int unreported(String client) {
        AtomicInteger n = unreported.get(client);
        return n == null ? 0 : n.get();
    }

    /** The minute an instant is in, counted from the epoch. */
    private static long window(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60);
    }

    private static LoketException limited() {
        return new LoketException("rate_limited", 429,
                "Te veel verzoeken; probeer het over een minuut opnieuw. / Too many requests; try again in a minute.");
    }

    /** How many clients this node remembers hearing of. */
    int heardOf() {
        return heard.size();
    }

    /** How many clients this node keeps a bucket for. */
    int tracked() {
        return buckets.size();
    }
}
