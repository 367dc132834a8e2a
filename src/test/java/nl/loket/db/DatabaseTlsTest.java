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

    static final Path OPENSSL = Path.of("/usr/bin/openssl");

    @TempDir
    Path dir;

    private EmbeddedDatabase.Running running;
    private Vertx vertx;

    @BeforeEach
    void tlsOnlyServer() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(OPENSSL), "openssl is not installed; the TLS test is skipped");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Loket test CA",
                "-keyout", "ca.key", "-out", "ca.pem");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:localhost\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
                "-extfile", "san.ext", "-out", "server.crt");

        running = EmbeddedDatabase.open(dir.resolve("db"), true);
        Path data = dir.resolve("db").resolve("postgres");
        for (String file : List.of("server.crt", "server.key")) {
            Files.copy(dir.resolve(file), data.resolve(file));
            Files.setPosixFilePermissions(data.resolve(file), PosixFilePermissions.fromString("rw-------"));
        }
        try (var conn = DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/postgres", account());
             var st = conn.createStatement()) {
            st.execute("alter system set ssl = on");
            st.execute("alter system set ssl_cert_file = 'server.crt'");
            st.execute("alter system set ssl_key_file = 'server.key'");
            Files.writeString(data.resolve("pg_hba.conf"), """
                    hostssl all all 127.0.0.1/32 scram-sha-256
                    hostssl all all ::1/128      scram-sha-256
                    """);
            st.execute("select pg_reload_conf()");
        }
        Thread.sleep(500);
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/postgres?sslmode=disable", account()).close())
                .as("the server refuses connections without TLS").isInstanceOf(SQLException.class);
        vertx = Vertx.vertx();
    }

    @AfterEach
    void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        if (running != null) {
            EmbeddedDatabase.stop(running.server(), null);
        }
    }

    private int port() {
        return running.connection().port();
    }

    private Properties account() {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", running.connection().password());
        return props;
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0).as("openssl %s (see %s)", args[0], dir.resolve("openssl.log")).isTrue();
    }

    /** The options Loket's own connections get when LOKET_DB_URL is {@code url}. */
    private PgConnectOptions reactiveOptions(DatabaseConfigSource.Connection c, String name) {
        return new PgOptions(new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(c.properties(), "loket-db", 200)).build())
                .connectOptions(name);
    }

    private DatabaseConfigSource.Connection viaUrl(String host) {
        return DatabaseConfigSource.Connection.of("postgresql://postgres@" + host + ":" + port() + "/postgres?sslmode=verify-full&sslrootcert="
                + dir.resolve("ca.pem"), null, running.connection().password());
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
