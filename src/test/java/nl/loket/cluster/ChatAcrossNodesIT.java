package nl.loket.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes, one PostgreSQL: a resident on one node and an agent on the other chat normally, a
 * queue changed on one node shows on the other's boards, and claims stay atomic across nodes.
 * Prints "BENCH " lines with delivery latency (same node vs. cross node) and claim throughput.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChatAcrossNodesIT extends ClusterHarness {

    @BeforeAll
    static void startCluster() throws Exception {
        startTwoNodes("chat");
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

        Ws console = Ws.connect(b, "/ws/agent", anna.token(), "agent");
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
        Ws console = Ws.connect(b, "/ws/agent", bram.token(), "board-agent");
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
            Ws ws = Ws.connect(node, "/ws/agent", agent.token(), "racer" + i);
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
        // a claim answered "internal" once in CI; PostgreSQL's own count tells a deadlock from the rest
        bench("claims two nodes: %d deadlocks in PostgreSQL so far, error frames by code %s",
                queryLong("select deadlocks from pg_stat_database where datname = current_database()"),
                new java.util.TreeMap<>(errorCodes.stream().collect(java.util.stream.Collectors.groupingBy(c -> c, java.util.stream.Collectors.counting()))));

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
                        UUID.fromString(f.at("/conversation/id").asText()))).isEqualTo(racers.get(i).id());
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
        Ws console = Ws.connect(agentNode, "/ws/agent", agent.token(), "bench-agent-" + agentName);
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
}
