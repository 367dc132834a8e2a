package nl.loket.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import nl.loket.Ports;
import org.junit.jupiter.api.AfterAll;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The harness of the cluster tests: real Loket processes (the packaged {@code target/quarkus-app})
 * on one embedded PostgreSQL, talked to with nothing but the JDK's HTTP and WebSocket clients.
 * Each *IT class starts its cluster in its own {@code @BeforeAll} (usually {@link #startTwoNodes()})
 * and this class stops everything after it. Node logs: {@code target/cluster-<test>-<node>.log}.
 *
 * <p>Run one alone with {@code ./mvnw package -DskipTests && ./mvnw test-compile
 * failsafe:integration-test failsafe:verify -Dit.test=ChatAcrossNodesIT}.
 */
abstract class ClusterHarness {

    static final Duration DEAD_AFTER = Duration.ofSeconds(4);
    static final Duration GRACE_AGENT = Duration.ofSeconds(10);
    static final Duration GRACE_RESIDENT = Duration.ofSeconds(120);
    /** The service's default heartbeat: a dead node's clients count as gone from its last beat. */
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(15);
    static final String ADMIN_PASSWORD = "cluster-admin-password";
    static final ObjectMapper JSON = new ObjectMapper();

    static EmbeddedPostgres pg;
    static Path pgData;
    static int pgPort;
    /** Server settings over the library's (which turns fsync and synchronous commit off for speed). */
    static final Map<String, String> pgConfig = new HashMap<>();
    static Path targetDir;
    static HttpClient http;
    static Node a;
    static Node b;
    static String adminToken;
    static String label = "cluster";
    /** Extra environment for every node started from now on (webhooks, proxy settings, ...). */
    static final Map<String, String> nodeEnv = new HashMap<>();
    static final List<Node> nodes = new CopyOnWriteArrayList<>();
    static final List<Ws> sockets = new CopyOnWriteArrayList<>();
    static Thread shutdownHook;

    // ---- cluster lifecycle -------------------------------------------------------------------

    /** PostgreSQL and nothing else yet; {@code label} names the node logs. */
    static void startDatabase(String name) throws Exception {
        startDatabase(name, Map.of());
    }

    /** PostgreSQL with these server settings, say fsync on where commits must cost what they cost in production. */
    static void startDatabase(String name, Map<String, String> serverConfig) throws Exception {
        label = name;
        nodeEnv.clear();
        pgConfig.clear();
        pgConfig.putAll(serverConfig);
        shutdownHook = new Thread(ClusterHarness::stopEverything, "cluster-it-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Path appDir = appDir();
        assertThat(appDir.resolve("quarkus-run.jar"))
                .as("the packaged service; build it with ./mvnw package -DskipTests").exists();
        targetDir = appDir.toAbsolutePath().getParent();
        pgData = Files.createTempDirectory("loket-cluster-pg-");
        pgPort = freePort();
        startPostgres();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** (Re)starts PostgreSQL on the same port and data directory, so a stopped database comes back with its data. */
    static void startPostgres() throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("max_connections", "300")
                .setServerConfig("timezone", "UTC");
        pgConfig.forEach(builder::setServerConfig);
        pg = builder
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setPort(pgPort)
                .start();
    }

    /** Stops PostgreSQL, keeping its files: every node loses its connections. */
    static void stopPostgres() throws IOException {
        pg.close();
        pg = null;
    }

    /** The usual cluster: PostgreSQL, node a, node b, and an admin token. */
    static void startTwoNodes(String name) throws Exception {
        long t0 = System.nanoTime();
        startDatabase(name);
        List<Node> started = startNodes("a", "b");
        a = started.get(0);
        b = started.get(1);
        adminToken = login(a, "admin", ADMIN_PASSWORD);
        log("cluster up in %d ms: PostgreSQL on %d, node a on %d, node b on %d",
                millisSince(t0), pgPort, a.port, b.port);
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
            shutdownHook = null;
        }
    }

    private static synchronized void stopEverything() {
        for (Ws ws : sockets) {
            ws.abort();
        }
        sockets.clear();
        // SIGTERM to every node first, then wait for each: their shutdown delays (2 s) and stops
        // run side by side instead of one after the other (about 3 s a node saved per class)
        for (Node n : nodes) {
            n.terminate();
        }
        for (Node n : nodes) {
            n.stop();
            List<String> failures = n.failures(80);
            if (!failures.isEmpty()) {
                log("warnings and errors in the log of node %s (%s):%n  %s", n.name, n.log, String.join("\n  ", failures));
            }
        }
        nodes.clear();
        if (pg != null) {
            try {
                pg.close();
            } catch (IOException | RuntimeException e) {
                System.err.println("[cluster] could not stop PostgreSQL: " + e);
            }
            pg = null;
        }
        if (pgData != null) {
            try (var paths = Files.walk(pgData)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | RuntimeException ignored) {
                // a temp directory; the OS cleans up what is left
            }
            pgData = null;
        }
    }

    static Path appDir() {
        return Path.of(System.getProperty("loket.app.dir", "target/quarkus-app"));
    }

    static Node startNode(String name) throws Exception {
        return startNode(name, Map.of());
    }

    /** Starts a node and waits until its readiness (on its own management port) is UP. */
    static Node startNode(String name, Map<String, String> extraEnv) throws Exception {
        Node node = launchNode(name, extraEnv);
        awaitReady(node, Duration.ofSeconds(90));
        return node;
    }

    /**
     * Starts these nodes side by side and waits until every one is ready: a cluster's first start
     * costs one node's start, not one per node. Safe on a new installation, as a deployment that
     * starts its replicas at once: Flyway migrates under its advisory lock, the shared keys' schema
     * is made under one too (FirstStartTogetherTest), and the bootstrap admin is inserted with
     * "on conflict do nothing". Returns the nodes in the order of the names.
     */
    static List<Node> startNodes(String... names) throws Exception {
        List<Node> started = new ArrayList<>();
        for (String name : names) {
            started.add(launchNode(name, Map.of()));
        }
        for (Node node : started) {
            awaitReady(node, Duration.ofSeconds(90));
        }
        return started;
    }

    /** Starts a node without waiting for it. */
    private static Node launchNode(String name, Map<String, String> extraEnv) throws Exception {
        int port = freePort();
        int managementPort = freePort();
        Path jar = appDir().resolve("quarkus-run.jar").toAbsolutePath();
        Path dataDir = Files.createTempDirectory("loket-node-" + name + "-");
        Path logFile = targetDir.resolve(label + "-" + name + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-jar", jar.toString());
        builder.directory(dataDir.toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("LOKET_") || k.startsWith("QUARKUS_"));
        env.put("LOKET_DB_URL", "postgresql://localhost:" + pgPort + "/postgres");
        env.put("LOKET_DB_USER", "postgres");
        env.put("LOKET_DATA_DIR", dataDir.toString());
        env.put("LOKET_NODE_ID", name);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        env.put("LOKET_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("LOKET_ALWAYS_OPEN", "true");
        env.put("LOKET_GRACE_AGENT", GRACE_AGENT.toSeconds() + "s");
        env.put("LOKET_GRACE_RESIDENT", GRACE_RESIDENT.toSeconds() + "s");
        env.put("LOKET_CLUSTER_DEAD_AFTER", DEAD_AFTER.toSeconds() + "s");
        env.put("LOKET_LIMITS_AGENT_FRAMES", "100000");
        env.put("LOKET_LIMITS_RESIDENT_FRAMES", "100000");
        env.put("LOKET_PUBLIC_RATE_LIMIT", "100000");
        env.put("LOKET_LIMITS_OPEN_CONVERSATIONS_PER_ADDRESS", "0");
        env.put("LOKET_LIMITS_OPEN_CALLBACKS_PER_ADDRESS", "0");
        env.putAll(nodeEnv);
        env.putAll(extraEnv);
        builder.redirectErrorStream(true);
        builder.redirectOutput(logFile.toFile());
        Node node = new Node(name, port, managementPort, builder.start(), logFile, dataDir);
        nodes.add(node);
        return node;
    }

    static void awaitReady(Node node, Duration within) throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + within.toNanos();
        while (true) {
            if (!node.alive()) {
                fail("node " + node.name + " exited with " + node.process.exitValue() + " while starting:\n" + node.tail());
            }
            if (readiness(node) == 200) {
                break;
            }
            if (System.nanoTime() > deadline) {
                fail("node " + node.name + " not ready within " + within + ":\n" + node.tail());
            }
            Thread.sleep(200);
        }
        log("node %s ready on port %d (management %d) in %d ms (log %s)", node.name, node.port, node.managementPort,
                millisSince(t0), node.log);
    }

    /** The status of {@code /q/health/ready} on the node's management port; -1 when it does not answer. */
    static int readiness(Node node) {
        try {
            return http.send(HttpRequest.newBuilder(node.management("/q/health/ready")).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException notListening) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static int freePort() {
        return Ports.free();
    }

    // ---- shared steps --------------------------------------------------------------------------

    static void signal(Node node, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(node.process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).as("kill -%s %d", signal, node.process.pid()).isZero();
    }

    static void ensureNodeB() throws Exception {
        if (!b.alive()) {
            b = startNode("b-" + System.currentTimeMillis() % 100000);
        }
    }

    /** Claims n conversations of the topic one after the other; returns their ids. */
    static List<String> claim(Ws console, String topic, int n) {
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
    static List<String> stateChanges(Ws resident) {
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

    static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
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
        System.out.println("[cluster] " + String.format(format, args));
    }

    static void bench(String format, Object... args) {
        System.out.println("BENCH " + String.format(format, args));
    }
}
