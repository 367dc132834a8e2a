package nl.loket.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docker/nginx.conf as users will copy it, run by Debian's nginx (installed by .ci/run) in front of
 * two nodes, with only the upstreams and the port filled in: REST, WebSocket upgrades with the
 * token as a subprotocol, the Origin check, the per-address rate limit seeing the real client
 * address (X-Forwarded-For trusted from the proxy only), and a node killed behind it.
 * Skipped, saying so, when there is no nginx binary.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyIT extends ClusterHarness {

    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final String ORIGIN = "https://www.gemeente.example";
    static final int RATE = 4;
    static Process nginx;
    static int proxyPort;

    @BeforeAll
    static void startClusterBehindNginx() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(NGINX), "nginx is not installed (apt-get install nginx-light); the proxy test is skipped");
        startDatabase("proxy");
        nodeEnv.put("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "true");
        nodeEnv.put("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED", "true");
        nodeEnv.put("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES", "127.0.0.1");
        nodeEnv.put("LOKET_PUBLIC_RATE_LIMIT", Integer.toString(RATE));
        nodeEnv.put("LOKET_LIMITS_OPEN_CONVERSATIONS_PER_ADDRESS", "0");
        nodeEnv.put("LOKET_LIMITS_OPEN_CALLBACKS_PER_ADDRESS", "0");
        nodeEnv.put("LOKET_ALLOWED_ORIGINS", ORIGIN);
        // side by side, as startTwoNodes does: both come up on the same settings either way, and
        // the schema's first migration is safe against a concurrent start (FirstStartTogetherTest)
        List<Node> started = startNodes("a", "b");
        a = started.get(0);
        b = started.get(1);

        proxyPort = freePort();
        Path dir = Files.createTempDirectory(targetDir, "nginx-");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        String conf = Files.readString(Path.of("docker", "nginx.conf"));
        // every line that names a node (the upstream lists each twice, once as its backup)
        String filled = conf.replace("server loket-a:8080", "server 127.0.0.1:" + a.port)
                .replace("server loket-b:8080", "server 127.0.0.1:" + b.port)
                .replaceFirst("listen 80;", "listen 127.0.0.1:" + proxyPort + ";");
        assertThat(filled).as("docker/nginx.conf still has the upstreams and the listen line the test fills in")
                .doesNotContain("loket-a:", "loket-b:").contains("127.0.0.1:" + a.port, "listen 127.0.0.1:" + proxyPort);
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, filled);
        nginx = new ProcessBuilder(NGINX.toString(), "-p", dir.toString(), "-c", file.toString(),
                "-g", "daemon off; pid " + dir.resolve("nginx.pid") + ";")
                .redirectErrorStream(true).redirectOutput(targetDir.resolve("proxy-nginx.log").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            assertThat(nginx.isAlive()).as("nginx running (see target/proxy-nginx.log)").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(proxy("/api/v1/topics")).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            assertThat(System.nanoTime()).as("nginx answering").isLessThan(deadline);
            Thread.sleep(200);
        }
        adminToken = login(a, "admin", ADMIN_PASSWORD);
    }

    @AfterAll
    static void stopNginx() throws Exception {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
            }
        }
    }

    static URI proxy(String path) {
        return URI.create("http://127.0.0.1:" + proxyPort + path);
    }

    /** What a browser does: the token travels as a subprotocol, since it cannot set headers. */
    static Ws browserSocket(String path, String token, String origin, String name) {
        String carrier = URLEncoder.encode("quarkus-http-upgrade#Authorization#Bearer " + token, StandardCharsets.UTF_8).replace("+", "%20");
        return Ws.connect(URI.create("ws://127.0.0.1:" + proxyPort + path), name, builder -> {
            builder.subprotocols("bearer-token-carrier", carrier);
            if (origin != null) {
                builder.header("Origin", origin);
            }
        });
    }

    static RawHttp.Response startFrom(String address, String topic, Map<String, String> headers) throws Exception {
        return RawHttp.send(address, proxyPort, "POST", "/api/v1/conversations", headers, "{\"topic\":\"" + topic + "\"}");
    }

    @Test
    @Order(1)
    void aResidentAndAnAgentChatThroughTheProxyWithTokensAsSubprotocols() throws Exception {
        String topic = newTopic("proxy");
        String admin = JSON.readTree(http.send(HttpRequest.newBuilder(proxy("/api/v1/auth/token"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"admin\",\"password\":\"" + ADMIN_PASSWORD + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).get("accessToken").asText();
        assertThat(admin).isNotBlank();
        Agent pia = createAgent(a, "Pia", List.of(topic), 3);
        RawHttp.Response started = startFrom("127.0.0.21", topic, Map.of("Origin", ORIGIN));
        assertThat(started.status()).as(started.body()).isEqualTo(201);
        JsonNode conversation = JSON.readTree(started.body());
        String id = conversation.get("id").asText();

        Ws resident = browserSocket("/ws/resident/" + id, conversation.get("token").asText(), ORIGIN, "resident-via-proxy");
        assertThat(resident.next(type("state")).get("state").asText()).isEqualTo("queued");
        Ws console = browserSocket("/ws/agent", pia.token(), null, "agent-via-proxy");
        console.next(type("hello"));
        console.send(Map.of("type", "claim", "conversationId", id, "ref", "c"));
        assertThat(console.next(type("assigned").or(errorFor("c"))).get("type").asText()).isEqualTo("assigned");
        resident.send(Map.of("type", "message", "clientMsgId", "r-1", "text", "Via de proxy"));
        assertThat(console.next(clientMsgId("r-1")).get("text").asText()).isEqualTo("Via de proxy");
        console.send(Map.of("type", "message", "conversationId", id, "clientMsgId", "a-1", "text", "Goed ontvangen"));
        assertThat(resident.next(clientMsgId("a-1")).get("text").asText()).isEqualTo("Goed ontvangen");
        resident.close();
        console.close();
    }

    @Test
    @Order(2)
    void theProxyPassesTheOriginSoAForeignSiteIsRefused() throws Exception {
        String topic = newTopic("origin");
        JsonNode conversation = JSON.readTree(startFrom("127.0.0.22", topic, Map.of()).body());
        String path = "/ws/resident/" + conversation.get("id").asText();
        try {
            browserSocket(path, conversation.get("token").asText(), "https://evil.example", "foreign");
            throw new AssertionError("a socket from a foreign origin was accepted");
        } catch (AssertionError e) {
            assertThat(e.getCause()).isNotNull();
            assertThat(e.getCause().getCause()).isInstanceOf(WebSocketHandshakeException.class);
            assertThat(((WebSocketHandshakeException) e.getCause().getCause()).getResponse().statusCode()).isEqualTo(403);
        }
        Ws allowed = browserSocket(path, conversation.get("token").asText(), ORIGIN, "allowed");
        assertThat(allowed.next(type("state")).get("state").asText()).isEqualTo("queued");
        allowed.close();
    }

    @Test
    @Order(3)
    void theRateLimitCountsTheClientBehindTheProxyAndIgnoresForwardedForFromAnyoneElse() throws Exception {
        String topic = newTopic("rate");
        // one client through the proxy, round robin spreads it: each node's own bucket allows it RATE a minute, and the
        // nodes hear of each other's counts once a second (RateLimits), so a burst within that second may get up to 2 × RATE
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 3 * RATE; i++) {
            statuses.add(startFrom("127.0.0.31", topic, Map.of()).status());
        }
        log("one client through the proxy: %s", statuses);
        assertThat(statuses).contains(429);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isBetween((long) RATE, 2L * RATE);
        // a forged X-Forwarded-For does not help: nginx replaces it with the address it sees
        assertThat(startFrom("127.0.0.31", topic, Map.of("X-Forwarded-For", "198.51.100.7")).status()).isEqualTo(429);
        // another client behind the same proxy has its own allowance
        assertThat(startFrom("127.0.0.32", topic, Map.of()).status()).isEqualTo(201);

        // straight to a node, not from the proxy: X-Forwarded-For is not believed
        List<Integer> direct = new ArrayList<>();
        for (int i = 0; i < RATE + 2; i++) {
            direct.add(RawHttp.send("127.0.0.33", a.port, "POST", "/api/v1/conversations",
                    Map.of("X-Forwarded-For", "198.51.100." + i), "{\"topic\":\"" + topic + "\"}").status());
        }
        log("one client straight to node a with a new X-Forwarded-For each time: %s", direct);
        assertThat(direct.subList(0, RATE)).containsOnly(201);
        assertThat(direct.subList(RATE, RATE + 2)).containsOnly(429);
    }

    @Test
    @Order(4)
    void whenANodeBehindTheProxyIsKilledRequestsAndReconnectsGoToTheOther() throws Exception {
        String topic = newTopic("killed");
        List<Agent> agents = new ArrayList<>();
        List<Ws> consoles = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Agent agent = createAgent(a, "Kai" + i, List.of(topic), 3);
            agents.add(agent);
            Ws ws = browserSocket("/ws/agent", agent.token(), null, "kai" + i);
            ws.next(type("hello"));
            consoles.add(ws);
        }
        b.kill();
        log("node b killed (SIGKILL) behind the proxy");
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            statuses.add(http.send(HttpRequest.newBuilder(proxy("/api/v1/topics")).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        assertThat(statuses).as("REST through the proxy with one node dead").containsOnly(200);
        Thread.sleep(1000);
        int moved = 0;
        for (int i = 0; i < consoles.size(); i++) {
            if (consoles.get(i).closed) {
                moved++;
                Ws again = browserSocket("/ws/agent", agents.get(i).token(), null, "kai" + i + "-again");
                assertThat(again.next(type("hello"))).isNotNull();
                again.close();
            } else {
                consoles.get(i).close();
            }
        }
        log("%d of %d agent sockets were on node b and reconnected through the proxy", moved, consoles.size());
        assertThat(moved).as("round robin put some sockets on node b").isPositive();
    }
}
