package nl.loket.web;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
 * docker/nginx.conf when a node goes away: its machine dies silently, it restarts, or it drains.
 * nginx runs the file as users copy it ({@link NginxProcess}) in front of stand-in nodes. Each
 * request goes on a new connection to nginx, so it may land on any of nginx's workers, as a
 * crowd of residents' requests do. Skipped, saying so, when there is no nginx binary.
 */
class NginxNodeGoneTest {

    /** The paths a resident's browser asks for: the widget's script, the API, a WebSocket upgrade. */
    private static final List<String> PATHS = List.of("/widget/loket-widget.js", "/api/v1/topics", "/ws/agent");
    private static final int REQUESTS = 6;
    /**
     * A request that took this long waited on a connect to a node that does not answer (the
     * proxy's connect timeout is longer); one that went straight to a live node takes milliseconds.
     */
    private static final Duration WAITED = Duration.ofSeconds(1);

    private NginxProcess nginx;
    private final List<HttpServer> nodes = new ArrayList<>();
    private SilentNode silent;

    @BeforeEach
    void nginxInstalled() {
        Assumptions.assumeTrue(NginxProcess.installed(), "nginx is not installed (apt-get install nginx-light); the proxy tests are skipped");
    }

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        nodes.forEach(n -> n.stop(0));
        if (silent != null) {
            silent.close();
        }
    }

    /**
     * A node's machine died silently (a frozen VM, a pulled cable): connects to it are neither
     * accepted nor refused. With {@code max_fails=0} nginx never took it out, and every other
     * request waited the whole connect timeout (5 s) before it went to the live node, for as long
     * as the node was gone: on the surge day, every other resident waiting 5 s per request.
     */
    @Test
    void aNodeThatDiedSilentlyCostsOnlyTheFirstRequestsAWait() throws Exception {
        silent = SilentNode.start();
        int live = node("live", false);
        nginx = NginxProcess.start(silent.port(), live);

        for (String path : PATHS) {
            List<Integer> waited = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = get(path);
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(response.statusCode()).as("%s, request %d", path, i).isEqualTo(200);
                assertThat(response.body()).isEqualTo("live");
                if (took.compareTo(WAITED) > 0) {
                    waited.add(i);
                }
            }
            assertThat(waited).as("which of %d requests for %s waited on the silent node's connect", REQUESTS, path)
                    .allMatch(i -> i < 2);
        }
    }

    /**
     * A rolling restart faster than the proxy's failure window: node a stops (its connects are
     * refused and counted against it), starts again, and node b stops next. Node a must serve at
     * once, not after its failure window has passed: nginx with no node left it thinks alive
     * answers everything, the widget's script too, with its own 502.
     */
    @Test
    void aNodeBackFromARestartServesAtOnceWhenTheOtherStops() throws Exception {
        int a = node("a", false);
        int b = node("b", false);
        nginx = NginxProcess.start(a, b);

        nodes.remove(0).stop(0);
        for (String path : PATHS) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(get(path).body()).as("%s with node a stopped", path).isEqualTo("b");
            }
        }
        node("a", false, a);
        nodes.remove(0).stop(0);
        for (String path : PATHS) {
            for (int i = 0; i < REQUESTS; i++) {
                HttpResponse<String> response = get(path);
                assertThat(response.statusCode()).as("%s with node a back and node b stopped", path).isEqualTo(200);
                assertThat(response.body()).isEqualTo("a");
            }
        }
    }

    /**
     * A node that drains for a rolling restart refuses WebSocket upgrades with 503 (Draining) and
     * serves the rest while it finishes; each upgrade must reach the other node, so residents
     * reconnecting after the 1012 close never see the refusal. (A plain GET of the socket's path
     * stands in for the upgrade: nginx passes both through the same location.)
     */
    @Test
    void aDrainingNodesRefusedUpgradeGoesToTheOtherNode() throws Exception {
        int draining = node("draining", true);
        int live = node("live", false);
        nginx = NginxProcess.start(draining, live);

        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> upgrade = get("/ws/agent");
            assertThat(upgrade.statusCode()).as("upgrade %d", i).isEqualTo(200);
            assertThat(upgrade.body()).isEqualTo("live");
        }
        for (int i = 0; i < REQUESTS; i++) {
            assertThat(get("/widget/loket-widget.js").statusCode()).as("the widget's script, request %d", i).isEqualTo(200);
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        // a new client, so a new connection to nginx
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nginx.port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private int node(String name, boolean draining) throws IOException {
        return node(name, draining, 0);
    }

    /** A stand-in node answering its name; a draining one refuses the WebSocket path with 503. */
    private int node(String name, boolean draining, int port) throws IOException {
        HttpServer node = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        node.createContext("/", exchange -> {
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            int status = draining && exchange.getRequestURI().getPath().startsWith("/ws/") ? 503 : 200;
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        node.start();
        nodes.add(node);
        return node.getAddress().getPort();
    }

    /**
     * A node whose machine is gone, as its address looks from the proxy: a listening socket whose
     * accept queue is full and never emptied, so the kernel drops each further connect's SYN and
     * the connect waits until it times out. (An unroutable address would do on a real network; in
     * some sandboxes such connects are answered.)
     */
    private record SilentNode(ServerSocket socket, List<Socket> queued) implements AutoCloseable {

        static SilentNode start() throws IOException {
            ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            List<Socket> queued = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                Socket client = new Socket();
                try {
                    client.connect(socket.getLocalSocketAddress(), 500);
                    queued.add(client);
                } catch (SocketTimeoutException full) {
                    client.close();
                    return new SilentNode(socket, queued);
                }
            }
            throw new IllegalStateException("the accept queue took 100 connections and did not fill");
        }

        int port() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : queued) {
                s.close();
            }
            socket.close();
        }
    }
}
