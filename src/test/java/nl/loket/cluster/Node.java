package nl.loket.cluster;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.fail;

/** One Loket process of a test cluster (see {@link ClusterHarness}). */
final class Node {
    final String name;
    final int port;
    /** Health and metrics listen here (QUARKUS_MANAGEMENT_PORT), not on the public port. */
    final int managementPort;
    final Process process;
    final Path log;
    final Path dataDir;

    Node(String name, int port, int managementPort, Process process, Path log, Path dataDir) {
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
        this.process = process;
        this.log = log;
        this.dataDir = dataDir;
    }

    URI http(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    URI management(String path) {
        return URI.create("http://localhost:" + managementPort + path);
    }

    URI ws(String path) {
        return URI.create("ws://localhost:" + port + path);
    }

    boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no deregistration, sockets simply vanish. */
    void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                fail("node " + name + " did not die on SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** SIGTERM, as a rolling deploy sends it; waits for the process to end. */
    void stop() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (var paths = Files.walk(dataDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // a temp directory; the OS cleans up what is left
        }
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
