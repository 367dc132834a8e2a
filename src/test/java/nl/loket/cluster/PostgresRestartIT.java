package nl.loket.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL restarts under two nodes while residents and agents chat in both directions,
 * across the nodes: once with a fast shutdown ({@code pg_ctl stop -m fast}) and once with a
 * crash ({@code pg_ctl stop -m immediate}: nothing written at the stop, the start replays the
 * WAL), each time with the database away for a few seconds on its own port and data directory.
 * The clients behave as the widget and the console do: a message without an echo is sent again
 * with the same clientMsgId (on an {@code error} frame after a pause, on a new connection at
 * once), a socket that closed is opened again (to either node; a resident resumes with
 * {@code ?after=} its last seq, an agent from its {@code hello}), and a socket on which nothing
 * answers a message for the widget's echo timeout is given up. During the outage one resident
 * and one agent lose their connection and try to come back while the database is still away
 * (a socket opened then is closed with 1013, and they try again), and two agents on different
 * nodes keep trying to claim the same waiting conversation.
 *
 * <p>What users see is checked: every message reaches the other side exactly once, in seq order,
 * without a gap, each stored once; every attempt is answered (its echo or an {@code error}) within
 * the echo timeout, never by silence; every conversation stays with its agent; the contested one
 * goes to one agent; new residents are answered 503 problem+json while the database is away and
 * can start again soon after it is back; readiness goes DOWN and comes back; the nodes hear each
 * other again (messages cross them); and residents and agents who leave afterwards are seen to
 * leave (a socket closed while the database was away was recorded as closed once it was back).
 *
 * <p>PostgreSQL here commits synchronously (as Loket's own embedded one in production): with the
 * library's {@code synchronous_commit=off}, a crash loses commits already acknowledged, which no
 * client could make up for.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresRestartIT extends ClusterHarness {

    /** The test's dead-after, production's: a node unheard this long is taken for dead. */
    static final Duration DEAD_AFTER_HERE = Duration.ofSeconds(10);
    /** How long PostgreSQL stays away in a restart: well within dead-after. */
    static final Duration OUTAGE = Duration.ofSeconds(4);
    /**
     * A restart or failover that takes longer than dead-after: when the database is back, every
     * node's last heartbeat is older than that, yet every node is alive with its sockets open.
     */
    static final Duration LONG_OUTAGE = Duration.ofSeconds(15);
    /** The widget gives a socket up when a message has had no answer this long (10 s plus up to 10 s). */
    static final Duration ECHO_TIMEOUT = Duration.ofSeconds(10);
    /** How soon after PostgreSQL is back each node must take new conversations again. */
    static final Duration STARTS_AGAIN_WITHIN = Duration.ofSeconds(10);
    /**
     * The pause before a message answered by an {@code error} frame is sent again (the widget and the
     * console: from 2 s, doubling, while it is {@code unavailable}; after another passing error the widget once after 5 s).
     */
    static final long RETRY_PAUSE_MILLIS = 1000;

    enum Restart { FAST, CRASH }

    /** The users and probes of the test running now: stopped after it, also when it failed half-way. */
    static final List<Chatter> chatters = new CopyOnWriteArrayList<>();
    static final List<Probes> probing = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        long t0 = System.nanoTime();
        startDatabase("pgrestart", Map.of("synchronous_commit", "on"));
        // production's: a database away for a few seconds is not a node's death
        nodeEnv.put("LOKET_CLUSTER_DEAD_AFTER", DEAD_AFTER_HERE.toSeconds() + "s");
        List<Node> started = startNodes("a", "b");
        a = started.get(0);
        b = started.get(1);
        adminToken = login(a, "admin", ADMIN_PASSWORD);
        log("cluster up in %d ms: PostgreSQL on %d (data %s)", millisSince(t0), pgPort, pgData);
    }

    @AfterEach
    void stopUsers() {
        chatters.forEach(Chatter::stop);
        chatters.clear();
        probing.forEach(Probes::stop);
        probing.clear();
    }

    @Test
    @Order(1)
    void aFastShutdownAndStartLosesNoMessageAndNoConversation() throws Exception {
        chatThrough(Restart.FAST, OUTAGE);
    }

    @Test
    @Order(2)
    void aCrashAndRecoveryLosesNoMessageAndNoConversation() throws Exception {
        chatThrough(Restart.CRASH, OUTAGE);
    }

    /**
     * A failover's length: past dead-after, each node finds the other's heartbeat stale when the
     * database is back. Both were alive throughout, so users must see what they see in a short
     * restart: no conversation back in the queue, no agent losing one, nobody shown as gone.
     */
    @Test
    @Order(3)
    void anOutageLongerThanDeadAfterTakesNoNodeForDead() throws Exception {
        assertThat(LONG_OUTAGE).isGreaterThan(DEAD_AFTER_HERE.plusSeconds(2));
        chatThrough(Restart.CRASH, LONG_OUTAGE);
    }

    // ---- one restart under chatting users -------------------------------------------------------

    private void chatThrough(Restart how, Duration outage) throws Exception {
        String label = how.name().toLowerCase() + "-" + outage.toSeconds() + "s";
        String topic = newTopic(label);
        String probeTopic = newTopic(label + "-probe");
        Agent xander = createAgent(a, "Xander", List.of(topic), 5);
        Agent yara = createAgent(a, "Yara", List.of(topic), 5);
        Agent zoe = createAgent(a, "Zoe", List.of(topic), 5);
        Agent wout = createAgent(a, "Wout", List.of(topic), 5);

        // four residents, two on each node, each served by an agent on the other node or the same one
        List<Chatter> residents = new ArrayList<>();
        Node[] residentNodes = {a, b, b, a};
        for (int i = 0; i < residentNodes.length; i++) {
            JsonNode started = startConversation(residentNodes[i], topic, "Inwoner " + i);
            Chatter r = Chatter.resident(label + "-r" + i, started.get("id").asText(), started.get("token").asText(),
                    residentNodes[i] == a ? List.of(a, b) : List.of(b, a));
            residents.add(r);
        }
        Chatter x = Chatter.agent(label + "-xander", xander.token(), List.of(b, a));
        Chatter y = Chatter.agent(label + "-yara", yara.token(), List.of(a, b));
        List<Chatter> agents = List.of(x, y);
        // Xander (on b) serves r0 (on a) and r1 (on b); Yara (on a) serves r2 (on b) and r3 (on a)
        Function<Chatter, Chatter> servedBy = r -> residents.indexOf(r) < 2 ? x : y;
        List<Chatter> everyone = new ArrayList<>(residents);
        everyone.addAll(agents);
        everyone.forEach(Chatter::start);
        for (Chatter c : everyone) {
            c.awaitReady(WAIT);
        }
        x.claim(residents.get(0).conversationId);
        x.claim(residents.get(1).conversationId);
        y.claim(residents.get(2).conversationId);
        y.claim(residents.get(3).conversationId);
        for (Chatter r : residents) {
            r.awaitActive(WAIT);
        }

        // a resident waits on b; Zoe (on a) and Wout (on b) will both claim exactly that one
        JsonNode waiting = startConversation(b, topic, "Wachtende");
        String contested = waiting.get("id").asText();
        Ws waiter = Ws.connect(b, "/ws/resident/" + contested, waiting.get("token").asText(), label + "-waiter");
        waiter.next(type("state"));
        Ws zoeWs = Ws.connect(a, "/ws/agent", zoe.token(), label + "-zoe");
        Ws woutWs = Ws.connect(b, "/ws/agent", wout.token(), label + "-wout");
        zoeWs.next(type("hello"));
        woutWs.next(type("hello"));

        everyone.forEach(c -> c.talking = true);
        Thread.sleep(3000);
        everyone.forEach(c -> assertThat(c.acked()).as("%s's messages stored before the restart", c.name).isPositive());

        // ---- the outage ----
        Probes probes = new Probes(probeTopic);
        probes.start();
        ExecutorService claimants = Executors.newFixedThreadPool(2);
        long stoppedAt = System.nanoTime();
        if (how == Restart.FAST) {
            stopPostgres(); // pg_ctl stop -m fast
        } else {
            crashPostgres(); // pg_ctl stop -m immediate
        }
        long downAt = System.nanoTime();
        log("PostgreSQL stopped (%s) in %d ms", how, millisSince(stoppedAt));
        AtomicBoolean racing = new AtomicBoolean(true);
        Future<String> zoeClaim = claimants.submit(() -> claimUntilDecided(zoeWs, contested, racing));
        Future<String> woutClaim = claimants.submit(() -> claimUntilDecided(woutWs, contested, racing));
        Thread.sleep(outage.toMillis() / 3);
        // a resident and an agent lose their connections while the database is away, and try to come back meanwhile
        residents.get(1).drop();
        y.drop();
        Thread.sleep(outage.toMillis() - outage.toMillis() / 3);
        startPostgres();
        long backAt = System.nanoTime();
        log("PostgreSQL back after an outage of %d ms (%s, %s)", (backAt - downAt) / 1_000_000, how, label);
        probes.back(backAt);
        Map<Chatter, Integer> sentBeforeBack = new LinkedHashMap<>();
        everyone.forEach(c -> sentBeforeBack.put(c, c.sentCount()));

        // ---- after it ----
        Thread.sleep(3000);
        residents.get(2).drop(); // and once more with the database up: resumes with ?after=
        Thread.sleep(3000);
        everyone.forEach(c -> c.talking = false);
        probes.awaitDone(Duration.ofSeconds(30));
        String zoeOutcome = zoeClaim.get(40, TimeUnit.SECONDS);
        String woutOutcome = woutClaim.get(40, TimeUnit.SECONDS);
        racing.set(false);
        claimants.shutdownNow();

        // every message answered and stored, then everything delivered
        for (Chatter c : everyone) {
            c.awaitAllAcked(Duration.ofSeconds(30));
        }
        for (Chatter r : residents) {
            int last = (int) queryLong("select last_seq from conversation where id = ?", UUID.fromString(r.conversationId));
            r.awaitSeen(r.conversationId, last, WAIT);
            servedBy.apply(r).awaitSeen(r.conversationId, last, WAIT);
        }
        everyone.forEach(Chatter::stop);
        for (Chatter c : everyone) {
            log("%s", c.summary());
        }
        probes.report();

        // ---- what the users saw ----
        for (Chatter c : everyone) {
            assertThat(c.sentCount() - sentBeforeBack.get(c)).as("%s's messages after PostgreSQL was back", c.name).isGreaterThan(10);
        }
        for (Chatter r : residents) {
            UUID id = UUID.fromString(r.conversationId);
            Chatter agent = servedBy.apply(r);
            Agent account = agent == x ? xander : yara;
            int last = (int) queryLong("select last_seq from conversation where id = ?", id);
            // stored: each message once, seq without a gap
            List<String> stored = storedMessages(id);
            assertThat(stored).as("stored messages of %s, by seq", r.name).hasSize(last).doesNotContainNull();
            assertThat(stored.stream().distinct().count()).as("each clientMsgId of %s stored once", r.name).isEqualTo(last);
            assertThat(stored).as("%s's messages stored", r.name).containsAll(r.sent(r.conversationId));
            assertThat(stored).as("%s's messages to %s stored", agent.name, r.name).containsAll(agent.sent(r.conversationId));
            // seen: both sides every seq, once each, in order, each as stored
            assertThat(r.seenInOrder(r.conversationId)).as("seqs as %s first saw them", r.name).containsExactlyElementsOf(range(1, last));
            assertThat(agent.seenInOrder(r.conversationId)).as("seqs as %s first saw them in %s", agent.name, r.name)
                    .containsExactlyElementsOf(range(1, last));
            assertThat(r.seenIds(r.conversationId)).as("what %s saw", r.name).containsExactlyElementsOf(stored);
            assertThat(agent.seenIds(r.conversationId)).as("what %s saw of %s", agent.name, r.name).containsExactlyElementsOf(stored);
            // the conversation stayed where it was
            assertThat(queryString("select state from conversation where id = ?", id)).isEqualTo("active");
            assertThat(queryString("select assigned_agent::text from conversation where id = ?", id)).isEqualTo(account.id());
            assertThat(queryLong("select count(*) from assignment where conversation_id = ?", id)).as("assignments of %s", r.name).isEqualTo(1);
            assertThat(stateChangesOf(r)).as("states %s went through", r.name).containsExactly("queued", "active");
        }
        // the contested conversation went to exactly one of the two
        log("claims of the contested conversation: Zoe %s, Wout %s", zoeOutcome, woutOutcome);
        assertThat(List.of(zoeOutcome, woutOutcome)).as("outcomes of the two claims").containsOnlyOnce("assigned");
        UUID contestedId = UUID.fromString(contested);
        assertThat(queryLong("select count(*) from assignment where conversation_id = ?", contestedId)).isEqualTo(1);
        Agent winner = "assigned".equals(zoeOutcome) ? zoe : wout;
        assertThat(queryString("select assigned_agent::text from conversation where id = ?", contestedId)).isEqualTo(winner.id());
        JsonNode active = waiter.awaitAny(type("state").and(f -> "active".equals(f.path("state").asText())), WAIT);
        assertThat(active.path("agentName").asText()).isEqualTo("assigned".equals(zoeOutcome) ? "Zoe" : "Wout");
        assertThat(waiter.frames(type("message"))).as("messages to the waiting resident").isEmpty();
        (winner == zoe ? zoeWs : woutWs).send(Map.of("type", "message", "conversationId", contested, "clientMsgId", "w-1",
                "text", "Goedemiddag, u spreekt met " + (winner == zoe ? "Zoe" : "Wout")));
        assertThat(waiter.next(clientMsgId("w-1")).get("seq").asInt()).isEqualTo(1);

        // the nodes answered while the database was away, and took new residents soon after
        probes.check(downAt, backAt);

        List<String> problems = new ArrayList<>();
        everyone.forEach(c -> problems.addAll(c.problems));
        // nobody who stayed was shown as gone: a resident whose socket never ended, to their agent; an agent whose
        // console never closed, to colleagues
        for (Chatter r : residents) {
            Chatter agent = servedBy.apply(r);
            if (r.endings.isEmpty() && agent.allFrames.stream().anyMatch(type("presence").and(conversation(r.conversationId))
                    .and(f -> !f.path("residentOnline").asBoolean()))) {
                problems.add(String.format("%s: shown %s as gone, whose socket stayed open", agent.name, r.name));
            }
        }
        for (Chatter agent : agents) {
            String status = currentStatus(agent == x ? xander : yara);
            if ("offline".equals(status)) {
                problems.add(String.format("%s shows as offline with the console open", agent.name));
            }
        }

        // those who leave now are seen to leave: every closed socket was recorded, also those closed in the outage
        int xMark = x.mark();
        int yMark = y.mark();
        for (Chatter r : residents) {
            r.closeSocket();
        }
        for (Chatter r : residents) {
            Chatter agent = servedBy.apply(r);
            if (!agent.sawSince(agent == x ? xMark : yMark, type("presence").and(conversation(r.conversationId)).and(f -> !f.path("residentOnline").asBoolean()),
                    WAIT)) {
                problems.add(String.format("%s: not told that %s left (connections still recorded: %d)", agent.name, r.name,
                        queryLong("select count(*) from presence where subject = ?", UUID.fromString(r.conversationId))));
            }
        }
        agents.forEach(Chatter::closeSocket);
        for (Agent account : List.of(xander, yara)) {
            String status = agentStatus(account);
            if (!"offline".equals(status)) {
                problems.add(String.format("%s shows as %s after closing the console (connections still recorded: %d)",
                        account.username(), status, queryLong("select count(*) from presence where subject = ?", UUID.fromString(account.id()))));
            }
        }
        assertThat(problems).as("what went wrong for the users (" + label + ")").isEmpty();
        waiter.close();
        zoeWs.close();
        woutWs.close();
    }

    /** The agent's status as colleagues and team leads see it (GET /api/v1/agents), once it has settled. */
    private static String agentStatus(Agent account) throws Exception {
        String status = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            status = currentStatus(account);
            if ("offline".equals(status)) {
                break;
            }
            Thread.sleep(200);
        }
        return status;
    }

    /** The agent's status as colleagues and team leads see it now (GET /api/v1/agents). */
    private static String currentStatus(Agent account) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(a.http("/api/v1/agents")).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + account.token()).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /api/v1/agents: %s", response.body()).isEqualTo(200);
        String status = null;
        for (JsonNode agent : list(JSON.readTree(response.body()))) {
            if (account.id().equals(agent.path("id").asText())) {
                status = agent.path("status").asText();
            }
        }
        return status;
    }

    /** Claims the conversation until the answer is final: "assigned", or the error code that refused it. */
    private static String claimUntilDecided(Ws console, String conversationId, AtomicBoolean racing) {
        for (int i = 0; racing.get(); i++) {
            String ref = "race-" + i;
            console.send(Map.of("type", "claim", "conversationId", conversationId, "ref", ref));
            JsonNode answer = console.next(type("assigned").and(f -> conversationId.equals(f.at("/conversation/id").asText()))
                    .or(errorFor(ref)));
            if ("assigned".equals(answer.path("type").asText())) {
                return "assigned";
            }
            String code = answer.path("code").asText();
            // "unavailable": the database was away (since the sockets say so); "internal": anything else passing
            if (!"unavailable".equals(code) && !"internal".equals(code)) {
                return code;
            }
            sleepQuietly(300); // the agent clicks again
        }
        return "undecided";
    }

    private static List<String> stateChangesOf(Chatter r) {
        List<String> changes = new ArrayList<>();
        for (String s : r.states) {
            if (changes.isEmpty() || !changes.get(changes.size() - 1).equals(s)) {
                changes.add(s);
            }
        }
        return changes;
    }

    /** The conversation's messages as stored: the clientMsgId at each seq (system messages as "system"). */
    private static List<String> storedMessages(UUID conversationId) throws Exception {
        List<String> out = new ArrayList<>();
        try (var c = jdbc(); var st = c.prepareStatement(
                "select seq, coalesce(client_msg_id, sender) from message where conversation_id = ? order by seq")) {
            st.setObject(1, conversationId);
            try (var rs = st.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(1) != out.size() + 1) {
                        out.add(null); // a gap: fails the check
                    }
                    out.add(rs.getString(2));
                }
            }
        }
        return out;
    }

    // ---- PostgreSQL's crash ----------------------------------------------------------------------

    /**
     * {@code pg_ctl stop -m immediate}: the postmaster and every backend quit at once, nothing is
     * written, and the next start recovers from the WAL. Then the library lets go of the
     * directory (its own stop finds no server and says so in the test's log).
     */
    static void crashPostgres() throws Exception {
        Path pidFile = pgData.resolve("postmaster.pid");
        long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
        Path pgCtl = Path.of("/proc/" + pid + "/exe").toRealPath().resolveSibling("pg_ctl");
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            // as the library runs it: pg_ctl refuses to run as root
            command.addAll(List.of("unshare", "-U"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", pgData.toString(), "-m", "immediate", "-w", "stop"));
        Process stop = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(stop.getInputStream().readAllBytes());
        assertThat(stop.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stop.exitValue()).as("pg_ctl stop -m immediate: %s", output).isZero();
        stopPostgres();
    }

    // ---- new residents and readiness while it is away ---------------------------------------------

    /** A new resident every 100 ms or so, on each node in turn, and both nodes' readiness, from the stop until both take residents again. */
    static final class Probes {
        record Start(long at, String node, int status, String contentType, String retryAfter, String problem, long tookMillis) {
        }

        record Ready(long at, String node, int status) {
        }

        final String topic;
        final List<Start> starts = new CopyOnWriteArrayList<>();
        final List<Ready> readiness = new CopyOnWriteArrayList<>();
        private volatile long backAt;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread thread;

        Probes(String topic) {
            this.topic = topic;
        }

        void start() {
            probing.add(this);
            thread = new Thread(this::run, "restart-probes");
            thread.setDaemon(true);
            thread.start();
        }

        void back(long at) {
            backAt = at;
        }

        private void run() {
            for (int i = 0; running.get(); i++) {
                Node node = i % 2 == 0 ? a : b;
                starts.add(start(node));
                readiness.add(new Ready(System.nanoTime(), a.name, ClusterHarness.readiness(a)));
                readiness.add(new Ready(System.nanoTime(), b.name, ClusterHarness.readiness(b)));
                if (backAt != 0 && startedAfterBack(a.name) && startedAfterBack(b.name) && readyAfterBack(a.name) && readyAfterBack(b.name)) {
                    return;
                }
                sleepQuietly(100);
            }
        }

        private boolean startedAfterBack(String node) {
            return starts.stream().anyMatch(s -> s.node().equals(node) && s.at() > backAt && s.status() == 201);
        }

        private boolean readyAfterBack(String node) {
            return readiness.stream().anyMatch(r -> r.node().equals(node) && r.at() > backAt && r.status() == 200);
        }

        private Start start(Node node) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(node.http("/api/v1/conversations"))
                        .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"" + topic + "\",\"name\":\"Nieuw\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                String problem = null;
                if (response.statusCode() >= 400) {
                    try {
                        problem = JSON.readTree(response.body()).path("type").asText();
                    } catch (IOException notJson) {
                        problem = "(not JSON) " + response.body();
                    }
                }
                return new Start(System.nanoTime(), node.name, response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(""), response.headers().firstValue("Retry-After").orElse(null),
                        problem, millisSince(t0));
            } catch (IOException e) {
                return new Start(System.nanoTime(), node.name, -1, "", null, e.toString(), millisSince(t0));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Start(System.nanoTime(), node.name, -1, "", null, "interrupted", millisSince(t0));
            }
        }

        void stop() {
            running.set(false);
        }

        void awaitDone(Duration within) throws InterruptedException {
            thread.join(within.toMillis());
            running.set(false);
            thread.join(5000);
        }

        void report() {
            Map<String, Long> counts = new TreeMap<>();
            starts.forEach(s -> counts.merge(s.node() + " " + s.status() + (s.problem() == null ? "" : " " + s.problem()), 1L, Long::sum));
            long slowest = starts.stream().mapToLong(Start::tookMillis).max().orElse(0);
            log("starts during and after the outage: %s, the slowest answered in %d ms", counts, slowest);
        }

        void check(long downAt, long backAt) {
            assertThat(starts).as("starts tried").isNotEmpty();
            for (Start s : starts) {
                String what = String.format("a start on node %s %d ms after the stop: %s", s.node(), (s.at() - downAt) / 1_000_000, s);
                assertThat(s.status()).as(what).isIn(201, 503);
                assertThat(s.tookMillis()).as("how long " + what + " took").isLessThan(10_000);
                if (s.status() == 503) {
                    assertThat(s.contentType()).as(what).startsWith("application/problem+json");
                    assertThat(s.problem()).as(what).endsWith("/problems/unavailable");
                    assertThat(s.retryAfter()).as(what).isNotNull();
                }
            }
            for (String node : List.of(a.name, b.name)) {
                assertThat(starts.stream().filter(s -> s.node().equals(node) && s.at() < backAt).map(Start::status))
                        .as("starts on %s while PostgreSQL was away", node).contains(503);
                long firstAfter = starts.stream().filter(s -> s.node().equals(node) && s.at() > backAt && s.status() == 201)
                        .mapToLong(Start::at).min().orElse(Long.MAX_VALUE);
                assertThat(firstAfter).as("a start taken on %s after PostgreSQL came back", node).isNotEqualTo(Long.MAX_VALUE);
                log("node %s took new residents again %d ms after PostgreSQL was back", node, (firstAfter - backAt) / 1_000_000);
                assertThat(firstAfter - backAt).as("how soon %s took new residents again (ns)", node)
                        .isLessThan(STARTS_AGAIN_WITHIN.toNanos());
                assertThat(readiness.stream().filter(r -> r.node().equals(node) && r.at() < backAt).map(Ready::status))
                        .as("readiness of %s while PostgreSQL was away", node).contains(503);
                assertThat(readiness.stream().filter(r -> r.node().equals(node) && r.at() > backAt).map(Ready::status))
                        .as("readiness of %s after PostgreSQL came back", node).contains(200);
            }
        }
    }

    // ---- a user, as the widget or the console behaves ----------------------------------------------

    /**
     * A resident (one conversation) or an agent (the conversations in its hello), on a thread of
     * its own. While {@link #talking} it writes a message every 200 ms, at most two on the wire
     * without an answer. A message answered by an {@code error} is sent again with its
     * clientMsgId after {@link #RETRY_PAUSE_MILLIS}; what had no answer when a socket closed is
     * sent again on the next one. A closed socket is opened again after a back-off, to the next
     * node in turn. A message without an answer for {@link #ECHO_TIMEOUT}, or a socket that has
     * not opened its session (state, hello) in that time, counts as silence: recorded as a
     * problem, and the socket is given up, as the widget does.
     */
    static final class Chatter {
        private static final class Out {
            final String clientMsgId;
            final String conversationId;
            final String text;
            long sentAt; // 0: not on the wire
            long resendAt;

            Out(String clientMsgId, String conversationId, String text) {
                this.clientMsgId = clientMsgId;
                this.conversationId = conversationId;
                this.text = text;
            }
        }

        final String name;
        final boolean agent;
        final String token;
        final List<Node> nodes;
        /** The resident's conversation; null for an agent. */
        final String conversationId;
        final List<String> problems = new CopyOnWriteArrayList<>();
        final List<String> states = new CopyOnWriteArrayList<>();
        volatile boolean talking;

        private final Object lock = new Object();
        private final LinkedHashMap<String, Out> unacked = new LinkedHashMap<>();
        private final Map<String, List<String>> sent = new LinkedHashMap<>();
        /** Per conversation: what each seq carried (clientMsgId, or the sender), and the order seqs were first seen in. */
        private final Map<String, TreeMap<Integer, String>> seen = new LinkedHashMap<>();
        private final Map<String, List<Integer>> firstSeen = new LinkedHashMap<>();
        private final List<String> held = new CopyOnWriteArrayList<>();
        private final List<JsonNode> allFrames = new CopyOnWriteArrayList<>();
        private volatile boolean running = true;
        private volatile boolean dropNow;
        /** Messages may go out on this socket (a resident's at once, an agent's after the hello). */
        private volatile boolean ready;
        /** This socket's session began: the resident's first state, the agent's hello. */
        private boolean greeted;
        private Thread thread;
        private Ws ws;
        private int read;
        private long connectedAt;
        private long nextConnectAt;
        private int failedConnects;
        private int nodeTurn;
        private int counter;
        private int turn;
        private long nextMessageAt;
        // what happened, for the log
        private int connects;
        private int echoes;
        private int errors;
        private int resends;
        private long slowestAnswer;
        private final List<String> errorsWithoutRef = new CopyOnWriteArrayList<>();
        /** How each socket ended: its close code, or "dropped" / "silent" where this client gave it up. */
        private final List<String> endings = new CopyOnWriteArrayList<>();

        private Chatter(String name, boolean agent, String token, List<Node> nodes, String conversationId) {
            this.name = name;
            this.agent = agent;
            this.token = token;
            this.nodes = nodes;
            this.conversationId = conversationId;
        }

        static Chatter resident(String name, String conversationId, String token, List<Node> nodes) {
            Chatter c = new Chatter(name, false, token, nodes, conversationId);
            c.held.add(conversationId);
            return c;
        }

        static Chatter agent(String name, String token, List<Node> nodes) {
            return new Chatter(name, true, token, nodes, null);
        }

        void start() {
            chatters.add(this);
            thread = new Thread(this::run, "chatter-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The connection drops (a phone changes networks): the socket is gone without a close. */
        void drop() {
            dropNow = true;
        }

        void closeSocket() {
            Ws current;
            synchronized (lock) {
                current = ws;
            }
            if (current != null) {
                current.close();
            }
        }

        void claim(String id) {
            Ws current;
            synchronized (lock) {
                current = ws;
            }
            String ref = "claim-" + id;
            current.send(Map.of("type", "claim", "conversationId", id, "ref", ref));
            awaitFrame(type("assigned").and(f -> id.equals(f.at("/conversation/id").asText())).or(errorFor(ref)), WAIT, "assigned " + id);
            assertThat(held).as("%s holds %s", name, id).contains(id);
        }

        int sentCount() {
            synchronized (lock) {
                return sent.values().stream().mapToInt(List::size).sum();
            }
        }

        int acked() {
            synchronized (lock) {
                return sent.values().stream().mapToInt(List::size).sum() - unacked.size();
            }
        }

        List<String> sent(String conversation) {
            synchronized (lock) {
                return List.copyOf(sent.getOrDefault(conversation, List.of()));
            }
        }

        List<Integer> seenInOrder(String conversation) {
            synchronized (lock) {
                return List.copyOf(firstSeen.getOrDefault(conversation, List.of()));
            }
        }

        List<String> seenIds(String conversation) {
            synchronized (lock) {
                return List.copyOf(seen.getOrDefault(conversation, new TreeMap<>()).values());
            }
        }

        void awaitReady(Duration within) {
            await(within, () -> {
                synchronized (lock) {
                    return greeted;
                }
            }, "a session (state or hello)");
        }

        void awaitActive(Duration within) {
            await(within, () -> states.contains("active"), "the state active");
        }

        void awaitAllAcked(Duration within) {
            await(within, () -> {
                synchronized (lock) {
                    return unacked.isEmpty();
                }
            }, "an echo of every message sent");
        }

        void awaitSeen(String conversation, int seq, Duration within) {
            await(within, () -> {
                synchronized (lock) {
                    TreeMap<Integer, String> s = seen.get(conversation);
                    return s != null && !s.isEmpty() && s.lastKey() >= seq;
                }
            }, "seq " + seq + " of " + conversation);
        }

        /** How many frames the current socket has had (once the thread has stopped). */
        int mark() {
            return ws.frames().size();
        }

        /** Whether the current socket gets a matching frame after the first {@code mark} (once the thread has stopped). */
        boolean sawSince(int mark, Predicate<JsonNode> matching, Duration within) {
            long deadline = System.nanoTime() + within.toNanos();
            while (true) {
                List<JsonNode> frames = ws.frames();
                if (frames.subList(mark, frames.size()).stream().anyMatch(matching)) {
                    return true;
                }
                if (System.nanoTime() > deadline) {
                    return false;
                }
                sleepQuietly(20);
            }
        }

        void awaitFrame(Predicate<JsonNode> matching, Duration within, String what) {
            await(within, () -> allFrames.stream().anyMatch(matching), what);
        }

        private void await(Duration within, BooleanSupplier done, String what) {
            long deadline = System.nanoTime() + within.toNanos();
            while (!done.getAsBoolean()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(name + ": timed out waiting for " + what + "; " + summary()
                            + "; problems " + problems + "; last frames " + allFrames.subList(Math.max(0, allFrames.size() - 6), allFrames.size()));
                }
                sleepQuietly(20);
            }
        }

        String summary() {
            synchronized (lock) {
                return String.format("%s: %d sent, %d unanswered, %d connects, %d echoes, %d errors answered, %d sent again, "
                                + "slowest answer %d ms, errors without a reference %s, sockets ended %s",
                        name, sent.values().stream().mapToInt(List::size).sum(), unacked.size(), connects, echoes, errors, resends,
                        slowestAnswer / 1_000_000, errorsWithoutRef, endings);
            }
        }

        private void run() {
            try {
                while (running) {
                    step(System.nanoTime());
                    sleepQuietly(20);
                }
            } catch (Throwable t) {
                problems.add(name + " stopped: " + t);
            }
            // the socket stays open: the test closes it and looks at what follows
        }

        private void step(long now) {
            Ws current = ws;
            if (current != null && (dropNow || current.closed)) {
                if (dropNow) {
                    dropNow = false;
                    current.abort();
                    endings.add("dropped");
                } else {
                    endings.add(Integer.toString(current.closeCode));
                }
                lost(now);
                return;
            }
            if (current == null) {
                if (now >= nextConnectAt) {
                    connect(now);
                }
                return;
            }
            List<JsonNode> frames = current.frames();
            for (; read < frames.size(); read++) {
                receive(frames.get(read), now);
            }
            synchronized (lock) {
                // silence: the socket looks open, yet nothing answers
                if (!greeted && now - connectedAt > ECHO_TIMEOUT.toNanos()) {
                    problems.add(String.format("%s: no %s on a socket open for %d ms", name, agent ? "hello" : "state",
                            (now - connectedAt) / 1_000_000));
                    current.abort();
                    endings.add("silent");
                    lost(now);
                    return;
                }
                for (Out o : unacked.values()) {
                    if (o.sentAt != 0 && now - o.sentAt > ECHO_TIMEOUT.toNanos()) {
                        problems.add(String.format("%s: no answer to %s for %d ms", name, o.clientMsgId, (now - o.sentAt) / 1_000_000));
                        current.abort();
                        endings.add("silent");
                        lost(now);
                        return;
                    }
                }
                if (!ready) {
                    return;
                }
                for (Out o : unacked.values()) {
                    if (o.sentAt == 0 && now >= o.resendAt) {
                        resends++;
                        send(current, o, now);
                    }
                }
                long onTheWire = unacked.values().stream().filter(o -> o.sentAt != 0).count();
                if (talking && now >= nextMessageAt && onTheWire < 2 && !held.isEmpty()) {
                    String conv = held.get(turn++ % held.size());
                    String id = name + "-" + (++counter);
                    Out o = new Out(id, conv, "bericht " + counter + " van " + name);
                    unacked.put(id, o);
                    sent.computeIfAbsent(conv, k -> new ArrayList<>()).add(id);
                    send(current, o, now);
                    nextMessageAt = now + 200_000_000L;
                }
            }
        }

        private void send(Ws current, Out o, long now) {
            o.sentAt = now;
            Map<String, Object> frame = new LinkedHashMap<>();
            frame.put("type", "message");
            if (agent) {
                frame.put("conversationId", o.conversationId);
                frame.put("ref", o.clientMsgId); // as the console does
            }
            frame.put("clientMsgId", o.clientMsgId);
            frame.put("text", o.text);
            try {
                current.send(frame);
            } catch (AssertionError closing) {
                o.sentAt = 0; // the close follows
            }
        }

        private void connect(long now) {
            Node node = nodes.get(nodeTurn++ % nodes.size());
            String path;
            synchronized (lock) {
                TreeMap<Integer, String> s = seen.get(conversationId);
                int after = s == null || s.isEmpty() ? 0 : s.lastKey();
                path = agent ? "/ws/agent" : "/ws/resident/" + conversationId + "?after=" + after;
            }
            Ws opened;
            try {
                opened = Ws.connect(node, path, token, name);
            } catch (AssertionError refused) {
                failedConnects++;
                nextConnectAt = now + Math.min(2_000_000_000L, 250_000_000L << Math.min(failedConnects, 3));
                return;
            }
            synchronized (lock) {
                ws = opened;
                read = 0;
                ready = false;
                greeted = false;
                connectedAt = System.nanoTime();
                connects++;
                failedConnects = 0;
                if (!agent) {
                    // the widget sends its outbox as soon as the socket is open
                    ready = true;
                    for (Out o : unacked.values()) {
                        o.resendAt = 0;
                    }
                }
            }
        }

        /** The socket is gone: what was on the wire without an answer goes again on the next one. */
        private void lost(long now) {
            synchronized (lock) {
                for (Out o : unacked.values()) {
                    if (o.sentAt != 0) {
                        o.sentAt = 0;
                        o.resendAt = Long.MAX_VALUE; // until the next socket is open (and, for an agent, has said hello)
                    }
                }
                ws = null;
                ready = false;
                nextConnectAt = now + 300_000_000L;
            }
        }

        private void receive(JsonNode f, long now) {
            allFrames.add(f);
            String kind = f.path("type").asText();
            synchronized (lock) {
                switch (kind) {
                    case "hello" -> {
                        List<String> before = List.copyOf(held);
                        List<String> inHello = new ArrayList<>();
                        for (JsonNode c : list(f.get("conversations"))) {
                            String id = c.get("id").asText();
                            inHello.add(id);
                            for (JsonNode m : list(c.get("messages"))) {
                                message(id, m, now);
                            }
                        }
                        for (String id : before) {
                            if (!inHello.contains(id)) {
                                problems.add(name + ": conversation " + id + " missing from the hello after a reconnect");
                            }
                        }
                        held.clear();
                        held.addAll(inHello);
                        ready = true;
                        greeted = true;
                        for (Out o : unacked.values()) {
                            o.resendAt = 0; // the console sends what is not stored after the hello
                        }
                    }
                    case "assigned" -> {
                        String id = f.at("/conversation/id").asText();
                        if (!held.contains(id)) {
                            held.add(id);
                        }
                        for (JsonNode m : list(f.at("/conversation/messages"))) {
                            message(id, m, now);
                        }
                    }
                    case "message" -> message(agent ? f.path("conversationId").asText() : conversationId, f, now);
                    case "state" -> {
                        String s = f.path("state").asText();
                        states.add(s);
                        greeted = true;
                        if (!"queued".equals(s) && !"active".equals(s)) {
                            problems.add(name + ": the conversation became " + s + " (" + f + ")");
                        }
                    }
                    case "ended" -> problems.add(name + ": lost conversation " + f);
                    case "error" -> {
                        String ref = f.path(agent ? "ref" : "clientMsgId").asText(null);
                        Out o = ref == null ? null : unacked.get(ref);
                        if (o != null) {
                            errors++;
                            answered(o, now);
                            o.sentAt = 0;
                            o.resendAt = now + RETRY_PAUSE_MILLIS * 1_000_000L;
                        } else if (ref == null || !ref.startsWith("claim-")) {
                            errorsWithoutRef.add(f.path("code").asText());
                        }
                    }
                    default -> {
                        // boards, presence, typing, callbacks: not this test's business
                    }
                }
            }
        }

        private void message(String conversation, JsonNode m, long now) {
            int seq = m.get("seq").asInt();
            String id = m.hasNonNull("clientMsgId") ? m.get("clientMsgId").asText() : m.path("from").asText();
            TreeMap<Integer, String> s = seen.computeIfAbsent(conversation, k -> new TreeMap<>());
            String before = s.get(seq);
            if (before == null) {
                int last = s.isEmpty() ? 0 : s.lastKey();
                if (seq != last + 1) {
                    problems.add(String.format("%s: seq %d of %s came after %d", name, seq, conversation, last));
                }
                s.put(seq, id);
                firstSeen.computeIfAbsent(conversation, k -> new ArrayList<>()).add(seq);
            } else if (!before.equals(id)) {
                problems.add(String.format("%s: seq %d of %s was %s, now %s", name, seq, conversation, before, id));
            }
            Out o = unacked.get(id);
            if (o != null && m.path("from").asText().equals(agent ? "agent" : "resident")) {
                echoes++;
                answered(o, now);
                unacked.remove(id);
            }
        }

        private void answered(Out o, long now) {
            if (o.sentAt != 0) {
                slowestAnswer = Math.max(slowestAnswer, now - o.sentAt);
            }
        }
    }
}
