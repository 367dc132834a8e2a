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
 * What a graceful stop does to the other node and to its own agents, and a node that stalls
 * longer than dead-after and comes back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GracefulStopIT extends ClusterHarness {

    @BeforeAll
    static void startCluster() throws Exception {
        startTwoNodes("graceful");
    }

    // ---- a node that stops or stalls must not take the live nodes' clients with it ------------
    //
    // Each of these was a bug once (see the comments); they guard against its return.

    /**
     * Was a bug: Timers.deregister calls presence.removeDeadNodes(Duration.ZERO), which deletes every
     * node whose heartbeat is older than now(), i.e. all of them: the live nodes' presence rows go,
     * their agents and residents count as gone, and after the grace the agents' conversations are
     * requeued although the agents never left.
     */
    @Test
    @Order(7)
    void stoppingNodeBGracefullyLeavesTheConversationsOnNodeAAlone() throws Exception {
        ensureNodeB();
        Served chat = served("graceful", "Greet", "Daan", a);
        String id = chat.id();
        Agent greet = chat.agent();
        Console console = chat.console();
        Ws resident = chat.resident();

        b.stop(); // SIGTERM: a rolling deploy, say
        long presence = queryLong("select count(*) from presence where subject = ?", UUID.fromString(greet.id()));
        log("node b stopped gracefully; presence rows of the agent on node a now: %d", presence);
        assertStaysWithTheAgent(id, greet, console, resident);
        assertThat(presence).as("presence rows of an agent connected to node a, right after node b stopped").isPositive();
        console.ws.close();
        resident.close();
    }

    /**
     * Was a bug: a node declared dead (no heartbeat for dead-after) that comes back re-inserts its node
     * row with the next heartbeat (Timers.heartbeat upserts) but never restores the presence rows the
     * sweep deleted, nor closes its connections; its still-connected agents lose their conversations
     * after the grace and its queued residents are abandoned.
     */
    @Test
    @Order(8)
    void aNodeThatStallsLongerThanDeadAfterButComesBackDoesNotLoseItsConnectedAgents() throws Exception {
        ensureNodeB();
        Served chat = served("stall", "Stijn", "Lotte", b);
        String id = chat.id();
        Agent stijn = chat.agent();
        Console console = chat.console();
        Ws resident = chat.resident();

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
     * Was a bug: Timers.deregister sets the stopping node's heartbeat to '-infinity' and removeDeadNodes
     * takes the dead node's heartbeat as the moment its clients went: when the sweep gets there before
     * the connections' own @OnClose, the agents count as gone since '-infinity' and the next sweep
     * requeues their conversations at once, with no grace (racy: fails on most runs).
     */
    @Test
    @Order(9)
    void aRollingRestartOfNodeBGivesItsAgentsTheGraceToReconnectToA() throws Exception {
        ensureNodeB();
        Served chat = served("rolling", "Rolf", "Noor", b);
        String id = chat.id();
        Agent rolf = chat.agent();
        Console console = chat.console();
        Ws resident = chat.resident();

        long stoppedAt = System.nanoTime();
        // SIGTERM without waiting for the process: it closes its sockets at once, then takes its
        // shutdown delay; the console finds its connection gone and tries the other node a little later
        b.process.destroy();
        console.ws.awaitClosed(Duration.ofSeconds(5));
        log("after node b stopped, the agent counts as gone since %s (database now %s)",
                queryString("select gone_at::text from app_user where id = ?", UUID.fromString(rolf.id())),
                queryString("select now()::text"));
        Thread.sleep(3000);
        Ws again = Ws.connect(a, "/ws/agent", rolf.token(), "rolf-on-a");
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
        b.stop();
    }

    /** A conversation of a new topic, its resident on node a, claimed by a new agent whose console is on the given node. */
    private record Served(String id, Agent agent, Console console, Ws resident) {
    }

    /** The set-up of each test here: the resident waits on node a, the agent claims, the resident is told the chat is active. */
    private static Served served(String topicLabel, String agentName, String residentName, Node consoleNode) throws Exception {
        String topic = newTopic(topicLabel);
        Agent agent = createAgent(a, agentName, List.of(topic), 3);
        JsonNode started = startConversation(a, topic, residentName);
        String id = started.get("id").asText();
        Ws resident = Ws.connect(a, "/ws/resident/" + id, started.get("token").asText(), "resident");
        resident.next(type("state"));
        Console console = new Console(consoleNode, agent, agentName.toLowerCase());
        console.claim(id);
        resident.next(type("state").and(f -> "active".equals(f.path("state").asText())));
        return new Served(id, agent, console, resident);
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
        assertThat(queryString("select assigned_agent::text from conversation where id = ?", uuid)).isEqualTo(agent.id());
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
            this.ws = Ws.connect(node, "/ws/agent", agent.token(), name);
            ws.next(type("hello"));
        }

        void claim(String conversationId) {
            ws.send(Map.of("type", "claim", "conversationId", conversationId, "ref", "claim"));
            assertThat(ws.next(type("assigned").or(errorFor("claim"))).get("type").asText()).isEqualTo("assigned");
        }

        void reconnectIfClosed() {
            if (ws.closed) {
                log("%s was closed (%d); reconnecting", ws.name, ws.closeCode);
                ws = Ws.connect(node, "/ws/agent", agent.token(), name + "-again");
                ws.next(type("hello"));
            }
        }
    }
}
