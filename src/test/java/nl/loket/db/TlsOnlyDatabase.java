package nl.loket.db;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * An embedded PostgreSQL that takes TLS connections only (pg_hba: hostssl), with a server
 * certificate for the host name {@code localhost} from a CA made here with openssl. For tests.
 */
public final class TlsOnlyDatabase implements AutoCloseable {

    public static final Path OPENSSL = Path.of("/usr/bin/openssl");

    private final Path dir;
    private final EmbeddedDatabase.Running running;

    public static boolean available() {
        return Files.isExecutable(OPENSSL);
    }

    public TlsOnlyDatabase(Path dir) throws Exception {
        this.dir = dir;
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                DriverManager.getConnection("jdbc:postgresql://localhost:" + port() + "/postgres?sslmode=disable", account()).close();
            } catch (SQLException refused) {
                break; // TLS only now
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the test database still takes connections without TLS");
            }
            Thread.sleep(100);
        }
    }

    public int port() {
        return running.connection().port();
    }

    public String password() {
        return running.connection().password();
    }

    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    /** LOKET_DB_URL for this server, {@code host} as given (the certificate names localhost). */
    public String url(String host) {
        return "postgresql://postgres@" + host + ":" + port() + "/postgres?sslmode=verify-full&sslrootcert=" + caFile();
    }

    Properties account() {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        props.setProperty("password", password());
        return props;
    }

    private void openssl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(OPENSSL.toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("openssl.log").toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("openssl " + args[0] + " failed; see " + dir.resolve("openssl.log"));
        }
    }

    @Override
    public void close() {
        EmbeddedDatabase.stop(running.server(), null);
    }
}
