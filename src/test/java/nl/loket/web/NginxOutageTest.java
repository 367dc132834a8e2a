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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/nginx.conf while PostgreSQL is away: every node answers the API with 503 and
 * {@code Retry-After} (README, *Operating Loket*), and that must reach the widget and the console,
 * which wait and try again. nginx counted those 503s as failed attempts (they are in
 * {@code proxy_next_upstream}) and, both nodes failed, answered everything with its own 502
 * ("no live upstreams") for {@code fail_timeout}: the widget's script and the console's page too,
 * and on until about 12 s after the database was back (walked with two nodes and a restarted
 * PostgreSQL). Two stand-in nodes here answer the API with 503 and serve the rest.
 */
class NginxOutageTest {

    private NginxProcess nginx;
    private final List<HttpServer> nodes = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.close();
        }
        nodes.forEach(n -> n.stop(0));
    }

    @Test
    void aDatabaseOutageLeavesTheScriptsServedAndTheApisOwnAnswer() throws Exception {
        Assumptions.assumeTrue(NginxProcess.installed(), "nginx is not installed (apt-get install nginx-light); the proxy outage test is skipped");
        int a = node();
        int b = node();
        nginx = NginxProcess.start(a, b);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        for (int i = 0; i < 6; i++) {
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port + "/api/v1/topics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(api.statusCode()).as("the API while the database is away: the node's own answer, not the proxy's").isEqualTo(503);
            assertThat(api.headers().firstValue("Retry-After")).as("Retry-After of the node's answer").contains("10");
            assertThat(api.body()).contains("unavailable");
        }
        HttpResponse<String> script = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port + "/widget/loket-widget.js"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(script.statusCode()).as("the widget's script after the API's 503s").isEqualTo(200);
        assertThat(script.body()).isEqualTo("// the widget");
    }

    /** A stand-in node with its database away: 503 for the API, the static files served. */
    private int node() throws Exception {
        HttpServer node = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        node.createContext("/", exchange -> {
            byte[] body;
            if (exchange.getRequestURI().getPath().startsWith("/api/")) {
                body = "{\"type\":\"unavailable\",\"status\":503}".getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/problem+json");
                exchange.getResponseHeaders().add("Retry-After", "10");
                exchange.sendResponseHeaders(503, body.length);
            } else {
                body = "// the widget".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
            }
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        node.start();
        nodes.add(node);
        return node.getAddress().getPort();
    }
}
