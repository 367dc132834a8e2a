package nl.loket.web;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/nginx.conf's access log, as an operator reads it: each request's method, path and status,
 * without the query string. A query string can carry personal data (an old console's
 * {@code ?phone=+316…}, a search someone adds later), and access logs are kept and shipped.
 * nginx runs the file as users copy it ({@link NginxProcess}), in front of a stand-in upstream. Skipped, saying so, when there is no nginx binary.
 */
class NginxAccessLogTest {

    private NginxProcess nginx;
    private HttpServer upstream;

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Test
    void theAccessLogShowsThePathButNotTheQueryString() throws Exception {
        Assumptions.assumeTrue(NginxProcess.installed(), "nginx is not installed (apt-get install nginx-light); the access log test is skipped");
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        upstream.createContext("/", exchange -> {
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        upstream.start();
        int upstreamPort = upstream.getAddress().getPort();
        nginx = NginxProcess.start(upstreamPort, upstreamPort);

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        URI uri = URI.create("http://127.0.0.1:" + nginx.port + "/api/v1/admin/callbacks?phone=%2B31612345678&name=Eva");
        int status = http.send(HttpRequest.newBuilder(uri).method("DELETE", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertThat(status).isEqualTo(204);

        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String log = "";
        while (!log.contains("/api/v1/admin/callbacks") && System.nanoTime() < deadline) {
            Thread.sleep(100);
            log = Files.readString(nginx.accessLog);
        }
        assertThat(log).as("the access log").contains("\"DELETE /api/v1/admin/callbacks HTTP/1.1\" 204")
                .doesNotContain("12345678", "phone", "Eva", "?");
    }
}
