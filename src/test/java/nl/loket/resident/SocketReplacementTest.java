package nl.loket.resident;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.platform.Signal;
import nl.loket.platform.Signals;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A phone that changed networks leaves sockets behind that died without a close; the server
 * counts them until they miss its pings. A new socket of a conversation at its limit (3) is
 * accepted, and the oldest of the conversation's sockets is replaced: it hears why and is closed
 * with a code that tells the widget not to reconnect by itself.
 */
@QuarkusTest
class SocketReplacementTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Signals signals;

    @Test
    void aFourthSocketReplacesTheOldestAndAFifthTheNext() {
        Started started = start();
        UUID conversation = started.id();
        try (WsClient first = open(started); WsClient second = open(started); WsClient third = open(started)) {
            try (WsClient fourth = open(started)) {
                assertReplaced(first);
                assertThat(sockets(conversation)).isEqualTo(3);
                try (WsClient fifth = open(started)) {
                    assertReplaced(second);
                    assertThat(sockets(conversation)).isEqualTo(3);
                    assertThat(third.isOpen() && fourth.isOpen() && fifth.isOpen()).as("the three newest stay").isTrue();
                    // the one that carried on works as any socket does
                    fifth.send(Api.frame("message", "clientMsgId", "na-wissel", "text", "Ik ben er nog"));
                    assertThat(fifth.next("message").getString("text")).isEqualTo("Ik ben er nog");
                }
            }
        }
    }

    @Test
    void twoSocketsOpeningAtOnceAtTheLimitAreBothAcceptedAndNeverMoreThanTheLimitCount() {
        Started started = start();
        UUID conversation = started.id();
        try (WsClient first = open(started); WsClient second = open(started)) {
            CompletableFuture<WsClient> a = CompletableFuture.supplyAsync(() -> open(started));
            CompletableFuture<WsClient> b = CompletableFuture.supplyAsync(() -> open(started));
            try (WsClient third = a.join(); WsClient fourth = b.join()) {
                assertReplaced(first);
                assertThat(sockets(conversation)).isEqualTo(3);
                assertThat(second.isOpen() && third.isOpen() && fourth.isOpen()).isTrue();
            }
        }
    }

    /**
     * Another node's new socket replaced one held here: the database removed its row and told this
     * node over NOTIFY (here the other node is this test, calling the function as a node would).
     */
    @Test
    void aSocketReplacedOnAnotherNodeIsClosedHereByItsSignal() {
        Started started = start();
        UUID conversation = started.id();
        try (WsClient first = open(started); WsClient second = open(started); WsClient third = open(started)) {
            db.query("select * from loket_resident_connected($1, $2, $3, $4, $5)",
                    Tuple.of("elders-" + UUID.randomUUID(), UUID.randomUUID(), conversation, 3, "other-node-" + UUID.randomUUID()))
                    .await().atMost(Duration.ofSeconds(10));
            assertReplaced(first);
            assertThat(second.isOpen() && third.isOpen()).isTrue();
            assertThat(sockets(conversation)).isEqualTo(3);
        } finally {
            db.query("delete from presence where subject = $1", Tuple.of(conversation)).await().atMost(Duration.ofSeconds(10));
        }
    }

    /**
     * The signal was missed (this node's LISTEN connection was down meanwhile): the database no
     * longer counts the socket. When the listener is back (Resync), the node closes the sockets it
     * holds that the database no longer counts.
     */
    @Test
    void aSocketWhoseReplacementWasMissedIsClosedWhenTheListenerIsBack() {
        Started started = start();
        UUID conversation = started.id();
        try (WsClient only = open(started)) {
            // as a replacement by another node does, without the notification reaching this node
            db.query("delete from presence where subject = $1", Tuple.of(conversation)).await().atMost(Duration.ofSeconds(10));
            signals.deliver(new Signal.Resync());
            assertReplaced(only);
        }
    }

    /** A conversation just started on a new topic, with no socket yet. */
    private record Started(UUID id, String token) {
    }

    private Started start() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        return new Started(UUID.fromString(started.getString("id")), started.getString("token"));
    }

    /** One more resident socket of the conversation. */
    private WsClient open(Started conversation) {
        WsClient client = WsClient.connect(base, "/ws/resident/" + conversation.id(), conversation.token());
        client.next("state"); // sent once the database counts the socket
        return client;
    }

    private static void assertReplaced(WsClient replaced) {
        JsonObject error = replaced.next("error");
        assertThat(error.getString("code")).isEqualTo("replaced");
        assertThat(error.getString("message")).startsWith("Dit gesprek is in een ander venster of op een ander netwerk verder gegaan.");
        assertThat(replaced.awaitClosed().getCode()).as("the widget's cue not to reconnect by itself").isEqualTo(4001);
    }

    private long sockets(UUID conversation) {
        return db.query("select count(*) as n from presence where kind = 'resident' and subject = $1", Tuple.of(conversation))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }
}
