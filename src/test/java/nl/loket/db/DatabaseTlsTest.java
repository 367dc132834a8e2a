package nl.loket.db;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import nl.loket.platform.PgOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A PostgreSQL that takes TLS connections only (pg_hba: hostssl), with a certificate of a CA
 * made here for the host name {@code localhost}, reached as LOKET_DB_URL says with
 * {@code sslmode=verify-full&sslrootcert=…}: Flyway's JDBC URL, the chat pool's and the LISTEN
 * connection's options (PgOptions, from the keys Loket sets) all connect with TLS, and refuse a
 * server whose certificate does not name the host they asked for. The shared pool Quarkus builds
 * from the same keys is not started here. Skipped, saying so, without openssl.
 */
class DatabaseTlsTest {

    @TempDir
    Path dir;

    private TlsOnlyDatabase db;
    private Vertx vertx;

    @BeforeEach
    void tlsOnlyServer() throws Exception {
        Assumptions.assumeTrue(TlsOnlyDatabase.available(), "openssl is not installed; the TLS test is skipped");
        db = new TlsOnlyDatabase(dir);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (db != null) {
            db.close();
        }
    }

    private Properties account() {
        return db.account();
    }

    /** The options Loket's own connections get when LOKET_DB_URL is {@code url}. */
    private PgConnectOptions reactiveOptions(DatabaseConfigSource.Connection c, String name) {
        return new PgOptions(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(c.properties(), "loket-db", 200)).build())
                .connectOptions(name);
    }

    private DatabaseConfigSource.Connection viaUrl(String host) {
        return DatabaseConfigSource.Connection.of(db.url(host), null, db.password());
    }

    @Test
    void flywayTheChatPoolAndTheListenConnectionAllUseVerifiedTls() throws Exception {
        DatabaseConfigSource.Connection c = viaUrl("localhost");

        try (var conn = DriverManager.getConnection(c.jdbcUrl(), account()); var st = conn.createStatement();
             var rs = st.executeQuery("select ssl from pg_stat_ssl where pid = pg_backend_pid()")) {
            assertThat(rs.next() && rs.getBoolean(1)).as("Flyway's JDBC connection uses TLS").isTrue();
        }
        assertThat(StoredSecret.loadOrCreate(c, StoredSecret.FEED_CURSOR)).as("the secrets are read at start over TLS too").isNotBlank();

        Pool chat = PgBuilder.pool().connectingTo(reactiveOptions(c, "loket-chat")).using(vertx).build();
        Row row = chat.query("select ssl from pg_stat_ssl where pid = pg_backend_pid()").execute()
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).iterator().next();
        assertThat(row.getBoolean("ssl")).as("the chat pool uses TLS").isTrue();

        PgSubscriber listen = PgSubscriber.subscriber(vertx, reactiveOptions(c, "loket-listen"));
        listen.channel("loket").handler(payload -> { });
        listen.connect().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
        Thread.sleep(300);
        Row listening = chat.query("select bool_and(s.ssl) as ssl, count(*) as n from pg_stat_ssl s join pg_stat_activity a using (pid) "
                        + "where a.query ilike 'listen%'").execute()
                .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS).iterator().next();
        assertThat(listening.getLong("n")).isEqualTo(1);
        assertThat(listening.getBoolean("ssl")).as("the LISTEN connection uses TLS").isTrue();
        listen.close();
        chat.close();
    }

    @Test
    void verifyFullRefusesAServerWhoseCertificateNamesAnotherHost() {
        // the certificate names localhost, not 127.0.0.1: verify-ca would pass, verify-full must not
        DatabaseConfigSource.Connection c = viaUrl("127.0.0.1");
        assertThatThrownBy(() -> DriverManager.getConnection(c.jdbcUrl(), account()).close()).isInstanceOf(SQLException.class);
        Pool chat = PgBuilder.pool().connectingTo(reactiveOptions(c, "loket-chat")).using(vertx).build();
        assertThatThrownBy(() -> chat.query("select 1").execute().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS))
                .as("the reactive client checks the host name");
        chat.close();
    }
}
