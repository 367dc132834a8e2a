package nl.loket.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The zero-infrastructure database: a real PostgreSQL started from the application's own
 * dependencies. Dev-mode restarts reload classes, so the running instance is remembered in a
 * system property (visible across class loaders) instead of a static field.
 */
final class EmbeddedDatabase {

    // outside the "loket." namespace, which the config mapping validates
    private static final String RUNNING_PORT = "embedded-postgres.for-loket.port";

    private EmbeddedDatabase() {
    }

    static DatabaseConfigSource.Connection start(String dataDir, boolean throwaway) {
        synchronized (System.class) {
            String running = System.getProperty(RUNNING_PORT);
            if (running != null) {
                return connection(Integer.parseInt(running));
            }
            try {
                Path dir = throwaway ? Files.createTempDirectory("loket-pg-") : Path.of(dataDir, "postgres").toAbsolutePath();
                Files.createDirectories(dir);
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setDataDirectory(dir)
                        .setCleanDataDirectory(throwaway)
                        .setServerConfig("max_connections", "200")
                        .setServerConfig("timezone", "UTC")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(pg, throwaway ? dir : null), "loket-embedded-pg-stop"));
                System.setProperty(RUNNING_PORT, Integer.toString(pg.getPort()));
                return connection(pg.getPort());
            } catch (IOException e) {
                throw new UncheckedIOException("Could not start the embedded PostgreSQL", e);
            }
        }
    }

    private static DatabaseConfigSource.Connection connection(int port) {
        return new DatabaseConfigSource.Connection("localhost", port, "postgres", "postgres", null);
    }

    private static void stop(EmbeddedPostgres pg, Path deleteDir) {
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
