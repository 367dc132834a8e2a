package nl.loket.web;

import nl.loket.Ports;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/nginx.conf run by Debian's nginx as users copy it, with only the two upstream servers'
 * addresses (in every upstream block that names them) and the listen line replaced, for the tests
 * of what the proxy does. The tests skip,
 * saying so, when there is no nginx binary ({@link #installed}).
 */
final class NginxProcess implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");

    final int port;
    final Path dir;
    final Path accessLog;
    private final Process process;

    private NginxProcess(int port, Path dir, Path accessLog, Process process) {
        this.port = port;
        this.dir = dir;
        this.accessLog = accessLog;
        this.process = process;
    }

    static boolean installed() {
        return Files.isExecutable(NGINX);
    }

    /** Starts nginx in front of the upstreams on {@code portA} and {@code portB} (the same for one) and waits until it answers. */
    static NginxProcess start(int portA, int portB) throws IOException, InterruptedException {
        int port = Ports.free();
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "nginx-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String conf = Files.readString(Path.of("docker", "nginx.conf"))
                .replace("server loket-a:8080", "server 127.0.0.1:" + portA)
                .replace("server loket-b:8080", "server 127.0.0.1:" + portB)
                .replaceFirst("listen 80;", "listen 127.0.0.1:" + port + ";");
        assertThat(conf).as("docker/nginx.conf still has the upstreams and the listen line the tests fill in")
                .doesNotContain("loket-a:", "loket-b:").contains("server 127.0.0.1:" + portA, "server 127.0.0.1:" + portB, "listen 127.0.0.1:" + port);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Path accessLog = dir.resolve("stdout.log");
        Process process = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", file.toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectOutput(accessLog.toFile()).redirectError(dir.resolve("stderr.log").toFile()).start();
        NginxProcess nginx = new NginxProcess(port, dir, accessLog, process);
        nginx.awaitListening();
        return nginx;
    }

    private void awaitListening() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            assertThat(process.isAlive()).as("nginx running (see %s)", dir.resolve("stderr.log")).isTrue();
            try {
                // any answer will do (nginx's own 404 for a path nobody serves, or the upstream's)
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/nginx-ready")).build(),
                        HttpResponse.BodyHandlers.discarding());
                return;
            } catch (IOException notYet) {
                assertThat(System.nanoTime()).as("nginx answering").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
