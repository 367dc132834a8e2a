package nl.loket.cluster;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node that froze (a VM suspended, a network cut between it and PostgreSQL) in the middle of a
 * transaction: its connection stays open as far as PostgreSQL knows, idle in its transaction,
 * holding the locks it took, for as long as the operating system's TCP keepalive takes to give it
 * up (two hours and more by default). A killed process closes its sockets, a frozen one does not.
 *
 * <p>Here the frozen node's agent was closing her conversation (a close locks the conversation
 * first) when the node froze. The other node declares it dead and, after the agent's grace, must
 * put her conversation back in the queue. Before, the one guarded update of that sweep waited for
 * the held row, was cancelled after the lock wait's bound, and so every second: the resident was
 * never told, no colleague could take the conversation, and the sweeps of every other gone
 * agent's conversations failed with it. Now every Loket connection ends a transaction that stays
 * idle longer than {@code loket.db.idle-in-transaction-timeout}: PostgreSQL closes it and its
 * locks go.
 */
@QuarkusTest
class FrozenNodeTest {

    /** Well past the test profile's idle-in-transaction bound (5 s) and the agent's grace (3 s), well short of the freeze. */
    private static final Duration WAIT = Duration.ofSeconds(25);
    /** How long the frozen node stays frozen: longer than the test waits. */
    private static final Duration FROZEN = Duration.ofSeconds(60);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Presence presence;

    @Test
    void aConversationHeldByAFrozenNodesTransactionStillGoesBackToTheQueueWhenItsAgentIsGone() {
        String topic = TestTopics.create(db);
        UUID anne = UUID.fromString(Api.agent("Anne", List.of(topic), 3).id());
        UUID bert = UUID.fromString(Api.agent("Bert", List.of(topic), 3).id());
        JsonObject started = Api.start(topic, "Jan");
        UUID conversation = UUID.fromString(started.getString("id"));
        // Jan waits with the chat open: without his socket the residents' sweep ended the conversation
        // (abandoned) in the same second it went back to the queue, and the test read that instead
        try (WsClient jan = WsClient.connect(base, "/ws/resident/" + conversation, started.getString("token"))) {
            closingOnAFrozenNode(anne, bert, started, conversation);
        }
    }

    private void closingOnAFrozenNode(UUID anne, UUID bert, JsonObject started, UUID conversation) {
        assertThat(claim(anne, conversation)).as("Anne's claim").isEqualTo("claimed");

        // Anne's console is on the other node, which froze while closing her conversation
        UUID frozen = UUID.randomUUID();
        presence.register(frozen).await().atMost(WAIT);
        String console = UUID.randomUUID().toString();
        presence.agentConnected(console, anne).await().atMost(WAIT);
        db.query("update presence set node_id = $2 where connection_id = $1", Tuple.of(console, frozen)).await().atMost(WAIT);
        CompletableFuture<Integer> closing = db.tx(tx -> tx.query("select id from conversation where id = $1 for update", Tuple.of(conversation))
                        .chain(() -> tx.query("select 1", Tuple.tuple()))
                        .onItem().delayIt().by(FROZEN)
                        .replaceWith(1))
                .subscribeAsCompletionStage().toCompletableFuture();
        await().atMost(WAIT).until(() -> count("select count(*) as n from pg_stat_activity where state = 'idle in transaction' "
                + "and query = 'select 1'", Tuple.tuple()) > 0);
        // its last beat a minute ago: this node declares it dead, Anne gone since then, her grace long past
        db.query("update node set heartbeat_at = now() - interval '1 minute' where id = $1", Tuple.of(frozen)).await().atMost(WAIT);

        try {
            // what the resident reads: back at the front of the queue
            await().atMost(WAIT).untilAsserted(() -> assertThat(Api.transcript(started).getJsonObject("conversation").getString("state"))
                    .as("the conversation of the frozen node's agent, for its resident").isEqualTo("queued"));
            assertThat(Api.transcript(started).getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("text")))
                    .as("the resident is told").anyMatch(t -> t != null && t.startsWith("Uw medewerker is niet meer bereikbaar."));
            // and a colleague can take it
            assertThat(claim(bert, conversation)).as("Bert's claim").isEqualTo("claimed");
        } finally {
            presence.removeNode(frozen).await().atMost(WAIT);
            closing.cancel(true);
        }
    }

    private String claim(UUID agent, UUID conversation) {
        return db.query("select outcome from loket_claim($1, null::text, $2, $3)", Tuple.of(agent, conversation, db.node()))
                .await().atMost(WAIT).iterator().next().getString("outcome");
    }

    private long count(String sql, Tuple args) {
        return db.query(sql, args).await().atMost(WAIT).iterator().next().getLong("n");
    }
}
