package nl.loket.web;

import com.sun.net.httpserver.HttpServer;
import nl.loket.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
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
 * docker/nginx.conf's access log, as an operator reads it: each request's method, path and status,
 * without the query string. A query string can carry personal data (an old console's
 * {@code ?phone=+316…}, a search someone adds later), and access logs are kept and shipped.
 * nginx runs the file as users copy it, only the upstreams and the listen line replaced (as in
 * ProxyIT), in front of a stand-in upstream. Skipped, saying so, when there is no nginx binary.
 */
class NginxAccessLogTest {

    static final Path NGINX = Path.of("/usr/sbin/nginx");

    private Process nginx;
    private HttpServer upstream;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Test
    void theAccessLogShowsThePathButNotTheQueryString() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light); the access log test is skipped");
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        upstream.start();
        int upstreamPort = upstream.getAddress().getPort();
        int proxyPort = Ports.free();

        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "nginx-log-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String conf = Files.readString(Path.of("docker", "nginx.conf"))
                .replaceFirst("server loket-a:8080;\\s*server loket-b:8080;", "server 127.0.0.1:" + upstreamPort + ";")
                .replaceFirst("listen 80;", "listen 127.0.0.1:" + proxyPort + ";");
        assertThat(conf).as("docker/nginx.conf still has the upstreams and the listen line the test fills in")
                .contains("127.0.0.1:" + upstreamPort, "listen 127.0.0.1:" + proxyPort);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        Path accessLog = dir.resolve("stdout.log");
        nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", file.toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectOutput(accessLog.toFile()).redirectError(dir.resolve("stderr.log").toFile()).start();

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + proxyPort + "/api/v1/admin/callbacks?phone=%2B31612345678&name=Eva");
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int status = 0;
        while (status == 0) {
            assertThat(nginx.isAlive()).as("nginx running (see %s)", dir.resolve("stderr.log")).isTrue();
            try {
                status = http.send(HttpRequest.newBuilder(uri).method("DELETE", HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (java.io.IOException notYet) {
                assertThat(System.nanoTime()).as("nginx answering").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
        assertThat(status).isEqualTo(204);

        String log = "";
        while (!log.contains("/api/v1/admin/callbacks") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            log = Files.readString(accessLog);
        }
        assertThat(log).as("the access log").contains("\"DELETE /api/v1/admin/callbacks HTTP/1.1\" 204")
                .doesNotContain("12345678", "phone", "Eva", "?");
    }
}
