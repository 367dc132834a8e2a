package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A connection whose other end went away without a word (a phone that changed networks, a laptop
 * that went to sleep) stays open on the server until TCP gives up, a quarter of an hour on Linux.
 * Here such a connection is a socket that completes the handshake and then reads and answers
 * nothing, so pings go unanswered while TCP stays up. In this profile the server pings every
 * 500 ms and gives a connection up after 2 s of silence.
 */
@QuarkusTest
@TestProfile(SilentConnectionTest.Pings.class)
class SilentConnectionTest {

    public static class Pings implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // FrameInHandTest holds a message, and a socket's opening, behind a lock for 6 s: they must
            // wait, not give up after the tests' 2 s (chat connections) and 3 s (the shared pool)
            return Map.of("quarkus.websockets-next.server.auto-ping-interval", "500ms",
                    "loket.sockets.unanswered-after", "2s", "loket.sockets.sweep", "500ms",
                    "loket.db.chat-lock-timeout", "20s", "loket.db.lock-timeout", "20s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void aResidentWhoseThreeConnectionsWentSilentGetsInAtOnceAndALiveConnectionStays() throws IOException {
        JsonObject started = Api.start(TestTopics.create(db), null);
        String path = "/ws/resident/" + started.getString("id");
        String token = started.getString("token");
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                silent.add(silent(path, token));
            }
            // the handshake ends before the server has recorded the connection (its open is a round
            // trip of its own): a try before the third is recorded would take the third's place
            java.util.UUID conversation = java.util.UUID.fromString(started.getString("id"));
            await().atMost(Duration.ofSeconds(10)).until(() -> db.query("select count(*) as n from presence where subject = $1",
                    io.vertx.mutiny.sqlclient.Tuple.of(conversation)).await().indefinitely().iterator().next().getLong("n") == 3);
            // the three dead ones fill the conversation's places: the resident's new try takes the oldest one's
            // place at once, instead of waiting until the server has given them up
            try (WsClient resident = WsClient.connect(base, path, token)) {
                JsonObject first = resident.next(f -> "state".equals(f.getString("type")) || "error".equals(f.getString("type")));
                assertThat(first.getString("type")).isEqualTo("state");
                assertThat(first.getString("state")).isEqualTo("queued");
                assertThat(db.query("select count(*) as n from presence where subject = $1", io.vertx.mutiny.sqlclient.Tuple.of(conversation))
                        .await().indefinitely().iterator().next().getLong("n")).as("still no more than the limit").isEqualTo(3);
                // a connection that answers the pings is kept, however long it says nothing itself
                sleep(Duration.ofSeconds(6));
                assertThat(resident.isOpen()).as("a live, quiet connection is not given up").isTrue();
                resident.send(frame("message", "clientMsgId", "na-stilte", "text", "Hallo?"));
                assertThat(resident.next("message").getString("text")).isEqualTo("Hallo?");
            }
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    @Test
    void anAgentWhoseConnectionWentSilentGivesTheirResidentBackToTheQueue() throws IOException {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Stil", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Wachtend");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token())) {
                console.next("hello");
                console.send(frame("claim"));
                console.next("assigned");
                resident.next(f -> "active".equals(f.getString("state")));
                // the console reconnects (within the grace period, so the conversation stays the agent's),
                // and then that connection dies unseen
                try (Socket dead = silent("/ws/agent", agent.token())) {
                    console.close();
                    sleep(Duration.ofSeconds(5)); // past the 3 s grace of the first close: the silent one still counts
                    JsonObject queued = resident.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")),
                            Duration.ofSeconds(40));
                    assertThat(queued.getInteger("position")).isEqualTo(1);
                    assertThat(resident.next("message").getString("text")).contains("niet meer bereikbaar");
                }
            }
        }
    }

    /**
     * Completes a WebSocket handshake and then goes silent: nothing is read or answered any more,
     * while the TCP connection stays up (this side's kernel still acknowledges what arrives).
     */
    private Socket silent(String path, String token) throws IOException {
        Socket socket = RawClient.handshake(base, path, token);
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
