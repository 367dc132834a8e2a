package nl.loket.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling restart under traffic: node b gets SIGTERM while residents and agents on both nodes
 * keep writing. Node b turns readiness DOWN, refuses new WebSocket upgrades and closes its
 * sockets with 1012; its clients, doing what the widget and the console do with 1012, reconnect
 * at once to node a. Within 2 s of the signal every one of them is back, no message is lost or
 * delivered twice, and no conversation goes back to the queue.
 */
class RollingRestartIT extends ClusterHarness {

    static final Duration BACK_WITHIN = Duration.ofSeconds(2);

    @BeforeAll
    static void startCluster() throws Exception {
        startDatabase("rolling");
        // long enough to watch readiness and the refused upgrade while node b drains
        nodeEnv.put("LOKET_SHUTDOWN_DELAY", "3s");
        // side by side, as startTwoNodes does: both come up on the same settings either way, and
        // the schema's first migration is safe against a concurrent start (FirstStartTogetherTest)
        List<Node> started = startNodes("a", "b");
        a = started.get(0);
        b = started.get(1);
        adminToken = login(a, "admin", ADMIN_PASSWORD);
    }

    /** A client that behaves like the widget or the console: on 1012 it reconnects at once to node a. */
    abstract static class Client {
        final String name;
        final List<Ws> sockets = new CopyOnWriteArrayList<>();
        final List<String> sent = new CopyOnWriteArrayList<>();
        /** Sent again after a reconnect because no echo had come: the server answers a repeat with the original. */
        final Set<String> resent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        volatile long closedAt;
        volatile long backAt;
        volatile int closeCode;
        final AtomicReference<Throwable> failed = new AtomicReference<>();
        Thread thread;

        Client(String name, Ws first) {
            this.name = name;
            sockets.add(first);
        }

        Ws current() {
            return sockets.get(sockets.size() - 1);
        }

        abstract Ws reconnect();

        abstract void sendOne(int i);

        /** Resends what the server never echoed: the server drops repeats by clientMsgId. */
        abstract void resendUnechoed();

        void start(AtomicBoolean running) {
            thread = new Thread(() -> {
                try {
                    for (int i = 1; running.get(); i++) {
                        if (current().closed) {
                            closedAt = System.nanoTime();
                            closeCode = current().closeCode;
                            Ws again = reconnect();
                            sockets.add(again);
                            backAt = System.nanoTime();
                            // what the node had stored arrives first (replay after the state, or the hello);
                            // only what never arrived is sent again
                            sleepQuietly(300);
                            resendUnechoed();
                        }
                        try {
                            sendOne(i);
                        } catch (AssertionError closedMeanwhile) {
                            sleepQuietly(200); // the close frame may be a moment behind the failed send
                            if (!current().closed) {
                                throw closedMeanwhile;
                            }
                        }
                        sleepQuietly(40);
                    }
                } catch (Throwable t) {
                    failed.set(t);
                }
            }, "client-" + name);
            thread.start();
        }
    }

    static final class Resident extends Client {
        final String conversationId;
        final String token;

        Resident(String name, Node node, String conversationId, String token) {
            super(name, Ws.connect(node, "/ws/resident/" + conversationId, token, name));
            this.conversationId = conversationId;
            this.token = token;
            current().next(type("state"));
        }

        @Override
        Ws reconnect() {
            int after = seen().stream().mapToInt(Integer::intValue).max().orElse(0);
            Ws ws = Ws.connect(a, "/ws/resident/" + conversationId + "?after=" + after, token, name + "-again");
            ws.next(type("state"));
            return ws;
        }

        @Override
        void sendOne(int i) {
            String id = name + "-" + i;
            current().send(Map.of("type", "message", "clientMsgId", id, "text", "inwoner " + i));
            sent.add(id);
        }

        @Override
        void resendUnechoed() {
            Set<String> echoed = echoed();
            for (String id : sent) {
                if (!echoed.contains(id)) {
                    resent.add(id);
                    current().send(Map.of("type", "message", "clientMsgId", id, "text", "inwoner " + id.substring(id.lastIndexOf('-') + 1)));
                }
            }
        }

        List<Integer> seen() {
            List<Integer> seqs = new ArrayList<>();
            sockets.forEach(ws -> seqs.addAll(seqs(ws.frames(type("message")))));
            return seqs;
        }

        Set<String> echoed() {
            Set<String> ids = new HashSet<>();
            sockets.forEach(ws -> ws.frames(type("message")).forEach(m -> ids.add(m.path("clientMsgId").asText())));
            return ids;
        }
    }

    static final class AgentClient extends Client {
        final Agent agent;
        final List<String> conversations;

        AgentClient(String name, Node node, Agent agent, List<String> conversations) {
            super(name, Ws.connect(node, "/ws/agent", agent.token(), name));
            this.agent = agent;
            this.conversations = conversations;
            current().next(type("hello"));
            for (String id : conversations) {
                current().send(Map.of("type", "claim", "conversationId", id, "ref", "claim-" + id));
                assertThat(current().next(type("assigned").or(errorFor("claim-" + id))).get("type").asText()).isEqualTo("assigned");
            }
        }

        @Override
        Ws reconnect() {
            Ws ws = Ws.connect(a, "/ws/agent", agent.token(), name + "-again");
            JsonNode hello = ws.next(type("hello"));
            assertThat(list(hello.get("conversations")).stream().map(c -> c.get("id").asText()).toList())
                    .as("conversations %s holds after reconnecting", name).containsExactlyInAnyOrderElementsOf(conversations);
            return ws;
        }

        @Override
        void sendOne(int i) {
            String conversation = conversations.get(i % conversations.size());
            String id = name + "-" + i;
            current().send(Map.of("type", "message", "conversationId", conversation, "clientMsgId", id, "text", "medewerker " + i));
            sent.add(id + "@" + conversation);
        }

        @Override
        void resendUnechoed() {
            Set<String> echoed = new HashSet<>();
            sockets.forEach(ws -> {
                ws.frames(type("message")).forEach(m -> echoed.add(m.path("clientMsgId").asText()));
                ws.frames(type("hello")).forEach(h -> list(h.get("conversations")).forEach(c ->
                        list(c.get("messages")).forEach(m -> echoed.add(m.path("clientMsgId").asText()))));
            });
            for (String entry : sent) {
                String id = entry.substring(0, entry.indexOf('@'));
                if (!echoed.contains(id)) {
                    resent.add(id);
                    current().send(Map.of("type", "message", "conversationId", entry.substring(entry.indexOf('@') + 1),
                            "clientMsgId", id, "text", "medewerker " + id.substring(id.lastIndexOf('-') + 1)));
                }
            }
        }
    }

    @Test
    void sigtermOnNodeBUnderTrafficMovesEveryClientToAWithin2sAndLosesNothing() throws Exception {
        String topic = newTopic("rolling");
        Agent ann = createAgent(a, "Ann", List.of(topic), 5);
        Agent bob = createAgent(a, "Bob", List.of(topic), 5);
        Agent cas = createAgent(a, "Cas", List.of(topic), 5);
        List<String> ids = new ArrayList<>();
        List<Resident> residents = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Node node = i % 2 == 0 ? b : a;
            JsonNode started = startConversation(node, topic, null);
            ids.add(started.get("id").asText());
            residents.add(new Resident("r" + i, node, ids.get(i), started.get("token").asText()));
        }
        List<AgentClient> agents = List.of(
                new AgentClient("ann", b, ann, ids.subList(0, 2)),
                new AgentClient("bob", b, bob, ids.subList(2, 4)),
                new AgentClient("cas", a, cas, ids.subList(4, 6)));
        List<Client> onB = new ArrayList<>();
        for (int i = 0; i < 6; i += 2) {
            onB.add(residents.get(i));
        }
        onB.add(agents.get(0));
        onB.add(agents.get(1));

        AtomicBoolean running = new AtomicBoolean(true);
        List<Client> everybody = new ArrayList<>(residents);
        everybody.addAll(agents);
        everybody.forEach(c -> c.start(running));
        Thread.sleep(1500);

        long sigterm = System.nanoTime();
        signal(b, "TERM");
        log("SIGTERM to node b");
        // while it drains: readiness DOWN at once, and no new WebSocket accepted
        int readiness = readiness(b);
        while (readiness == 200 && millisSince(sigterm) < 1000) {
            Thread.sleep(20);
            readiness = readiness(b);
        }
        long readinessAfter = millisSince(sigterm);
        Integer refused = null;
        while (refused == null && millisSince(sigterm) < 1500) {
            try {
                Ws.connect(b, "/ws/agent", cas.token(), "late").abort();
                Thread.sleep(50);
            } catch (AssertionError e) {
                refused = e.getCause() != null && e.getCause().getCause() instanceof WebSocketHandshakeException h
                        ? h.getResponse().statusCode() : -1;
            }
        }
        Thread.sleep(BACK_WITHIN.toMillis() + 1500);
        running.set(false);
        for (Client c : everybody) {
            c.thread.join(10_000);
            assertThat(c.failed.get()).as("client %s", c.name).isNull();
        }
        assertThat(b.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("node b ends after SIGTERM").isTrue();

        assertThat(readiness).as("node b's readiness %d ms after SIGTERM", readinessAfter).isEqualTo(503);
        assertThat(refused).as("a WebSocket upgrade on the draining node").isEqualTo(503);
        for (Client c : onB) {
            long closed = (c.closedAt - sigterm) / 1_000_000;
            long back = (c.backAt - sigterm) / 1_000_000;
            log("%s: closed %d ms after SIGTERM with %d, back on a after %d ms", c.name, closed, c.closeCode, back);
            assertThat(c.closeCode).as("close code for %s", c.name).isEqualTo(1012);
            assertThat(c.backAt).as("%s reconnected", c.name).isPositive();
            assertThat(Duration.ofNanos(c.backAt - sigterm)).as("%s back on node a", c.name).isLessThan(BACK_WITHIN);
        }
        for (Client c : List.of(residents.get(1), residents.get(3), residents.get(5), agents.get(2))) {
            assertThat(c.sockets).as("%s on node a was never disconnected", c.name).hasSize(1);
        }

        // everything written is stored once and reached the other side once, in order
        Thread.sleep(1000);
        for (int i = 0; i < 6; i++) {
            UUID id = UUID.fromString(ids.get(i));
            Resident r = residents.get(i);
            AgentClient agent = agents.get(i / 2);
            long last = queryLong("select last_seq from conversation where id = ?", id);
            assertThat(queryLong("select count(*) from message where conversation_id = ?", id)).isEqualTo(last);
            assertThat(queryLong("select count(distinct client_msg_id) from message where conversation_id = ? and sender = 'resident'", id))
                    .as("resident messages stored for %s", r.name).isEqualTo(r.sent.size());
            assertThat(queryLong("select count(*) from message where conversation_id = ? and sender = 'resident'", id))
                    .as("resident messages stored once each for %s", r.name).isEqualTo(r.sent.size());
            // nothing lost: every seq reached the resident over its two sockets; nothing doubled: a seq
            // comes twice only as the answer to a message the client itself sent again
            assertThat(new java.util.TreeSet<>(r.seen())).as("seqs %s received over both sockets", r.name)
                    .containsExactlyElementsOf(range(1, (int) last));
            Set<Integer> once = new HashSet<>();
            for (Ws ws : r.sockets) {
                for (JsonNode m : ws.frames(type("message"))) {
                    if (!once.add(m.get("seq").asInt())) {
                        assertThat(r.resent).as("seq %d came twice to %s", m.get("seq").asInt(), r.name)
                                .contains(m.get("clientMsgId").asText());
                    }
                }
            }
            log("%s: %d messages, %d sent again after the reconnect", r.name, last, r.resent.size());

            List<Integer> agentSeen = new ArrayList<>();
            for (Ws ws : agent.sockets) {
                int known = 0;
                for (JsonNode h : ws.frames(type("hello"))) {
                    for (JsonNode c : list(h.get("conversations"))) {
                        if (ids.get(i).equals(c.get("id").asText())) {
                            List<Integer> history = seqs(list(c.get("messages")));
                            known = history.isEmpty() ? 0 : history.get(history.size() - 1);
                            agentSeen.addAll(history);
                        }
                    }
                }
                List<JsonNode> liveFrames = ws.frames(type("message").and(conversation(ids.get(i))));
                Set<Integer> liveOnce = new HashSet<>();
                for (JsonNode m : liveFrames) {
                    int seq = m.get("seq").asInt();
                    boolean answerToResend = agent.resent.contains(m.get("clientMsgId").asText());
                    if (!liveOnce.add(seq) || seq <= known) {
                        assertThat(answerToResend).as("seq %d of %s came again on %s (hello had up to %d)", seq, ids.get(i), ws.name, known).isTrue();
                    }
                }
                agentSeen.addAll(seqs(liveFrames));
            }
            assertThat(new LinkedHashSet<>(agentSeen)).as("seqs %s saw of %s", agent.name, ids.get(i))
                    .containsExactlyInAnyOrderElementsOf(range(1, (int) last));
        }
        String idList = String.join(",", ids.stream().map(s -> "'" + s + "'").toList());
        assertThat(queryLong("select count(*) from assignment where conversation_id in (" + idList + ") and ended_at is not null"))
                .as("assignments ended (a conversation requeued)").isZero();
        assertThat(queryLong("select count(*) from conversation where id in (" + idList + ") and state = 'active'")).isEqualTo(6);
        assertThat(queryLong("select count(*) from message where conversation_id in (" + idList + ") and sender = 'system'")).isZero();
        everybody.forEach(c -> c.current().close());
    }
}
