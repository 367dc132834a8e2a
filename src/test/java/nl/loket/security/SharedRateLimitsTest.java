package nl.loket.security;

import io.github.bucket4j.TimeMeter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.platform.LoketException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The public limit across nodes: two {@link RateLimits} against the test database stand for two
 * nodes behind a round-robin proxy. Six requests a minute stand for production's 60; the syncs,
 * once a second in production, are called here by hand, and one test clock (both nodes') stands
 * for the time. The windows are the database's minutes: each test starts early in one, so that
 * its syncs fall in the same minute.
 */
@QuarkusTest
class SharedRateLimitsTest {

    private static final int LIMIT = 6;
    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Db db;

    @Inject
    ClientKeys keys;

    @Inject
    Failures failures;

    @Inject
    RateLimits limits;

    @Inject
    Vertx vertx;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    /** The nodes' clock, set to the database's time when a test starts. */
    private TestClock clock;

    @BeforeEach
    void earlyInTheDatabasesMinute() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> databaseTime().getEpochSecond() % 60 < 40);
        clock = new TestClock(databaseTime());
    }

    @Test
    void aClientSpendingTheLimitAcrossBothNodesIsRefusedByBothOnceTheyHaveSynced() {
        RateLimits a = node(100);
        RateLimits b = node(100);
        String client = address();
        String other = address();

        // half the limit at each node: each node's own bucket lets them through
        for (int i = 0; i < LIMIT / 2; i++) {
            a.checkPublic(client);
            b.checkPublic(client);
        }
        sync(a);
        sync(b);
        assertLimited(b, client); // b heard of a's three and its own three

        // a synced before b reported: it heard of its own three only, and lets one more through (the overshoot of
        // one sync, docs/architecture.md); its next sync reports that one and hears the total
        a.checkPublic(client);
        sync(a);
        assertLimited(a, client);
        assertLimited(b, client);

        // another client of the same nodes goes on
        a.checkPublic(other);
        b.checkPublic(other);
        sync(a);
        sync(b);
        a.checkPublic(other);
        b.checkPublic(other);

        // the next minute lets the client in again, at both (until a sync tells them that the database's minute,
        // real time, has not moved on)
        clock.later(Duration.ofSeconds(60));
        a.checkPublic(client);
        b.checkPublic(client);
    }

    @Test
    void aClientOnlyAnotherNodeSawIsRefusedAtTheFirstSyncOfANodeWithTrafficOfItsOwn() {
        RateLimits a = node(100);
        RateLimits b = node(100);
        String client = address();
        for (int i = 0; i < LIMIT; i++) {
            b.checkPublic(client);
        }
        assertLimited(b, client);
        sync(b);

        a.checkPublic(address()); // a has something of its own to report, and hears who is over the limit
        sync(a);
        assertLimited(a, client);
    }

    @Test
    void nodesWhoseClocksDisagreeOnTheMinuteCountAClientInTheDatabasesMinute() {
        RateLimits a = node(100);
        // b's clock a minute ahead of a's: by its own clock it is always in another minute, as a clock a few seconds
        // ahead is near a minute's end
        TestClock ahead = new TestClock(clock.instant().plusSeconds(60));
        RateLimits b = new RateLimits(LIMIT, 100, ahead, ahead, keys::of, db::query, failures.streak("public-rate-sync"));
        String client = address();
        for (int i = 0; i < LIMIT / 2; i++) {
            a.checkPublic(client);
            b.checkPublic(client);
        }
        sync(a);
        sync(b);
        assertLimited(b, client);

        a.checkPublic(address()); // something of its own to report: a hears who is over the limit
        sync(a);
        assertLimited(a, client);
    }

    @Test
    void aNodesCountReachesTheDatabaseWhileASurgeFillsTheSharedPool() {
        // three seconds of statements in the shared pool's line: 1,200 of 50 ms on its 20 connections
        int surge = 1_200;
        AtomicInteger through = new AtomicInteger();
        for (int i = 0; i < surge; i++) {
            db.query("select pg_sleep(0.05)", Tuple.tuple()).subscribe().with(rows -> through.incrementAndGet(), e -> through.incrementAndGet());
        }
        String client = address();
        limits.checkPublic(client); // this node's own, synced once a second by its scheduler

        // read on the chat connections, beside the line: a read in it would come after the surge whatever the sync did
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> db.urgent(
                "select count(*) as n from shared_rate_count where client_key = $1", Tuple.of(keys.of(client)))
                .await().atMost(WAIT).iterator().next().getLong("n") > 0);
        assertThat(through.get()).as("the surge's statements through when the other nodes could hear of the client")
                .isLessThan(surge / 2);
        await().atMost(WAIT).until(() -> through.get() == surge);
    }

    @Test
    void theDatabaseHoldsTheClientsKeyedHashNeverItsAddress() {
        RateLimits a = node(100);
        RateLimits b = node(100);
        String client = address();
        a.checkPublic(client);
        a.checkPublic(client);
        b.checkPublic(client);
        sync(a);
        sync(b);

        Map<String, Integer> counts = countsOfThisWindow();
        assertThat(counts).as("this minute's counts, by client key").containsEntry(keys.of(client), 3);
        assertThat(counts).doesNotContainKey(client);
        String table = db.query("select coalesce(string_agg(t::text, ','), '') as all_rows from shared_rate_count t", Tuple.tuple())
                .await().atMost(WAIT).iterator().next().getString("all_rows");
        assertThat(table).as("everything the table holds").doesNotContain(client);
    }

    @Test
    void aFloodOfAddressesReportsNoMoreClientsThanTheMarkAndOldWindowsAreDeleted() {
        db.query("insert into shared_rate_count (window_start, client_key, n) values (now() - interval '5 minutes', $1, 1)",
                Tuple.of(keys.of("gone"))).await().atMost(WAIT);
        RateLimits a = node(4);
        List<String> flood = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String client = address();
            flood.add(keys.of(client));
            a.checkPublic(client);
        }
        sync(a);
        assertThat(countsOfThisWindow().keySet().stream().filter(flood::contains)).as("clients of the flood counted in the database")
                .hasSizeLessThanOrEqualTo(4);
        assertThat(db.query("select count(*) as n from shared_rate_count where client_key = $1", Tuple.of(keys.of("gone")))
                .await().atMost(WAIT).iterator().next().getLong("n")).as("rows of a window five minutes ago").isZero();
    }

    @Test
    void withTheDatabaseAwayEachNodeKeepsItsOwnLimitAndTheFailureIsLoggedOnceAndCounted() throws Exception {
        Pool away = away();
        try (LogCapture logs = new LogCapture()) {
            String where = "public-rate-sync-test";
            RateLimits a = new RateLimits(LIMIT, 100, clock, clock, keys::of, (sql, args) -> away.preparedQuery(sql).execute(args),
                    failures.streak(where));
            String client = address();
            double before = Metrics.scrape(metrics).failures(where);
            for (int i = 0; i < LIMIT; i++) {
                a.checkPublic(client);
                sync(a); // fails: nothing waits for it, and the request after it is answered from this node's own count
            }
            assertLimited(a, client);
            sync(a);

            assertThat(Metrics.scrape(metrics).failures(where) - before).as("failed syncs counted").isEqualTo(LIMIT);
            assertThat(logs.loket(Level.WARNING, "public rate limit")).as(logs.all()).hasSize(1);
            assertThat(logs.all()).doesNotContain(client).doesNotContain(keys.of(client));
        } finally {
            away.close().await().atMost(WAIT);
        }
    }

    @Test
    void withTheDatabaseAwayAFloodOfAddressesDoesNotFillMemorySyncAfterSync() throws Exception {
        Pool away = away();
        try {
            RateLimits a = new RateLimits(LIMIT, 4, clock, clock, keys::of, (sql, args) -> away.preparedQuery(sql).execute(args),
                    failures.streak("public-rate-sync-test"));
            for (int sync = 0; sync < 700; sync++) {
                for (int i = 0; i < 5; i++) {
                    a.checkPublic(address());
                }
                sync(a);
            }
            assertThat(a.heardOf()).as("clients this node remembers hearing of").isLessThanOrEqualTo(2 * 4 + RateLimits.OVER_LIST);
        } finally {
            away.close().await().atMost(WAIT);
        }
    }

    /** A pool whose database is away: nobody listens on its port. */
    private Pool away() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        return Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(1).setConnectionTimeout(2).setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closed).setUser("loket").setDatabase("loket"))
                .using(vertx.getDelegate())
                .build());
    }

    private RateLimits node(int maxTracked) {
        return new RateLimits(LIMIT, maxTracked, clock, clock, keys::of, db::query, failures.streak("public-rate-sync"));
    }

    private static void sync(RateLimits node) {
        node.sync().await().atMost(WAIT);
    }

    private Map<String, Integer> countsOfThisWindow() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Row row : db.query("select client_key, n from shared_rate_count where window_start = date_trunc('minute', now())",
                Tuple.tuple()).await().atMost(WAIT)) {
            counts.put(row.getString("client_key"), row.getInteger("n"));
        }
        return counts;
    }

    private Instant databaseTime() {
        return db.query("select now() as at", Tuple.tuple()).await().atMost(WAIT).iterator().next().getOffsetDateTime("at").toInstant();
    }

    /** A client address of IPv6's documentation prefix, as ClientAddress gives it (a /64 network), new to this test run. */
    private static String address() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return String.format("2001:db8:%x:%x::/64", r.nextInt(0x10000), r.nextInt(0x10000));
    }

    private static void assertLimited(RateLimits node, String client) {
        assertThatThrownBy(() -> node.checkPublic(client)).isInstanceOfSatisfying(LoketException.class,
                e -> assertThat(e.status()).isEqualTo(429));
    }

    /** Both nodes' clocks: the buckets' nanoseconds and the wall clock the windows are taken from, moved by the test. */
    static final class TestClock implements TimeMeter, InstantSource {

        private final AtomicLong nanos;

        TestClock(Instant start) {
            this.nanos = new AtomicLong(ChronoUnit.NANOS.between(Instant.EPOCH, start));
        }

        void later(Duration d) {
            nanos.addAndGet(d.toNanos());
        }

        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }

        @Override
        public Instant instant() {
            return Instant.EPOCH.plusNanos(nanos.get());
        }
    }
}
