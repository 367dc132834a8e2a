package nl.loket.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Two real Loket processes (the packaged {@code target/quarkus-app}) on one PostgreSQL, talked to
 * with nothing but the JDK's HTTP and WebSocket clients (docs/architecture.md §4): a resident on one node and an
 * agent on the other chat normally, a queue changed on one node shows on the other's boards,
 * claims stay atomic across nodes, and a node killed with SIGKILL loses nobody's conversation.
 * Prints "BENCH " lines with delivery latency (same node vs. cross node) and claim throughput.
 *
 * <p>Node logs: {@code target/two-nodes-<name>.log}. Run alone with
 * {@code ./mvnw package -DskipTests && ./mvnw test-compile failsafe:integration-test failsafe:verify -Dit.test=TwoNodesIT}.
 * Three tests cover what a graceful stop does to the other node and to its own agents, and a node
 * that stalls longer than dead-after and comes back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoNodesIT {

    static final Duration DEAD_AFTER = Duration.ofSeconds(4);
    static final Duration GRACE_AGENT = Duration.ofSeconds(10);
    static final Duration GRACE_RESIDENT = Duration.ofSeconds(120);
    /** The service's default heartbeat: a dead node's clients count as gone from its last beat. */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String ADMIN_PASSWORD = "two-nodes-admin-password";
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedPostgres pg;
    static Path targetDir;
    static HttpClient http;
    static Node a;
    static Node b;
    static String adminToken;
    static final List<Node> nodes = new CopyOnWriteArrayList<>();
    static final List<Ws> sockets = new CopyOnWriteArrayList<>();
    static Thread shutdownHook;

    // ---- cluster lifecycle -------------------------------------------------------------------

    @BeforeAll
    static void startCluster() throws Exception {
        shutdownHook = new Thread(TwoNodesIT::stopEverything, "two-nodes-it-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path appDir = appDir();
        assertThat(appDir.resolve("quarkus-run.jar"))
                .as("the packaged service; build it with ./mvnw package -DskipTests").exists();
        targetDir = appDir.toAbsolutePath().getParent();
        long t0 = System.nanoTime();
        pg = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "300")
                .setServerConfig("timezone", "UTC")
                .start();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        // one after the other: both run Flyway, and the first creates the bootstrap admin
        a = startNode("a");
        b = startNode("b");
        adminToken = login(a, "admin", ADMIN_PASSWORD);
        log("cluster up in %d ms: PostgreSQL on %d, node a on %d, node b on %d",
                millisSince(t0), pg.getPort(), a.port, b.port);
    }

    @AfterAll
    static void stopCluster() {
        stopEverything();
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is already shutting down and runs the hook itself
            }
        }
    }

    private static synchronized void stopEverything() {
        for (Ws ws : sockets) {
            ws.abort();
        }
        sockets.clear();
        for (Node n : nodes) {
            n.stop();
        }
        nodes.clear();
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException | RuntimeException e) {
                System.err.println("[two-nodes] could not stop PostgreSQL: " + e);
            }
            pg = null;
        }
    }

    static Path appDir() {
        return Path.of(System.getProperty("loket.app.dir", "target/quarkus-app"));
    }

    /** One service process. */
    static final class Node {
        final String name;
        final int port;
        final Process process;
        final Path log;
        final Path dataDir;

        Node(String name, int port, Process process, Path log, Path dataDir) {
            this.name = name;
            this.port = port;
            this.process = process;
            this.log = log;
            this.dataDir = dataDir;
        }

        URI http(String path) {
            return URI.create("http://localhost:" + port + path);
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

    static Node startNode(String name) throws Exception {
        int port = freePort();
        Path jar = appDir().resolve("quarkus-run.jar").toAbsolutePath();
        Path dataDir = Files.createTempDirectory("loket-node-" + name + "-");
        Path logFile = targetDir.resolve("two-nodes-" + name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString());
        builder.directory(dataDir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("LOKET_") || k.startsWith("QUARKUS_"));
        env.put("LOKET_DB_URL", "postgresql://localhost:" + pg.getPort() + "/postgres");
        env.put("LOKET_DB_USER", "postgres");
        env.put("LOKET_DATA_DIR", dataDir.toString());
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("LOKET_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("LOKET_ALWAYS_OPEN", "true");
        env.put("LOKET_GRACE_AGENT", GRACE_AGENT.toSeconds() + "s");
        env.put("LOKET_GRACE_RESIDENT", GRACE_RESIDENT.toSeconds() + "s");
        env.put("LOKET_CLUSTER_DEAD_AFTER", DEAD_AFTER.toSeconds() + "s");
        env.put("LOKET_LIMITS_AGENT_FRAMES", "100000");
        env.put("LOKET_LIMITS_RESIDENT_FRAMES", "100000");
        env.put("LOKET_PUBLIC_RATE_LIMIT", "100000");
        builder.redirectErrorStream(true);
        builder.redirectOutput(logFile.toFile());
        long t0 = System.nanoTime();
        Node node = new Node(name, port, builder.start(), logFile, dataDir);
        nodes.add(node);
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (true) {
            if (!node.alive()) {
                fail("node " + name + " exited with " + node.process.exitValue() + " while starting:\n" + node.tail());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(node.http("/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                fail("node " + name + " not ready within 90 s:\n" + node.tail());
            }
            Thread.sleep(200);
        }
        log("node %s ready on port %d in %d ms (log %s)", name, port, millisSince(t0), logFile);
        return node;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    // ---- a. chat across nodes ------------------------------------------------------------------

    @Test
    @Order(1)
    void aResidentOnAAndAnAgentOnBChatBothWaysInOrder() throws Exception {
        String topic = newTopic("chat");
        Agent anna = createAgent(b, "Anna", List.of(topic), 3);
        JsonNode started = startConversation(a, topic, "Sanne");
        String id = started.get("id").asText();

        Ws resident = Ws.connect(a, "/ws/resident/" + id, started.get("token").asText(), "resident");
        assertThat(resident.next(type("state")).get("state").asText()).isEqualTo("queued");
        // written while waiting: it must come with the assignment on the other node
        resident.send(Map.of("type", "message", "clientMsgId", "r-0", "text", "Hallo, is daar iemand?"));
        resident.next(clientMsgId("r-0"));

        Ws console = Ws.connect(b, "/ws/agent", anna.token, "agent");
        console.next(type("hello"));
        console.send(Map.of("type", "claim", "topic", topic, "ref", "claim-1"));
        JsonNode assigned = console.next(type("assigned").or(errorFor("claim-1")));
        assertThat(assigned.get("type").asText()).as("claim answer %s", assigned).isEqualTo("assigned");
        assertThat(assigned.at("/conversation/id").asText()).isEqualTo(id);
        List<JsonNode> waited = list(assigned.at("/conversation/messages"));
        assertThat(waited).hasSize(1);
        assertThat(waited.get(0).get("clientMsgId").asText()).isEqualTo("r-0");
        assertThat(waited.get(0).get("seq").asInt()).isEqualTo(1);
        JsonNode active = resident.next(type("state").and(f -> "active".equals(f.path("state").asText())));
        assertThat(active.path("agentName").asText()).isEqualTo("Anna");

        int n = 20;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            // both sides type at once, each without waiting for the other
            Future<?> fromResident = pool.submit(() -> {
                for (int i = 1; i <= n; i++) {
                    resident.send(Map.of("type", "message", "clientMsgId", "r-" + i, "text", "inwoner " + i));
                }
                return null;
            });
            Future<?> fromAgent = pool.submit(() -> {
                for (int i = 1; i <= n; i++) {
                    console.send(Map.of("type", "message", "conversationId", id, "clientMsgId", "a-" + i, "text", "medewerker " + i));
                }
                return null;
            });
            fromResident.get(30, TimeUnit.SECONDS);
            fromAgent.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        int total = 2 * n + 1;
        resident.awaitCount(type("message"), total, WAIT);
        console.awaitCount(type("message").and(conversation(id)), 2 * n, WAIT);
        Thread.sleep(500); // a doubled delivery would have arrived by now

        // the resident's side: every message once, in seq order, each sender's in the order sent
        List<JsonNode> residentSaw = resident.frames(type("message"));
        assertThat(seqs(residentSaw)).as("seqs the resident received").containsExactlyElementsOf(range(1, total));
        assertThat(clientIds(residentSaw, "a-")).containsExactlyElementsOf(names("a-", 1, n));
        assertThat(clientIds(residentSaw, "r-")).containsExactlyElementsOf(names("r-", 0, n));
        for (JsonNode m : residentSaw) {
            boolean fromAgent = m.get("clientMsgId").asText().startsWith("a-");
            assertThat(m.get("from").asText()).isEqualTo(fromAgent ? "agent" : "resident");
            if (fromAgent) {
                assertThat(m.get("agentName").asText()).isEqualTo("Anna");
                assertThat(m.get("text").asText()).isEqualTo("medewerker " + m.get("clientMsgId").asText().substring(2));
            }
        }

        // the agent's side, on the other node: the same
        List<JsonNode> agentSaw = new ArrayList<>(waited);
        agentSaw.addAll(console.frames(type("message").and(conversation(id))));
        assertThat(seqs(agentSaw)).as("seqs the agent received").containsExactlyElementsOf(range(1, total));
        assertThat(clientIds(agentSaw, "r-")).containsExactlyElementsOf(names("r-", 0, n));
        assertThat(clientIds(agentSaw, "a-")).containsExactlyElementsOf(names("a-", 1, n));
        for (JsonNode m : agentSaw) {
            if (m.get("clientMsgId").asText().startsWith("r-")) {
                assertThat(m.get("from").asText()).isEqualTo("resident");
                assertThat(m.get("text").asText()).isEqualTo(m.get("clientMsgId").asText().equals("r-0")
                        ? "Hallo, is daar iemand?" : "inwoner " + m.get("clientMsgId").asText().substring(2));
            }
        }
        assertThat(resident.frames(type("error"))).isEmpty();
        assertThat(console.frames(type("error"))).isEmpty();
        assertThat(queryLong("select last_seq from conversation where id = ?", UUID.fromString(id))).isEqualTo(total);
        assertThat(queryLong("select count(*) from message where conversation_id = ?", UUID.fromString(id))).isEqualTo(total);
        resident.close();
        console.close();
    }

    // ---- b. boards across nodes ----------------------------------------------------------------

    @Test
    @Order(2)
    void aConversationStartedOnAShowsOnTheBoardOfAnAgentOnBWithinASecond() throws Exception {
        String topic = newTopic("board");
        Agent bram = createAgent(a, "Bram", List.of(topic), 3);
        Ws console = Ws.connect(b, "/ws/agent", bram.token, "board-agent");
        console.next(type("hello"));
        console.next(board(topic, 0));
        List<Long> millis = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            long t0 = System.nanoTime();
            startConversation(a, topic, null);
            Ws.Frame shown = console.nextFrame(board(topic, i), Duration.ofSeconds(5));
            millis.add((shown.at() - t0) / 1_000_000);
        }
        bench("queue board update, conversation started on a -> board of an agent on b: %s ms (max %d ms)",
                millis, millis.stream().mapToLong(Long::longValue).max().orElseThrow());
        assertThat(millis).as("ms from POST on a to the board on b").allSatisfy(ms -> assertThat(ms).isLessThan(1000));
        console.close();
    }

    // ---- c. claim race across nodes ------------------------------------------------------------

    @Test
    @Order(3)
    void agentsOnBothNodesRaceFor200ConversationsAndEachIsAssignedExactlyOnce() throws Exception {
        String topic = newTopic("race");
        int conversations = 200;
        int agentsPerNode = 10;
        int claimsPerAgent = 12; // 240 claims for 200 conversations: 40 must find nothing waiting
        List<Ws> consoles = new ArrayList<>();
        List<Agent> racers = new ArrayList<>();
        for (int i = 0; i < 2 * agentsPerNode; i++) {
            Node node = i % 2 == 0 ? a : b;
            Agent agent = createAgent(node, "Racer" + i, List.of(topic), 20);
            Ws ws = Ws.connect(node, "/ws/agent", agent.token, "racer" + i);
            ws.next(type("hello"));
            consoles.add(ws);
            racers.add(agent);
        }
        Set<String> created = new HashSet<>();
        for (int i = 0; i < conversations; i++) {
            created.add(startConversation(i % 2 == 0 ? a : b, topic, null).get("id").asText());
        }
        assertThat(queryLong("select count(*) from conversation where topic = ? and state = 'queued'", topic))
                .isEqualTo(conversations);

        ExecutorService pool = Executors.newFixedThreadPool(consoles.size());
        long t0 = System.nanoTime();
        try {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < consoles.size(); i++) {
                Ws ws = consoles.get(i);
                int agent = i;
                sends.add(pool.submit(() -> {
                    for (int c = 0; c < claimsPerAgent; c++) {
                        ws.send(Map.of("type", "claim", "topic", topic, "ref", "claim-" + agent + "-" + c));
                    }
                    return null;
                }));
            }
            for (Future<?> f : sends) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Predicate<JsonNode> answer = type("assigned").or(type("error"));
        List<String> unanswered = new ArrayList<>();
        long answersDue = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (Ws ws : consoles) {
            try {
                ws.awaitCount(answer, claimsPerAgent, Duration.ofNanos(Math.max(1_000_000_000L, answersDue - System.nanoTime())));
            } catch (AssertionError e) {
                unanswered.add(e.getMessage());
            }
        }
        long lastAssigned = consoles.stream().flatMap(ws -> ws.frameList(type("assigned")).stream())
                .mapToLong(Ws.Frame::at).max().orElse(System.nanoTime());
        double seconds = (lastAssigned - t0) / 1e9;
        Thread.sleep(500); // late or doubled assignments would show now

        List<String> assignedIds = new ArrayList<>();
        List<String> errorCodes = new ArrayList<>();
        Map<String, Integer> perNode = new LinkedHashMap<>(Map.of("a", 0, "b", 0));
        for (int i = 0; i < consoles.size(); i++) {
            Ws ws = consoles.get(i);
            List<JsonNode> got = ws.frames(type("assigned"));
            got.forEach(f -> assignedIds.add(f.at("/conversation/id").asText()));
            ws.frames(type("error")).forEach(f -> errorCodes.add(f.path("code").asText()));
            perNode.merge(i % 2 == 0 ? "a" : "b", got.size(), Integer::sum);
            assertThat(got.size()).as("held by %s", ws.name).isLessThanOrEqualTo(20);
        }
        bench("claims two nodes: %d conversations claimed by %d agents (%d per node, %d claims each) in %.0f ms = %.0f claims/s (node a %d, node b %d)",
                conversations, consoles.size(), agentsPerNode, claimsPerAgent, seconds * 1000, conversations / seconds,
                perNode.get("a"), perNode.get("b"));
        double serverMillis = queryDouble("select extract(epoch from max(a.assigned_at) - min(a.assigned_at)) * 1000 from assignment a "
                + "join conversation c on c.id = a.conversation_id where c.topic = ?", topic);
        bench("claims two nodes, in the database: first to last assignment %.0f ms = %.0f claims/s",
                serverMillis, (conversations - 1) / Math.max(0.001, serverMillis / 1000));

        // the database first: it tells best what went wrong when a console missed an answer
        assertThat(queryLong("select count(*) - count(distinct a.conversation_id) from assignment a "
                + "join conversation c on c.id = a.conversation_id where c.topic = ?", topic))
                .as("conversations assigned more than once").isZero();
        assertThat(unanswered).as("claims without an answer").isEmpty();
        assertThat(assignedIds).as("assigned frames").doesNotHaveDuplicates().hasSize(conversations);
        assertThat(new HashSet<>(assignedIds)).isEqualTo(created);
        assertThat(errorCodes).as("a claim for the next one fails only when nothing is waiting")
                .hasSize(consoles.size() * claimsPerAgent - conversations).containsOnly("nothing_waiting");
        assertThat(perNode.get("a")).as("claims won on node a").isPositive();
        assertThat(perNode.get("b")).as("claims won on node b").isPositive();
        assertThat(queryLong("select count(*) from assignment a join conversation c on c.id = a.conversation_id where c.topic = ?", topic))
                .isEqualTo(conversations);
        assertThat(queryLong("select count(distinct a.conversation_id) from assignment a join conversation c on c.id = a.conversation_id where c.topic = ?", topic))
                .isEqualTo(conversations);
        assertThat(queryLong("select count(*) from conversation where topic = ? and state = 'active'", topic)).isEqualTo(conversations);
        // the agent each console was told about is the one the database has
        for (int i = 0; i < consoles.size(); i++) {
            for (JsonNode f : consoles.get(i).frames(type("assigned"))) {
                assertThat(queryString("select assigned_agent::text from conversation where id = ?",
                        UUID.fromString(f.at("/conversation/id").asText()))).isEqualTo(racers.get(i).id);
            }
        }
        consoles.forEach(Ws::close);
    }

    // ---- latency benchmark ---------------------------------------------------------------------

    @Test
    @Order(4)
    void benchmarkResidentToAgentLatencySameNodeVersusCrossNode() throws Exception {
        String topic = newTopic("bench");
        Pair same = pair(topic, a, "Sam");
        Pair cross = pair(topic, b, "Cas");
        int warmup = 50;
        int n = 1000;
        long[] sameNanos = new long[n];
        long[] crossNanos = new long[n];
        // interleaved, so both see the same JIT state and machine load
        for (int i = -warmup; i < n; i++) {
            long s = same.roundTrip("m" + i);
            long c = cross.roundTrip("m" + i);
            if (i >= 0) {
                sameNanos[i] = s;
                crossNanos[i] = c;
            }
        }
        Stats sameStats = Stats.of(sameNanos);
        Stats crossStats = Stats.of(crossNanos);
        bench("latency resident->agent same node  (resident a, agent a): n=%d %s", n, sameStats);
        bench("latency resident->agent cross node (resident a, agent b): n=%d %s", n, crossStats);
        bench("latency ratio cross/same: p50 %.2f, p99 %.2f, max %.2f",
                crossStats.p50 / sameStats.p50, crossStats.p99 / sameStats.p99, crossStats.max / sameStats.max);
        // the benchmark is not asserted, but every message must have arrived exactly once
        for (Pair p : List.of(same, cross)) {
            List<JsonNode> got = p.agent.frames(type("message").and(conversation(p.conversationId)));
            assertThat(got).hasSize(n + warmup);
            assertThat(seqs(got)).containsExactlyElementsOf(range(1, n + warmup));
            p.resident.close();
            p.agent.close();
        }
    }

    /** A resident on node a and an agent on the given node, in one active conversation. */
    private Pair pair(String topic, Node agentNode, String agentName) throws Exception {
        Agent agent = createAgent(agentNode, agentName, List.of(topic), 3);
        JsonNode started = startConversation(a, topic, null);
        String id = started.get("id").asText();
        Ws resident = Ws.connect(a, "/ws/resident/" + id, started.get("token").asText(), "bench-resident-" + agentName);
        resident.next(type("state"));
        Ws console = Ws.connect(agentNode, "/ws/agent", agent.token, "bench-agent-" + agentName);
        console.next(type("hello"));
        console.send(Map.of("type", "claim", "conversationId", id, "ref", "bench"));
        assertThat(console.next(type("assigned").or(errorFor("bench"))).get("type").asText()).isEqualTo("assigned");
        resident.next(type("state").and(f -> "active".equals(f.path("state").asText())));
        return new Pair(id, resident, console);
    }

    record Pair(String conversationId, Ws resident, Ws agent) {
        /** Nanoseconds from handing the message to the socket until the agent has it. */
        long roundTrip(String clientMsgId) {
            long t0 = System.nanoTime();
            resident.send(Map.of("type", "message", "clientMsgId", clientMsgId, "text", "vraag " + clientMsgId));
            Ws.Frame got = agent.nextFrame(type("message").and(clientMsgId(clientMsgId)), WAIT);
            return got.at() - t0;
        }
    }

    record Stats(double p50, double p99, double max, double mean) {
        static Stats of(long[] nanos) {
            long[] sorted = nanos.clone();
            Arrays.sort(sorted);
            return new Stats(pct(sorted, 0.50), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6,
                    Arrays.stream(sorted).average().orElse(0) / 1e6);
        }

        private static double pct(long[] sorted, double p) {
            return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
        }

        @Override
        public String toString() {
            return String.format("p50=%.2f ms p99=%.2f ms max=%.2f ms mean=%.2f ms", p50, p99, max, mean);
        }
    }

    // ---- d. a node dies with agents on it ------------------------------------------------------

    @Test
    @Order(5)
    void whenNodeBIsKilledAnAgentWhoReturnsOnAKeepsTheirConversationsAndOneWhoDoesNotLosesThemOnce() throws Exception {
        ensureNodeB();
        String topic = newTopic("kill");
        Agent xander = createAgent(a, "Xander", List.of(topic), 5);
        Agent yara = createAgent(a, "Yara", List.of(topic), 5);
        Map<String, Ws> residents = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            JsonNode started = startConversation(a, topic, "Inwoner " + i);
            String id = started.get("id").asText();
            Ws r = Ws.connect(a, "/ws/resident/" + id, started.get("token").asText(), "resident-" + i);
            r.next(type("state"));
            residents.put(id, r);
        }
        Ws xOnB = Ws.connect(b, "/ws/agent", xander.token, "xander");
        Ws yOnB = Ws.connect(b, "/ws/agent", yara.token, "yara");
        xOnB.next(type("hello"));
        yOnB.next(type("hello"));
        List<String> xHolds = claim(xOnB, topic, 3);
        List<String> yHolds = claim(yOnB, topic, 3);
        for (String id : residents.keySet()) {
            residents.get(id).next(type("state").and(f -> "active".equals(f.path("state").asText())));
        }
        for (String id : xHolds) {
            xOnB.send(Map.of("type", "message", "conversationId", id, "clientMsgId", "x-before", "text", "Ik kijk even voor u"));
            residents.get(id).next(clientMsgId("x-before"));
        }
        for (String id : yHolds) {
            yOnB.send(Map.of("type", "message", "conversationId", id, "clientMsgId", "y-before", "text", "Een moment"));
            residents.get(id).next(clientMsgId("y-before"));
        }

        long killedAt = System.nanoTime();
        b.kill();
        log("node b killed (SIGKILL)");
        xOnB.awaitClosed(Duration.ofSeconds(5));

        // Xander comes back on node a straight away, well within the grace period
        Ws xOnA = Ws.connect(a, "/ws/agent", xander.token, "xander-again");
        JsonNode hello = xOnA.next(type("hello"));
        long backAfter = millisSince(killedAt);
        List<JsonNode> restored = list(hello.get("conversations"));
        assertThat(restored.stream().map(c -> c.get("id").asText()).toList())
                .as("conversations in hello after reconnecting to a").containsExactlyInAnyOrderElementsOf(xHolds);
        for (JsonNode c : restored) {
            assertThat(c.get("state").asText()).isEqualTo("active");
            assertThat(c.get("residentOnline").asBoolean()).isTrue();
            assertThat(list(c.get("messages")).stream().map(m -> m.path("clientMsgId").asText()).toList()).contains("x-before");
        }
        assertThat(backAfter).isLessThan(GRACE_AGENT.toMillis());

        // node b comes back as a new node while Yara's grace runs: two nodes sweep when it ends
        b = startNode("b-restarted");

        long deadline = DEAD_AFTER.plus(GRACE_AGENT).plusSeconds(10).toMillis();
        List<Long> requeuedAfter = new ArrayList<>();
        for (String id : yHolds) {
            Ws r = residents.get(id);
            Ws.Frame queued = r.nextFrame(type("state").and(f -> "queued".equals(f.path("state").asText())),
                    Duration.ofMillis(Math.max(1000, deadline - millisSince(killedAt))));
            requeuedAfter.add((queued.at() - killedAt) / 1_000_000);
        }
        log("Yara's conversations requeued %s ms after the kill (dead after %s, grace %s)", requeuedAfter, DEAD_AFTER, GRACE_AGENT);
        // the grace runs from the dead node's last heartbeat, normally at most one beat before the kill
        // (two allowed, for a loaded machine); requeuing at death detection (dead-after) would be too early
        assertThat(requeuedAfter).allSatisfy(ms -> assertThat(ms)
                .isGreaterThanOrEqualTo(GRACE_AGENT.minus(HEARTBEAT.multipliedBy(2)).toMillis())
                .isLessThanOrEqualTo(DEAD_AFTER.plus(GRACE_AGENT).toMillis() + 4000));
        Thread.sleep(3000); // both nodes sweep meanwhile: a second requeue would show now

        for (String id : yHolds) {
            UUID uuid = UUID.fromString(id);
            Ws r = residents.get(id);
            assertThat(queryString("select state from conversation where id = ?", uuid)).isEqualTo("queued");
            assertThat(queryString("select coalesce(assigned_agent::text, 'none') from conversation where id = ?", uuid)).isEqualTo("none");
            assertThat(queryLong("select count(*) from assignment where conversation_id = ?", uuid)).isEqualTo(1);
            assertThat(queryLong("select count(*) from assignment where conversation_id = ? and end_reason = 'agent_gone'", uuid))
                    .as("agent_gone assignments of %s", id).isEqualTo(1);
            assertThat(queryLong("select count(*) from message where conversation_id = ? and sender = 'system'", uuid)).isEqualTo(1);
            List<JsonNode> system = r.frames(type("message").and(f -> "system".equals(f.path("from").asText())));
            assertThat(system).as("system messages to the resident of %s", id).hasSize(1);
            assertThat(system.get(0).get("text").asText()).contains("niet meer bereikbaar");
            assertThat(stateChanges(r)).as("states the resident of %s went through", id)
                    .containsExactly("queued", "active", "queued");
        }
        for (String id : xHolds) {
            UUID uuid = UUID.fromString(id);
            Ws r = residents.get(id);
            assertThat(queryString("select state from conversation where id = ?", uuid)).isEqualTo("active");
            assertThat(queryString("select assigned_agent::text from conversation where id = ?", uuid)).isEqualTo(xander.id);
            assertThat(queryLong("select count(*) from assignment where conversation_id = ? and ended_at is null", uuid)).isEqualTo(1);
            assertThat(queryLong("select count(*) from message where conversation_id = ? and sender = 'system'", uuid)).isZero();
            assertThat(stateChanges(r)).containsExactly("queued", "active");
            xOnA.send(Map.of("type", "message", "conversationId", id, "clientMsgId", "x-after", "text", "Daar ben ik weer"));
            assertThat(r.next(clientMsgId("x-after")).get("from").asText()).isEqualTo("agent");
        }
        assertThat(xOnA.frames(type("ended"))).isEmpty();
        // Xander's board on a shows Yara's three back in the queue
        xOnA.awaitAny(board(topic, 3), WAIT);
        xOnA.close();
        residents.values().forEach(Ws::close);
    }

    // ---- e. a resident on the dying node resumes on the other ---------------------------------

    @Test
    @Order(6)
    void aResidentOnNodeBWhenItDiesResumesOnAWithAfterAndMissesNothingAndGetsNothingTwice() throws Exception {
        ensureNodeB();
        String topic = newTopic("resume");
        Agent wim = createAgent(a, "Wim", List.of(topic), 3);
        JsonNode started = startConversation(b, topic, "Romy");
        String id = started.get("id").asText();
        String token = started.get("token").asText();
        Ws onB = Ws.connect(b, "/ws/resident/" + id, token, "resident-on-b");
        onB.next(type("state"));
        Ws console = Ws.connect(a, "/ws/agent", wim.token, "wim");
        console.next(type("hello"));
        console.send(Map.of("type", "claim", "conversationId", id, "ref", "resume"));
        assertThat(console.next(type("assigned").or(errorFor("resume"))).get("type").asText()).isEqualTo("assigned");
        onB.next(type("state").and(f -> "active".equals(f.path("state").asText())));

        // the agent on a keeps writing, before, during and after the resident's node dies
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicReference<Throwable> writerFailed = new AtomicReference<>();
        List<String> written = new CopyOnWriteArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 1; writing.get(); i++) {
                    String cid = "w-" + i;
                    console.send(Map.of("type", "message", "conversationId", id, "clientMsgId", cid, "text", "antwoord " + i));
                    written.add(cid);
                    sleepQuietly(15);
                }
            } catch (Throwable t) {
                writerFailed.set(t);
            }
        }, "agent-writer");
        writer.start();
        Ws onA;
        long killedAt;
        long reconnectedAt;
        try {
            onB.awaitCount(type("message"), 15, WAIT);
            killedAt = System.nanoTime();
            b.kill();
            log("node b killed (SIGKILL) under a resident");
            onB.awaitClosed(Duration.ofSeconds(5));
            Thread.sleep(500);
            List<Integer> before = seqs(onB.frames(type("message")));
            assertThat(before).as("what the resident saw on b").containsExactlyElementsOf(range(1, before.size()));
            int after = before.isEmpty() ? 0 : before.get(before.size() - 1);
            reconnectedAt = System.nanoTime();
            onA = Ws.connect(a, "/ws/resident/" + id + "?after=" + after, token, "resident-on-a");
            Thread.sleep(500);
        } finally {
            writing.set(false);
            writer.join(10_000);
        }
        assertThat(writerFailed.get()).as("the agent's writer").isNull();
        String last = written.get(written.size() - 1);
        int lastSeq = console.next(clientMsgId(last)).get("seq").asInt();
        onA.awaitAny(clientMsgId(last), WAIT);
        Thread.sleep(300);

        List<JsonNode> first = onB.frames(type("message"));
        List<JsonNode> second = onA.frames(type("message"));
        int resumedAfter = seqs(first).get(first.size() - 1);
        long writtenMeanwhile = console.frameList(type("message")).stream()
                .filter(f -> f.at() > killedAt && f.at() < reconnectedAt).count();
        log("resident saw seq 1..%d on b, resumed on a with after=%d, %d written while disconnected, %d in all",
                resumedAfter, resumedAfter, writtenMeanwhile, lastSeq);
        assertThat(writtenMeanwhile).as("messages the agent wrote while the resident was away").isPositive();
        assertThat(onA.frames().get(0).get("type").asText()).isEqualTo("state");
        assertThat(onA.frames().get(0).get("state").asText()).isEqualTo("active");
        assertThat(seqs(second)).as("seqs after resuming with after=%d", resumedAfter)
                .containsExactlyElementsOf(range(resumedAfter + 1, lastSeq));
        List<JsonNode> all = new ArrayList<>(first);
        all.addAll(second);
        assertThat(seqs(all)).containsExactlyElementsOf(range(1, lastSeq));
        assertThat(all.stream().map(m -> m.get("clientMsgId").asText()).toList()).containsExactlyElementsOf(written);
        assertThat(all).allSatisfy(m -> assertThat(m.get("from").asText()).isEqualTo("agent"));
        assertThat(queryLong("select last_seq from conversation where id = ?", UUID.fromString(id))).isEqualTo(lastSeq);
        onA.close();
        console.close();
    }

    // ---- a node that stops or stalls must not take the live nodes' clients with it ------------
    //
    // These fail on the current code (see the comments); they run only with -Dloket.it.known-bugs=true
    // until the bugs are fixed, so that ./mvnw verify stays usable meanwhile. Remove the condition then.

    /**
     * Known bug: Timers.deregister calls presence.removeDeadNodes(Duration.ZERO), which deletes every
     * node whose heartbeat is older than now(), i.e. all of them: the live nodes' presence rows go,
     * their agents and residents count as gone, and after the grace the agents' conversations are
     * requeued although the agents never left.
     */
    @Test
    @Order(7)
    void stoppingNodeBGracefullyLeavesTheConversationsOnNodeAAlone() throws Exception {
        ensureNodeB();
        String topic = newTopic("graceful");
        Agent greet = createAgent(a, "Greet", List.of(topic), 3);
        JsonNode started = startConversation(a, topic, "Daan");
        String id = started.get("id").asText();
        Ws resident = Ws.connect(a, "/ws/resident/" + id, started.get("token").asText(), "resident");
        resident.next(type("state"));
        Console console = new Console(a, greet, "greet");
        console.claim(id);
        resident.next(type("state").and(f -> "active".equals(f.path("state").asText())));

        b.stop(); // SIGTERM: a rolling deploy, say
        long presence = queryLong("select count(*) from presence where subject = ?", UUID.fromString(greet.id));
        log("node b stopped gracefully; presence rows of the agent on node a now: %d", presence);
        assertStaysWithTheAgent(id, greet, console, resident);
        assertThat(presence).as("presence rows of an agent connected to node a, right after node b stopped").isPositive();
        console.ws.close();
        resident.close();
    }

    /**
     * Known bug: a node declared dead (no heartbeat for dead-after) that comes back re-inserts its node
     * row with the next heartbeat (Timers.heartbeat upserts) but never restores the presence rows the
     * sweep deleted, nor closes its connections; its still-connected agents lose their conversations
     * after the grace and its queued residents are abandoned.
     */
    @Test
    @Order(8)
    void aNodeThatStallsLongerThanDeadAfterButComesBackDoesNotLoseItsConnectedAgents() throws Exception {
        ensureNodeB();
        String topic = newTopic("stall");
        Agent stijn = createAgent(a, "Stijn", List.of(topic), 3);
        JsonNode started = startConversation(a, topic, "Lotte");
        String id = started.get("id").asText();
        Ws resident = Ws.connect(a, "/ws/resident/" + id, started.get("token").asText(), "resident");
        resident.next(type("state"));
        Console console = new Console(b, stijn, "stijn");
        console.claim(id);
        resident.next(type("state").and(f -> "active".equals(f.path("state").asText())));

        // a long GC pause or a lost database link: node b misses its heartbeats and is declared dead...
        signal(b, "STOP");
        try {
            Thread.sleep(DEAD_AFTER.plusMillis(2500).toMillis());
        } finally {
            // ...but comes back well within the agent's grace period, its WebSocket still open
            signal(b, "CONT");
        }
        log("node b stalled %d ms and resumed", DEAD_AFTER.plusMillis(2500).toMillis());
        assertStaysWithTheAgent(id, stijn, console, resident);
        console.ws.close();
        resident.close();
    }

    /**
     * Known bug: Timers.deregister sets the stopping node's heartbeat to '-infinity' and removeDeadNodes
     * takes the dead node's heartbeat as the moment its clients went: when the sweep gets there before
     * the connections' own @OnClose, the agents count as gone since '-infinity' and the next sweep
     * requeues their conversations at once, with no grace (racy: fails on most runs).
     */
    @Test
    @Order(9)
    void aRollingRestartOfNodeBGivesItsAgentsTheGraceToReconnectToA() throws Exception {
        ensureNodeB();
        String topic = newTopic("rolling");
        Agent rolf = createAgent(a, "Rolf", List.of(topic), 3);
        JsonNode started = startConversation(a, topic, "Noor");
        String id = started.get("id").asText();
        Ws resident = Ws.connect(a, "/ws/resident/" + id, started.get("token").asText(), "resident");
        resident.next(type("state"));
        Console console = new Console(b, rolf, "rolf");
        console.claim(id);
        resident.next(type("state").and(f -> "active".equals(f.path("state").asText())));

        long stoppedAt = System.nanoTime();
        b.stop(); // SIGTERM; the console finds its connection gone and tries the other node a little later
        console.ws.awaitClosed(Duration.ofSeconds(5));
        log("after node b stopped, the agent counts as gone since %s (database now %s)",
                queryString("select gone_at::text from app_user where id = ?", UUID.fromString(rolf.id)),
                queryString("select now()::text"));
        Thread.sleep(3000);
        Ws again = Ws.connect(a, "/ws/agent", rolf.token, "rolf-on-a");
        JsonNode hello = again.next(type("hello"));
        log("agent back on a %d ms after node b began to stop", millisSince(stoppedAt));
        UUID uuid = UUID.fromString(id);
        assertThat(queryLong("select count(*) from assignment where conversation_id = ? and end_reason = 'agent_gone'", uuid))
                .as("agent_gone assignments %d ms after a graceful stop (grace %s)", millisSince(stoppedAt), GRACE_AGENT).isZero();
        assertThat(list(hello.get("conversations")).stream().map(c -> c.get("id").asText()).toList())
                .as("conversations in hello after reconnecting within the grace").containsExactly(id);
        assertThat(resident.frames(type("message").and(f -> "system".equals(f.path("from").asText())))).isEmpty();
        again.close();
        resident.close();
    }

    /**
     * Waits past dead-after plus the agent's grace while the agent's console behaves like a real
     * one (reconnects at once if the server closes it), then checks the conversation stayed theirs.
     */
    private static void assertStaysWithTheAgent(String id, Agent agent, Console console, Ws resident) throws Exception {
        long until = System.nanoTime() + DEAD_AFTER.plus(GRACE_AGENT).plusSeconds(3).toNanos();
        while (System.nanoTime() < until) {
            console.reconnectIfClosed();
            Thread.sleep(100);
        }
        console.reconnectIfClosed();
        UUID uuid = UUID.fromString(id);
        assertThat(resident.frames(type("message").and(f -> "system".equals(f.path("from").asText()))))
                .as("system messages to a resident whose agent never left").isEmpty();
        assertThat(queryLong("select count(*) from assignment where conversation_id = ? and end_reason = 'agent_gone'", uuid))
                .as("agent_gone assignments of a conversation whose agent never left").isZero();
        assertThat(queryString("select state from conversation where id = ?", uuid)).isEqualTo("active");
        assertThat(queryString("select assigned_agent::text from conversation where id = ?", uuid)).isEqualTo(agent.id);
        assertThat(console.ws.frames(type("ended"))).as("ended frames on the agent's console").isEmpty();
        console.ws.send(Map.of("type", "message", "conversationId", id, "clientMsgId", "still-here", "text", "Ik ben er nog"));
        assertThat(resident.next(clientMsgId("still-here")).get("from").asText()).isEqualTo("agent");
    }

    /** An agent console that, like the real one, reconnects to its node when the server closes it. */
    static final class Console {
        final Node node;
        final Agent agent;
        final String name;
        Ws ws;

        Console(Node node, Agent agent, String name) {
            this.node = node;
            this.agent = agent;
            this.name = name;
            this.ws = Ws.connect(node, "/ws/agent", agent.token, name);
            ws.next(type("hello"));
        }

        void claim(String conversationId) {
            ws.send(Map.of("type", "claim", "conversationId", conversationId, "ref", "claim"));
            assertThat(ws.next(type("assigned").or(errorFor("claim"))).get("type").asText()).isEqualTo("assigned");
        }

        void reconnectIfClosed() {
            if (ws.closed) {
                log("%s was closed (%d); reconnecting", ws.name, ws.closeCode);
                ws = Ws.connect(node, "/ws/agent", agent.token, name + "-again");
                ws.next(type("hello"));
            }
        }
    }

    static void signal(Node node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, node.process.pid()).isZero();
    }

    private static void ensureNodeB() throws Exception {
        if (!b.alive()) {
            b = startNode("b-" + System.currentTimeMillis() % 100000);
        }
    }

    /** Claims n conversations of the topic one after the other; returns their ids. */
    private static List<String> claim(Ws console, String topic, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String ref = "claim-" + i;
            console.send(Map.of("type", "claim", "topic", topic, "ref", ref));
            JsonNode answer = console.next(type("assigned").or(errorFor(ref)));
            assertThat(answer.get("type").asText()).as("claim answer %s", answer).isEqualTo("assigned");
            ids.add(answer.at("/conversation/id").asText());
        }
        return ids;
    }

    /** The states a resident was shown, consecutive repeats (position or estimate updates) folded. */
    private static List<String> stateChanges(Ws resident) {
        List<String> changes = new ArrayList<>();
        for (JsonNode f : resident.frames(type("state"))) {
            String s = f.get("state").asText();
            if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(s)) {
                changes.add(s);
            }
        }
        return changes;
    }

    // ---- REST and SQL --------------------------------------------------------------------------

    record Agent(String id, String username, String token) {
    }

    static String newTopic(String label) throws SQLException {
        String id = "it-" + label + "-" + UUID.randomUUID().toString().substring(0, 6);
        update("insert into topic (id, name_nl, name_en, sort_order, opening_hours) values (?, ?, ?, 100, '{}')",
                id, "Test " + label, "Test " + label);
        return id;
    }

    static Agent createAgent(Node node, String displayName, List<String> topics, int maxConcurrent) throws Exception {
        String username = displayName.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 8);
        String password = "password-" + username;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("displayName", displayName);
        body.put("password", password);
        body.put("roles", List.of("agent"));
        body.put("topics", topics);
        body.put("maxConcurrent", maxConcurrent);
        JsonNode created = post(node, "/api/v1/admin/users", adminToken, body, 201);
        return new Agent(created.get("id").asText(), username, login(node, username, password));
    }

    static String login(Node node, String username, String password) throws Exception {
        return post(node, "/api/v1/auth/token", null, Map.of("username", username, "password", password), 200)
                .get("accessToken").asText();
    }

    static JsonNode startConversation(Node node, String topic, String name) throws Exception {
        return post(node, "/api/v1/conversations", null, name == null ? Map.of("topic", topic) : Map.of("topic", topic, "name", name), 201);
    }

    static JsonNode post(Node node, String path, String token, Object body, int expected) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.http(path)).timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s on node %s: %s", path, node.name, response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }

    static Connection jdbc() throws SQLException {
        return pg.getPostgresDatabase().getConnection();
    }

    static void update(String sql, Object... args) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement st = prepare(c, sql, args)) {
            st.executeUpdate();
        }
    }

    static long queryLong(String sql, Object... args) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getLong(1);
        }
    }

    static double queryDouble(String sql, Object... args) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getDouble(1);
        }
    }

    static String queryString(String sql, Object... args) throws SQLException {
        try (Connection c = jdbc(); PreparedStatement st = prepare(c, sql, args); ResultSet rs = st.executeQuery()) {
            assertThat(rs.next()).as("a row from %s", sql).isTrue();
            return rs.getString(1);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
        return st;
    }

    // ---- frames --------------------------------------------------------------------------------

    static Predicate<JsonNode> type(String type) {
        return f -> type.equals(f.path("type").asText());
    }

    static Predicate<JsonNode> clientMsgId(String id) {
        return f -> "message".equals(f.path("type").asText()) && id.equals(f.path("clientMsgId").asText());
    }

    static Predicate<JsonNode> conversation(String id) {
        return f -> id.equals(f.path("conversationId").asText());
    }

    static Predicate<JsonNode> errorFor(String ref) {
        return f -> "error".equals(f.path("type").asText()) && ref.equals(f.path("ref").asText());
    }

    /** A queues frame in which the topic has exactly this many waiting. */
    static Predicate<JsonNode> board(String topic, int waiting) {
        return f -> "queues".equals(f.path("type").asText()) && list(f.get("topics")).stream()
                .anyMatch(t -> topic.equals(t.path("id").asText()) && t.path("waiting").asInt(-1) == waiting);
    }

    static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null) {
            array.forEach(out::add);
        }
        return out;
    }

    static List<Integer> seqs(List<JsonNode> messages) {
        return messages.stream().map(m -> m.get("seq").asInt()).toList();
    }

    static List<String> clientIds(List<JsonNode> messages, String prefix) {
        return messages.stream().map(m -> m.path("clientMsgId").asText()).filter(id -> id.startsWith(prefix)).toList();
    }

    static List<Integer> range(int from, int to) {
        return IntStream.rangeClosed(from, to).boxed().toList();
    }

    static List<String> names(String prefix, int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> prefix + i).collect(Collectors.toList());
    }

    /**
     * A WebSocket client on the JDK's {@link WebSocket}: records every JSON frame with the moment
     * it arrived, and lets a test wait for the next frame that matches.
     */
    static final class Ws implements WebSocket.Listener {

        record Frame(JsonNode json, long at) {
        }

        final String name;
        private final List<Frame> frames = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final Object sendLock = new Object();
        private int cursor;
        private volatile WebSocket socket;
        private volatile boolean closed;
        private volatile int closeCode = -1;

        private Ws(String name) {
            this.name = name;
        }

        static Ws connect(Node node, String path, String token, String name) {
            Ws ws = new Ws(name + "@" + node.name);
            WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            try {
                ws.socket = builder.buildAsync(node.ws(path), ws).get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("could not open " + path + " on node " + node.name, e);
            }
            sockets.add(ws);
            return ws;
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long at = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                JsonNode json;
                try {
                    json = JSON.readTree(text);
                } catch (JsonProcessingException e) {
                    json = JSON.createObjectNode().put("type", "unparseable").put("raw", text);
                }
                synchronized (this) {
                    frames.add(new Frame(json, at));
                    notifyAll();
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            synchronized (this) {
                closeCode = statusCode;
                closed = true;
                notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            synchronized (this) {
                closed = true;
                notifyAll();
            }
        }

        void send(Object frame) {
            try {
                String text = JSON.writeValueAsString(frame);
                synchronized (sendLock) {
                    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
                }
            } catch (Exception e) {
                throw new AssertionError(name + " could not send " + frame, e);
            }
        }

        /** The next frame after those already taken that matches; frames skipped stay in {@link #frames()}. */
        JsonNode next(Predicate<JsonNode> matching) {
            return nextFrame(matching, WAIT).json();
        }

        synchronized Frame nextFrame(Predicate<JsonNode> matching, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (int i = cursor; i < frames.size(); i++) {
                    if (matching.test(frames.get(i).json())) {
                        cursor = i + 1;
                        return frames.get(i);
                    }
                }
                waitUntil(deadline, "a matching frame");
            }
        }

        /** Any frame received so far (taken or not) that matches, waiting for one if need be. */
        synchronized JsonNode awaitAny(Predicate<JsonNode> matching, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (Frame f : frames) {
                    if (matching.test(f.json())) {
                        return f.json();
                    }
                }
                waitUntil(deadline, "a matching frame");
            }
        }

        synchronized void awaitCount(Predicate<JsonNode> matching, int count, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (frames.stream().filter(f -> matching.test(f.json())).count() < count) {
                waitUntil(deadline, count + " matching frames (have "
                        + frames.stream().filter(f -> matching.test(f.json())).count() + ")");
            }
        }

        synchronized void awaitClosed(Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!closed) {
                waitUntil(deadline, "the connection to close");
            }
        }

        private void waitUntil(long deadline, String what) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                List<JsonNode> recent = frames.subList(Math.max(0, frames.size() - 8), frames.size()).stream().map(Frame::json).toList();
                throw new AssertionError(name + ": timed out waiting for " + what + "; closed=" + closed + " (" + closeCode
                        + "), " + frames.size() + " frames, the last: " + recent);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        synchronized List<JsonNode> frames() {
            return frames.stream().map(Frame::json).toList();
        }

        synchronized List<JsonNode> frames(Predicate<JsonNode> matching) {
            return frames.stream().map(Frame::json).filter(matching).toList();
        }

        synchronized List<Frame> frameList(Predicate<JsonNode> matching) {
            return frames.stream().filter(f -> matching.test(f.json())).toList();
        }

        void close() {
            if (!closed) {
                try {
                    socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    socket.abort();
                }
            }
            sockets.remove(this);
        }

        void abort() {
            if (socket != null) {
                socket.abort();
            }
        }
    }

    // ---- small things --------------------------------------------------------------------------

    static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void log(String format, Object... args) {
        System.out.println("[two-nodes] " + String.format(format, args));
    }

    static void bench(String format, Object... args) {
        System.out.println("BENCH " + String.format(format, args));
    }
}
