package nl.loket.db;

import io.quarkus.runtime.Application;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The zero-infrastructure database: a real PostgreSQL started from the application's own
 * dependencies. Dev-mode restarts reload classes, so the running instance is remembered in a
 * system property (visible across class loaders) instead of a static field.
 *
 * <p>It is no easier to reach than a server set up by hand: it listens on loopback only (no Unix
 * socket), and every connection needs the superuser's password (SCRAM), a random one made on
 * first start and kept beside the database files. The base directory ({@code LOKET_DATA_DIR},
 * or a temporary one) is 0700, the password file 0600, and the binaries are unpacked inside it
 * rather than in a shared temporary directory where another user could plant their own.
 */
final class EmbeddedDatabase {

    /** The PostgreSQL major version of the bundled binaries. */
    static final String MAJOR_VERSION = "17";
    static final String PASSWORD_FILE = "db-password";

    /**
     * How long the database waits for the service to stop before it stops anyway (a stop that
     * hangs). A stop takes the shutdown delay and at most the shutdown timeout (2 s and 5 s by
     * default): 15 s covers them and stays inside the 30 s a container gets (docker/compose.yml,
     * Kubernetes), so PostgreSQL is stopped cleanly, not killed with the container.
     */
    private static final Duration STOP_WAIT = Duration.ofSeconds(15);
    // outside the "loket." namespace, which the config mapping validates
    private static final String RUNNING_PORT = "embedded-postgres.for-loket.port";
    private static final String RUNNING_PASSWORD_FILE = "embedded-postgres.for-loket.password-file";

    private static final String HBA = """
            # Written by Loket at every start of its embedded PostgreSQL: logins need the password
            # (SCRAM) and come over loopback only. The password is in ../%s.
            # TYPE  DATABASE  USER  ADDRESS       METHOD
            local   all       all                 scram-sha-256
            host    all       all   127.0.0.1/32  scram-sha-256
            host    all       all   ::1/128       scram-sha-256
            """.formatted(PASSWORD_FILE);

    private EmbeddedDatabase() {
    }

    /** A started server and how to reach it. */
    record Running(EmbeddedPostgres server, DatabaseConfigSource.Connection connection) {
    }

    static DatabaseConfigSource.Connection start(String dataDir, boolean throwaway) {
        synchronized (System.class) {
            String running = System.getProperty(RUNNING_PORT);
            if (running != null) {
                return connection(Integer.parseInt(running), readPassword(Path.of(System.getProperty(RUNNING_PASSWORD_FILE))));
            }
            try {
                Path base = throwaway ? Files.createTempDirectory("loket-pg-") : Path.of(dataDir).toAbsolutePath();
                Running pg = open(base, throwaway);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    if (!throwaway) {
                        // a throwaway database (dev mode, tests) loses nothing that matters if a stop's writes fail
                        awaitApplicationStopped();
                    }
                    stop(pg.server(), throwaway ? base : null);
                }, "loket-embedded-pg-stop"));
                System.setProperty(RUNNING_PORT, Integer.toString(pg.connection().port()));
                System.setProperty(RUNNING_PASSWORD_FILE, base.resolve(PASSWORD_FILE).toString());
                return pg.connection();
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
            }
        }
    }

    /**
     * Starts PostgreSQL with its files in {@code base/postgres} and its password in
     * {@code base/db-password}: a new database with a new password when there is none yet, else
     * the one that is there. {@code clean}: the database files are deleted when it stops.
     */
    static Running open(Path base, boolean clean) throws IOException {
        Files.createDirectories(base);
        restrict(base, "rwx------");
        Path data = base.resolve("postgres");
        Path passwordFile = base.resolve(PASSWORD_FILE);
        boolean fresh = clean || !Files.exists(data.resolve("postgresql.conf"));
        String password;
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                // stopped by this class's own hook, after the service (see awaitApplicationStopped)
                .setRegisterShutdownHook(false)
                .setDataDirectory(data)
                .setCleanDataDirectory(clean)
                .setOverrideWorkingDirectory(base.resolve("binaries").toFile())
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("unix_socket_directories", "")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("max_connections", "200")
                .setServerConfig("timezone", "UTC")
                // The library turns synchronous commit off by default, and starts the server with -F
                // (fsync off). A kept database (java -jar) holds residents' messages: a commit Loket
                // acknowledges must be on disk, or a crash of PostgreSQL or the machine could take
                // back a message a resident saw as sent; without fsync a crash of the machine can
                // also leave the files corrupt. A setting given with -c comes after -F and wins.
                // A throwaway one (dev mode, tests) keeps the faster settings.
                .setServerConfig("synchronous_commit", clean ? "off" : "on")
                .setServerConfig("fsync", clean ? "off" : "on");
        if (fresh) {
            password = newPassword();
            writePassword(passwordFile, password);
            // The library runs initdb with "-A trust"; the locale options are the only other
            // arguments it passes, after that one, and initdb lets a later option win.
            builder.setLocaleConfig("auth-local", "scram-sha-256")
                    .setLocaleConfig("auth-host", "scram-sha-256")
                    .setLocaleConfig("pwfile", passwordFile.toString());
        } else {
            checkVersion(data);
            if (!Files.exists(passwordFile)) {
                throw new IllegalStateException("The embedded database in " + data + " has no password file " + passwordFile
                        + "; restore it from a backup, or start with an empty LOKET_DATA_DIR");
            }
            restrict(passwordFile, "rw-------");
            password = readPassword(passwordFile);
            Files.writeString(data.resolve("pg_hba.conf"), HBA);
        }
        EmbeddedPostgres server;
        try {
            server = builder.setConnectConfig("password", password).start();
        } catch (IOException | RuntimeException e) {
            // with no hook of the library's own (above), a server it launched and then gave up on
            // (a wrong password, a slow start) would outlive this JVM and hold the directory
            stopLeftover(base.resolve("binaries"), data);
            throw e;
        }
        return new Running(server, connection(server.getPort(), password));
    }

    /**
     * Stops a server still running on {@code data}, with the bundled {@code pg_ctl}, which checks
     * that the process in {@code postmaster.pid} is that directory's postmaster.
     */
    private static void stopLeftover(Path binaries, Path data) {
        if (!Files.exists(data.resolve("postmaster.pid"))) {
            return;
        }
        try (Stream<Path> files = Files.walk(binaries)) {
            Path pgCtl = files.filter(f -> f.endsWith(Path.of("bin", "pg_ctl"))).findFirst().orElse(null);
            if (pgCtl == null) {
                return;
            }
            List<String> command = new ArrayList<>();
            if (LinuxUtils.isUnshareAvailable()) {
                // as the library runs its commands: pg_ctl refuses to run as root, and the server
                // was started in a user namespace where root is not root
                command.addAll(List.of("unshare", "-U"));
            }
            command.addAll(List.of(pgCtl.toString(), "-D", data.toString(), "-m", "fast", "-w", "stop"));
            Process stop = new ProcessBuilder(command)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!stop.waitFor(30, TimeUnit.SECONDS)) {
                stop.destroyForcibly();
            }
        } catch (IOException e) {
            // nothing more to do: the start's own failure is what the caller reports
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void checkVersion(Path data) throws IOException {
        Path versionFile = data.resolve("PG_VERSION");
        String version = Files.exists(versionFile) ? Files.readString(versionFile).strip() : "?";
        if (!MAJOR_VERSION.equals(version)) {
            throw new IllegalStateException("The embedded database in " + data + " was made by PostgreSQL " + version
                    + "; this Loket bundles PostgreSQL " + MAJOR_VERSION + ". Move the data with pg_dump and pg_restore, "
                    + "or point LOKET_DB_URL at a PostgreSQL server (see README.md)");
        }
    }

    private static String newPassword() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writePassword(Path file, String password) throws IOException {
        Files.deleteIfExists(file);
        if (posix()) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    }

    static String readPassword(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the embedded database's password from " + file, e);
        }
    }

    private static void restrict(Path path, String permissions) throws IOException {
        if (posix()) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    private static DatabaseConfigSource.Connection connection(int port, String password) {
        return new DatabaseConfigSource.Connection("localhost", port, "postgres", "postgres", password);
    }

    /**
     * Waits, at most {@link #STOP_WAIT}, until the service has stopped. The JVM runs its shutdown
     * hooks side by side: stopped at once, PostgreSQL went while Quarkus was still closing the
     * sockets and finishing what was in flight (a message being stored, the presence of each
     * closing connection), and each of those failed (in the benchmark, about 1,000 failures logged
     * at every stop).
     */
    private static void awaitApplicationStopped() {
        Application app = Application.currentApplication();
        if (app == null) {
            return;
        }
        Thread waiter = new Thread(app::awaitShutdown, "loket-embedded-pg-await");
        waiter.setDaemon(true);
        waiter.start();
        try {
            waiter.join(STOP_WAIT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void stop(EmbeddedPostgres pg, Path deleteDir) {
        try {
            pg.close();
        } catch (IOException ignored) {
            // the JVM is exiting; the data directory is left as PostgreSQL left it
        }
        if (deleteDir != null) {
            try (Stream<Path> paths = Files.walk(deleteDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp directory the OS will clean up
            }
        }
    }
}
