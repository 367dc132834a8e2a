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
    /** SIGTERM sent already (by {@link #terminate()}): a second one would not make the stop any faster. */
    private boolean terminated;

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

    /** SIGTERM without waiting; {@link #stop()} then waits for the end without signalling again. */
    void terminate() {
        if (process.isAlive()) {
            process.destroy();
            terminated = true;
        }
    }

    /** SIGTERM, as a rolling deploy sends it; waits for the process to end. */
    void stop() {
        if (process.isAlive()) {
            if (!terminated) {
                process.destroy();
            }
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

    /**
     * The node's warnings and errors with the first lines of their stack traces, so that a
     * failure in CI (where the log files are gone afterwards) says what the server saw. Lines the
     * tests cause on purpose (a stop, a lost database) are left out; at most {@code max} lines.
     */
    List<String> failures(int max) {
        List<String> lines;
        try {
            lines = Files.readAllLines(log);
        } catch (IOException e) {
            return List.of("(no log: " + e + ")");
        }
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size() && out.size() < max; i++) {
            String line = lines.get(i);
            if (!(line.contains(" WARN ") || line.contains(" ERROR ")) || line.contains("graceful shutdown")) {
                continue;
            }
            out.add(line);
            for (int j = i + 1, shown = 0; j < lines.size() && shown < 6 && out.size() < max; j++) {
                String next = lines.get(j);
                if (!next.startsWith("\t") && !next.startsWith("Caused by") && !next.contains("Exception")) {
                    break;
                }
                out.add(next);
                shown++;
            }
        }
        return out;
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
