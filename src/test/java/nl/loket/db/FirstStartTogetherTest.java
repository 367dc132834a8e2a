package nl.loket.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes of a new installation started at the same moment (a deployment that starts two replicas
 * at once) all make the shared keys' schema and tables before Flyway runs. PostgreSQL's
 * {@code create ... if not exists} is not safe against itself: the second of two concurrent
 * creates fails on the catalogue's unique index, and that node did not start. Every node must
 * start, and all must end up with the same key and secrets.
 */
class FirstStartTogetherTest {

    private static final int NODES = 6;
    private static final int ROUNDS = 15;

    @TempDir
    Path dataDir;

    private EmbeddedDatabase.Running running;

    @AfterEach
    void stop() {
        if (running != null) {
            EmbeddedDatabase.stop(running.server(), null);
        }
    }

    @Test
    void nodesThatStartTogetherOnANewDatabaseAllStartWithTheSameKeys() throws Exception {
        running = EmbeddedDatabase.open(dataDir, true);
        DatabaseConfigSource.Connection db = running.connection();
        ExecutorService pool = Executors.newFixedThreadPool(NODES);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                dropKeys(db);
                CyclicBarrier together = new CyclicBarrier(NODES);
                List<Future<String>> starts = new ArrayList<>();
                for (int n = 0; n < NODES; n++) {
                    starts.add(pool.submit(() -> {
                        together.await(10, TimeUnit.SECONDS);
                        String secret = StoredSecret.loadOrCreate(db, StoredSecret.FEED_CURSOR);
                        return secret + "|" + SigningKeys.loadOrCreate(db).publicPem();
                    }));
                }
                List<String> seen = new ArrayList<>();
                for (Future<String> start : starts) {
                    seen.add(start.get(60, TimeUnit.SECONDS)); // a node that failed to start throws here
                }
                assertThat(seen).as("round %d: every node has the same secret and key", round).containsOnly(seen.get(0));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void dropKeys(DatabaseConfigSource.Connection db) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        props.setProperty("password", db.password());
        try (var conn = DriverManager.getConnection(db.jdbcUrl(), props); var st = conn.createStatement()) {
            st.execute("drop schema if exists loket_keys cascade");
        }
    }
}
