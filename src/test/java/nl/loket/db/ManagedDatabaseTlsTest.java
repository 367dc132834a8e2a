package nl.loket.db;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.ClusterListener;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole service against a PostgreSQL that takes TLS connections only, configured as an
 * operator would for a managed database: {@code LOKET_DB_URL=postgresql://postgres@localhost:…/postgres?sslmode=verify-full&sslrootcert=…}.
 * It starts (Flyway and the start-up secrets over TLS), and every connection it keeps (the shared
 * pool Quarkus builds, the chat pool, the LISTEN connection) is a verified TLS connection. Without
 * openssl the database cannot be made, and the start fails saying so.
 */
@QuarkusTest
@TestProfile(ManagedDatabaseTlsTest.TlsProfile.class)
class ManagedDatabaseTlsTest {

    public static class TlsProfile implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TlsDatabaseResource.class));
        }
    }

    public static class TlsDatabaseResource implements QuarkusTestResourceLifecycleManager {
        private TlsOnlyDatabase db;
        private Path dir;

        @Override
        public Map<String, String> start() {
            if (!TlsOnlyDatabase.available()) {
                throw new IllegalStateException("openssl is not installed (apt-get install openssl): the TLS database cannot be made");
            }
            try {
                dir = Files.createTempDirectory("loket-tls-");
                db = new TlsOnlyDatabase(dir);
            } catch (Exception e) {
                throw new IllegalStateException("Could not start the TLS-only test database", e);
            }
            return Map.of("LOKET_DB_URL", db.url("localhost"), "LOKET_DB_PASSWORD", db.password());
        }

        @Override
        public void stop() {
            if (db != null) {
                db.close();
            }
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                } catch (java.io.IOException ignored) {
                    // a temporary directory
                }
            }
        }
    }

    static final String SSL = "select ssl from pg_stat_ssl where pid = pg_backend_pid()";

    @Inject
    Db db;

    @Inject
    ClusterListener listener;

    @Test
    void everyConnectionOfTheServiceIsVerifiedTls() {
        Duration wait = Duration.ofSeconds(10);
        assertThat(db.query(SSL).await().atMost(wait).iterator().next().getBoolean("ssl")).as("the shared pool").isTrue();
        assertThat(db.chat(SSL, Tuple.tuple()).await().atMost(wait).iterator().next().getBoolean("ssl")).as("the chat pool").isTrue();
        assertThat(listener.listening()).isTrue();
        Row listen = db.query("select count(*) as n, bool_and(s.ssl) as ssl from pg_stat_ssl s join pg_stat_activity a using (pid) "
                + "where a.application_name = 'loket-listen'").await().atMost(wait).iterator().next();
        assertThat(listen.getLong("n")).isEqualTo(1);
        assertThat(listen.getBoolean("ssl")).as("the LISTEN connection").isTrue();
        Row all = db.query("select count(*) as n, bool_and(s.ssl) as ssl from pg_stat_ssl s join pg_stat_activity a using (pid) "
                + "where a.backend_type = 'client backend'").await().atMost(wait).iterator().next();
        assertThat(all.getLong("n")).isGreaterThanOrEqualTo(3);
        assertThat(all.getBoolean("ssl")).as("every client connection").isTrue();
        assertThat(db.query("select count(*) as n from flyway_schema_history").await().atMost(wait).iterator().next().getLong("n"))
                .as("migrated over TLS").isPositive();
    }
}
