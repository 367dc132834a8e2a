package nl.loket.cluster;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.ClusterListener;
import nl.loket.platform.Db;
import nl.loket.platform.Signal;
import nl.loket.platform.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hot path as a node hears another node's messages: the other node is this test, registered
 * in {@code node} and posting through {@code loket_post} with its own node id, so that its changes
 * reach this node's sockets through the notification (or, too big or missed, through the read
 * that repairs). Whatever happens on the way, each socket sees the stored messages once, in seq
 * order, with no gap: the "Hold the surge" promise, tried from the side that does not store.
 */
@QuarkusTest
class NotifiedPathTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Presence presence;

    @Inject
    ClusterListener listener;

    @Inject
    Signals signals;

    private final UUID other = UUID.randomUUID();

    @BeforeEach
    void anotherNodeListens() {
        presence.register(other).await().atMost(Duration.ofSeconds(10));
        assertThat(presence.othersCaughtUp(Duration.ofSeconds(5)).await().atMost(Duration.ofSeconds(10))).isTrue();
    }

    @AfterEach
    void theOtherNodeGoes() {
        presence.removeNode(other).await().atMost(Duration.ofSeconds(10));
    }

    /** A conversation claimed by an agent on this node; the resident's and agent's sockets open here. */
    private record Chat(String id, String agentId, String agentToken, JsonObject started, WsClient resident, WsClient agent) implements AutoCloseable {
        @Override
        public void close() {
            resident.close();
            agent.close();
        }
    }

    private Chat chat() {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chatAgentFirst(base, topic, "Anne", 3, "Jan");
        Api.Agent anne = chat.agent();
        JsonObject started = chat.started();
        String id = chat.id();
        WsClient agent = chat.console();
        WsClient resident = chat.resident();
        agent.send(frame("claim", "topic", topic));
        agent.next("assigned");
        resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));
        return new Chat(id, anne.id(), anne.token(), started, resident, agent);
    }

    /** The other node stores a resident's message (the resident's socket is there). */
    private String residentPostsThere(String conversationId, String clientMsgId, String text) {
        return post(conversationId, "resident", "resident", null, null, clientMsgId, text);
    }

    private String post(String conversationId, String from, String senderKey, String agentId, String agentName,
                        String clientMsgId, String text) {
        Tuple args = Tuple.tuple().addValue(UUID.fromString(conversationId)).addValue(from).addValue(senderKey)
                .addValue(agentId == null ? null : UUID.fromString(agentId)).addValue(agentName).addValue(clientMsgId)
                .addValue(text).addValue(other.toString());
        Row row = db.query("select outcome from loket_post($1, $2, $3, $4, $5, $6, $7, null, null, $8)", args)
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
        return row.getString("outcome");
    }

    /**
     * A resident's message whose change this node never hears, as when its notification is lost:
     * stored under this node's own id, so nothing delivers it from memory and the listener passes
     * over the notification as this node's own. Returns the change as {@code loket_post} built it.
     */
    private JsonObject residentPostsUnheard(String conversationId, String clientMsgId, String text) {
        Tuple args = Tuple.tuple().addValue(UUID.fromString(conversationId)).addValue("resident").addValue("resident")
                .addValue(null).addValue(null).addValue(clientMsgId).addValue(text).addValue(db.node());
        Row row = db.query("select outcome, payload from loket_post($1, $2, $3, $4, $5, $6, $7, null, null, $8)", args)
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(row.getString("outcome")).isEqualTo("stored");
        return new JsonObject(row.getString("payload"));
    }

    /** The message frames of a socket with this clientMsgId. */
    private static long framesOf(WsClient socket, String clientMsgId) {
        return socket.frames("message").stream().filter(f -> clientMsgId.equals(f.getString("clientMsgId"))).count();
    }

    /** A marker sent last through this node: once a socket has it, everything before it has had its chance to arrive. */
    private void fence(Chat chat, String clientMsgId) {
        chat.resident().send(frame("message", "clientMsgId", clientMsgId, "text", "tot slot"));
        chat.resident().next(f -> clientMsgId.equals(f.getString("clientMsgId")));
        chat.agent().next(f -> clientMsgId.equals(f.getString("clientMsgId")));
    }

    /** The stored seqs a resident sees (notes are the agents' only). */
    private List<Integer> stored(String conversationId, boolean withNotes) {
        List<Integer> seqs = new ArrayList<>();
        db.query("select seq from message where conversation_id = $1" + (withNotes ? "" : " and sender <> 'note'") + " order by seq",
                Tuple.of(UUID.fromString(conversationId))).await().atMost(Duration.ofSeconds(10))
                .forEach(r -> seqs.add(r.getInteger("seq")));
        return seqs;
    }

    /** The seqs of the message frames a socket received, in the order received. */
    private static List<Integer> seen(WsClient socket, String conversationId) {
        List<Integer> seqs = new ArrayList<>();
        // an agent's history comes in hello (a reconnect) or assigned (a claim)
        socket.frames().stream().filter(f -> "hello".equals(f.getString("type")) || "assigned".equals(f.getString("type")))
                .flatMap(f -> "assigned".equals(f.getString("type")) ? java.util.stream.Stream.of(f.getJsonObject("conversation"))
                        : f.getJsonArray("conversations").stream().map(JsonObject.class::cast))
                .filter(c -> conversationId.equals(c.getString("id")))
                .forEach(c -> c.getJsonArray("messages").forEach(m -> seqs.add(((JsonObject) m).getInteger("seq"))));
        socket.frames("message").stream()
                .filter(f -> f.getString("conversationId") == null || conversationId.equals(f.getString("conversationId")))
                .forEach(f -> seqs.add(f.getInteger("seq")));
        return seqs;
    }

    private void assertEachSawTheStoredOnce(Chat chat) {
        List<Integer> stored = stored(chat.id(), false);
        assertThat(seen(chat.resident(), chat.id())).as("the resident's message frames, by seq").isEqualTo(stored);
        assertThat(seen(chat.agent(), chat.id())).as("the agent's message frames, by seq").isEqualTo(stored);
    }

    @Test
    void aMessageTooBigForANotificationThenASmallOneArriveOnceAndInOrder() {
        try (Chat chat = chat()) {
            // 3,000 characters of three bytes each: 9,000 bytes, over the notification's 8,000 (and judged in bytes)
            String big = "€".repeat(3000);
            assertThat(residentPostsThere(chat.id(), "big-1", big)).isEqualTo("stored");
            assertThat(residentPostsThere(chat.id(), "small-2", "en nog iets")).isEqualTo("stored");

            JsonObject first = chat.agent().next(f -> "big-1".equals(f.getString("clientMsgId")));
            assertThat(first.getString("text")).as("the big message whole, read from the table").isEqualTo(big);
            chat.agent().next(f -> "small-2".equals(f.getString("clientMsgId")));
            chat.resident().next(f -> "big-1".equals(f.getString("clientMsgId")));
            chat.resident().next(f -> "small-2".equals(f.getString("clientMsgId")));
            fence(chat, "fence-3");
            assertEachSawTheStoredOnce(chat);
        }
    }

    @Test
    void theListenerReconnectingWhileTheOtherNodePostsRepairsOnceWithoutDuplicates() {
        try (Chat chat = chat()) {
            for (int i = 1; i <= 5; i++) {
                residentPostsThere(chat.id(), "before-" + i, "vraag " + i);
            }
            chat.agent().next(f -> "before-5".equals(f.getString("clientMsgId")));
            // the connection that hears the other nodes is cut; meanwhile the other node goes on
            db.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'loket-listen'")
                    .await().atMost(Duration.ofSeconds(10));
            for (int i = 1; i <= 5; i++) {
                residentPostsThere(chat.id(), "during-" + i, "nog een vraag " + i);
            }
            await().atMost(Duration.ofSeconds(15)).until(listener::listening);
            for (int i = 1; i <= 3; i++) {
                residentPostsThere(chat.id(), "after-" + i, "laatste vraag " + i);
            }
            chat.agent().next(f -> "after-3".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            chat.resident().next(f -> "after-3".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            fence(chat, "fence");
            assertEachSawTheStoredOnce(chat);
        }
    }

    @Test
    void theSameMessageSentAtOnceOnTwoNodesIsStoredOnceAndSeenOnce() throws Exception {
        try (Chat chat = chat()) {
            for (int round = 1; round <= 10; round++) {
                String clientMsgId = "twice-" + round;
                // the resident's two tabs: one socket here, one on the other node, the same message at the same moment
                CompletableFuture<String> there = CompletableFuture.supplyAsync(() -> residentPostsThere(chat.id(), clientMsgId, "dubbel"));
                chat.resident().send(frame("message", "clientMsgId", clientMsgId, "text", "dubbel"));
                assertThat(there.get()).isIn("stored", "duplicate");
                chat.agent().next(f -> clientMsgId.equals(f.getString("clientMsgId")));
                chat.resident().next(f -> clientMsgId.equals(f.getString("clientMsgId")));
            }
            fence(chat, "fence");
            assertThat(db.query("select count(*) as n from message where conversation_id = $1 and client_msg_id like 'twice-%'",
                    Tuple.of(UUID.fromString(chat.id()))).await().indefinitely().iterator().next().getLong("n"))
                    .as("stored once each").isEqualTo(10L);
            List<Integer> stored = stored(chat.id(), false);
            assertThat(seen(chat.agent(), chat.id())).as("the agent's message frames").isEqualTo(stored);
            // the resident's socket answers its own send with the stored message, which may repeat one it had heard of
            assertThat(seen(chat.resident(), chat.id()).stream().distinct().toList()).as("the resident's, in order").isEqualTo(stored);
        }
    }

    @Test
    void resumingAfterTheFirstOfARedactedPairWhileTheAgentWritesOnTheOtherNode() throws Exception {
        try (Chat chat = chat()) {
            // a BSN (passes the 11-proef): stored as seq 1 without it, and the notice why as seq 2
            chat.resident().send(frame("message", "clientMsgId", "bsn-1", "text", "mijn bsn is 111222333"));
            JsonObject mine = chat.resident().next(f -> "bsn-1".equals(f.getString("clientMsgId")));
            assertThat(mine.getString("text")).doesNotContain("111222333");
            int firstOfPair = mine.getInteger("seq");
            chat.resident().close();
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                for (int i = 1; i <= 5; i++) {
                    post(chat.id(), "agent", chat.agentId(), chat.agentId(), "Anne", "agent-" + i, "antwoord " + i);
                }
            });
            // the widget resumes after the last seq it has: the resident's own message, before the notice
            try (WsClient again = WsClient.connect(base, "/ws/resident/" + chat.id() + "?after=" + firstOfPair,
                    chat.started().getString("token"))) {
                writing.get();
                again.next(f -> "agent-5".equals(f.getString("clientMsgId")));
                again.send(frame("message", "clientMsgId", "fence", "text", "tot slot"));
                again.next(f -> "fence".equals(f.getString("clientMsgId")));
                List<Integer> expected = stored(chat.id(), false).stream().filter(s -> s > firstOfPair).toList();
                assertThat(seen(again, chat.id())).as("what the resumed socket shows, by seq").isEqualTo(expected);
                assertThat(again.frames("message").get(0).getString("from")).as("the notice first").isEqualTo("system");
            }
        }
    }

    @Test
    void redactionOnTheBatchPathAsOnTheSingle() {
        try (Chat chat = chat()) {
            // many at once from both sockets: whichever go in a batch, every BSN and IBAN is gone before storing
            for (int i = 0; i < 40; i++) {
                String text = i % 2 == 0 ? "bsn 111222333 nummer " + i : "iban NL91 ABNA 0417 1643 00 nummer " + i;
                if (i % 4 == 0) {
                    chat.resident().send(frame("message", "clientMsgId", "r-" + i, "text", text));
                } else {
                    chat.agent().send(frame("message", "conversationId", chat.id(), "clientMsgId", "r-" + i, "text", text));
                }
            }
            chat.agent().next(f -> "r-39".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            chat.resident().next(f -> "r-36".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            List<String> texts = new ArrayList<>();
            db.query("select text from message where conversation_id = $1 order by seq", Tuple.of(UUID.fromString(chat.id())))
                    .await().indefinitely().forEach(r -> texts.add(r.getString("text")));
            assertThat(texts).noneMatch(t -> t.contains("111222333") || t.contains("NL91"));
            assertThat(texts.stream().filter(t -> t.contains("[BSN verwijderd]") || t.contains("[IBAN verwijderd]")))
                    .hasSize(40);
            fence(chat, "fence");
            assertEachSawTheStoredOnce(chat);
        }
    }

    @Test
    void messagesSentBackToBackAreStoredInTheOrderSent() {
        try (Chat chat = chat()) {
            // typed fast, or sent together by the widget after a reconnect: one socket's frames, without waiting for answers
            for (int i = 1; i <= 12; i++) {
                chat.resident().send(frame("message", "clientMsgId", "res-" + i, "text", "vraag " + i));
            }
            for (int i = 1; i <= 60; i++) {
                chat.agent().send(frame("message", "conversationId", chat.id(), "clientMsgId", "ag-" + i, "text", "antwoord " + i));
            }
            chat.agent().next(f -> "ag-60".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            chat.resident().next(f -> "res-12".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            List<String> residents = new ArrayList<>();
            List<String> agents = new ArrayList<>();
            db.query("select client_msg_id as c from message where conversation_id = $1 and client_msg_id is not null order by seq",
                    Tuple.of(UUID.fromString(chat.id()))).await().indefinitely().forEach(r -> {
                String c = r.getString("c");
                (c.startsWith("res-") ? residents : agents).add(c);
            });
            assertThat(residents).as("the resident's, by seq").isEqualTo(java.util.stream.IntStream.rangeClosed(1, 12)
                    .mapToObj(i -> "res-" + i).toList());
            assertThat(agents).as("the agent's, by seq").isEqualTo(java.util.stream.IntStream.rangeClosed(1, 60)
                    .mapToObj(i -> "ag-" + i).toList());
            fence(chat, "fence");
            assertEachSawTheStoredOnce(chat);
        }
    }

    @Test
    void aMessageInFlightWhenTheAgentClosesIsStoredAndShownOrRefusedByName() {
        for (int round = 1; round <= 5; round++) {
            try (Chat chat = chat()) {
                // the resident's last words and the agent's close cross each other
                chat.resident().send(frame("message", "clientMsgId", "last", "text", "nog één ding"));
                chat.agent().send(frame("close", "conversationId", chat.id(), "outcome", "answered"));
                JsonObject answer = chat.resident().next(f -> "last".equals(f.getString("clientMsgId"))
                        || "last".equals(f.getString("ref")));
                boolean stored = stored(chat.id(), false).size() > 0 && db.query(
                        "select 1 from message where conversation_id = $1 and client_msg_id = 'last'",
                        Tuple.of(UUID.fromString(chat.id()))).await().indefinitely().size() == 1;
                if ("error".equals(answer.getString("type"))) {
                    assertThat(answer.getString("code")).as("round " + round).isEqualTo("conversation_ended");
                    assertThat(stored).as("refused, so not stored (round " + round + ")").isFalse();
                } else {
                    assertThat(stored).as("shown, so stored (round " + round + ")").isTrue();
                    // stored before the close (a lower seq, a lower version), so the closing agent's socket
                    // gets them live, before "ended": the session applies the two changes in version order,
                    // and one it did not hear of is read with the close's gap. Once, in a whole build, this
                    // waited 10 s in vain; not reproduced since (docs/architecture.md, §Order and gaps).
                    // Should it happen again, the failure lists the frames the agent's socket did get.
                    chat.agent().next(f -> "last".equals(f.getString("clientMsgId")));
                }
                // the close's "closed" may reach the resident before the refusal of the crossing words
                // (the close commits first, the refused post answers after it): looked for among all
                // frames, not only those after the answer
                await().atMost(Duration.ofSeconds(10)).until(() -> chat.resident().frames().stream()
                        .anyMatch(f -> "state".equals(f.getString("type")) && "closed".equals(f.getString("state"))));
                chat.agent().next("ended");
                List<Integer> all = stored(chat.id(), false);
                assertThat(seen(chat.resident(), chat.id())).as("the resident's view (round " + round + ")").isEqualTo(all);
                assertThat(seen(chat.agent(), chat.id())).as("the agent's view (round " + round + ")").isEqualTo(all);
            }
        }
    }

    /** The crossing forced one way: the message stored first, its change not heard here when the close's comes. */
    private void closeAfterUnheardLastWords(Chat chat, Runnable withTheClose) {
        residentPostsUnheard(chat.id(), "last", "nog één ding");
        chat.agent().send(frame("close", "conversationId", chat.id(), "outcome", "answered"));
        withTheClose.run();
        // the close's change skips the message's version: the session waits for it, then reads
        chat.agent().next(f -> "last".equals(f.getString("clientMsgId")));
        chat.agent().next("ended");
        await().atMost(Duration.ofSeconds(10)).until(() -> chat.resident().frames().stream()
                .anyMatch(f -> "state".equals(f.getString("type")) && "closed".equals(f.getString("state"))));
        List<Integer> all = stored(chat.id(), false);
        assertThat(seen(chat.agent(), chat.id())).as("the agent's view: the last words once, then the close's notice").isEqualTo(all);
        assertThat(seen(chat.resident(), chat.id())).as("the resident's view").isEqualTo(all);
    }

    @Test
    void lastWordsWhoseChangeWasNotHeardComeWithTheClosesGapBeforeEnded() {
        try (Chat chat = chat()) {
            closeAfterUnheardLastWords(chat, () -> { });
        }
    }

    @Test
    void lastWordsHeardOnlyAfterTheCloseAreNotShownAgain() {
        try (Chat chat = chat()) {
            JsonObject change = residentPostsUnheard(chat.id(), "last", "nog één ding");
            chat.agent().send(frame("close", "conversationId", chat.id(), "outcome", "answered"));
            chat.agent().next(f -> "last".equals(f.getString("clientMsgId")));
            chat.agent().next("ended");
            // the message's change comes after all (a notification overtaken by the close's and by the read):
            // the session no longer holds the conversation, and the words were shown
            signals.deliver(new Signal.Conversation(change));
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                    .until(() -> framesOf(chat.agent(), "last") == 1 && chat.agent().frames("ended").size() == 1);
            assertThat(seen(chat.agent(), chat.id())).as("the agent's view").isEqualTo(stored(chat.id(), false));
        }
    }

    @Test
    void lastWordsNotHeardWhenTheListenerIsBackAndTheAgentClosesAtOnce() {
        try (Chat chat = chat()) {
            // the resync's read of what the agent holds crosses the close's change and its gap
            closeAfterUnheardLastWords(chat, () -> signals.deliver(new Signal.Resync()));
        }
    }

    @Test
    void lastWordsStoredOnTheOtherNodeCrossingTheCloseAreShownOrRefused() throws Exception {
        for (int round = 1; round <= 5; round++) {
            try (Chat chat = chat()) {
                // the resident's socket is on the other node: its words reach this node by the notification
                CompletableFuture<String> there = CompletableFuture.supplyAsync(() -> residentPostsThere(chat.id(), "last", "nog één ding"));
                chat.agent().send(frame("close", "conversationId", chat.id(), "outcome", "answered"));
                String outcome = there.get();
                assertThat(outcome).as("round " + round).isIn("stored", "conversation_ended");
                if ("stored".equals(outcome)) {
                    chat.agent().next(f -> "last".equals(f.getString("clientMsgId")));
                }
                chat.agent().next("ended");
                assertThat(seen(chat.agent(), chat.id())).as("the agent's view (round " + round + ")")
                        .isEqualTo(stored(chat.id(), false));
            }
        }
    }

    @Test
    void aMessageInFlightWhenTheAgentTransfersReachesTheQueueOrIsRefusedByName() {
        for (int round = 1; round <= 5; round++) {
            try (Chat chat = chat()) {
                String topic = db.query("select topic from conversation where id = $1", Tuple.of(UUID.fromString(chat.id())))
                        .await().indefinitely().iterator().next().getString("topic");
                // the agent's answer and the same agent's transfer back to the queue cross each other
                chat.agent().send(frame("message", "conversationId", chat.id(), "clientMsgId", "reply", "text", "een moment"));
                chat.agent().send(frame("transfer", "conversationId", chat.id(), "topic", topic));
                JsonObject answer = chat.agent().next(f -> "reply".equals(f.getString("clientMsgId")) || "reply".equals(f.getString("ref")));
                boolean stored = db.query("select 1 from message where conversation_id = $1 and client_msg_id = 'reply'",
                        Tuple.of(UUID.fromString(chat.id()))).await().indefinitely().size() == 1;
                assertThat(stored).as("stored exactly when shown (round " + round + ")").isEqualTo(!"error".equals(answer.getString("type")));
                chat.resident().next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")));
                chat.agent().next("ended");
                chat.resident().send(frame("message", "clientMsgId", "fence", "text", "hallo?"));
                chat.resident().next(f -> "fence".equals(f.getString("clientMsgId")));
                assertThat(seen(chat.resident(), chat.id())).as("the resident's view (round " + round + ")")
                        .isEqualTo(stored(chat.id(), false));
            }
        }
    }

    /**
     * Random interleavings, from a seed printed on failure: the other node's resident and agent
     * messages, this node's resident messages, the resident's socket dropping and resuming with
     * {@code ?after=} its last seq, and the listener cut. Each socket's view is the stored one.
     */
    @Test
    void randomInterleavingsOfSendsResumesAndDrops() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        try (Chat chat = chat()) {
            WsClient resident = chat.resident();
            WsClient agent = chat.agent();
            List<Integer> residentSaw = new ArrayList<>();
            int n = 0;
            for (int step = 0; step < 40; step++) {
                int what = random.nextInt(11);
                String id = "m-" + (++n);
                if (what < 3) {
                    residentPostsThere(chat.id(), id, "daar " + n);
                } else if (what < 6) {
                    post(chat.id(), "agent", chat.agentId(), chat.agentId(), "Anne", id, "antwoord " + n);
                } else if (what < 8) {
                    resident.send(frame("message", "clientMsgId", id, "text", "hier " + n));
                } else if (what < 9) {
                    // the resident's socket drops and the widget resumes after the last seq it showed
                    residentSaw.addAll(seen(resident, chat.id()));
                    int last = residentSaw.isEmpty() ? 0 : residentSaw.get(residentSaw.size() - 1);
                    resident.close();
                    resident = WsClient.connect(base, "/ws/resident/" + chat.id() + "?after=" + last, chat.started().getString("token"));
                } else if (what < 10) {
                    db.query("select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'loket-listen'")
                            .await().atMost(Duration.ofSeconds(10));
                } else {
                    // the agent's console reloads: hello carries everything they hold
                    agent.close();
                    agent = WsClient.connect(base, "/ws/agent", chat.agentToken());
                }
            }
            await().atMost(Duration.ofSeconds(15)).until(listener::listening);
            resident.send(frame("message", "clientMsgId", "fence", "text", "tot slot"));
            resident.next(f -> "fence".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            agent.next(f -> "fence".equals(f.getString("clientMsgId")), Duration.ofSeconds(15));
            residentSaw.addAll(seen(resident, chat.id()));
            List<Integer> stored = stored(chat.id(), false);
            assertThat(residentSaw).as("the resident's view, seed " + seed).isEqualTo(stored);
            // the last console's view: hello's history, then what came after
            assertThat(seen(agent, chat.id())).as("the agent's view, seed " + seed).isEqualTo(stored);
            resident.close();
            agent.close();
        }
    }
}
