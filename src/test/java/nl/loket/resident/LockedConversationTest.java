package nl.loket.resident;

import io.agroal.api.AgroalDataSource;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A conversation's row held by a transaction that does not end (an administrator's psql session
 * left open, a long maintenance transaction). Before, a message into it waited on the lock for
 * good: no answer to the resident, one of the node's few chat connections taken, and every later
 * frame of the socket waiting behind it. Now the chat statement gives up after
 * {@code loket.db.chat-lock-timeout} (2 s in tests): the frame is answered {@code unavailable},
 * which the widget takes as "send it again by itself", the socket's later frames go on, and the
 * resend, once the lock is gone, is stored once.
 */
@QuarkusTest
class LockedConversationTest {

    /** The test bound (2 s) and room for the answer to come. */
    private static final Duration ANSWERED_WITHIN = Duration.ofSeconds(6);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    AgroalDataSource jdbc;

    @Test
    void aMessageIntoALockedConversationIsAnsweredUnavailableAndItsResendIsStoredOnce() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Ria", List.of(topic), 2);
        JsonObject started = Api.start(topic, null);
        String id = started.getString("id");
        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            console.next("hello");
            resident.next("state");
            console.send(frame("claim", "conversationId", id));
            console.next("assigned");

            try (Connection lock = jdbc.getConnection()) {
                lock.setAutoCommit(false);
                try (PreparedStatement s = lock.prepareStatement("select 1 from conversation where id = ? for update")) {
                    s.setObject(1, UUID.fromString(id));
                    s.executeQuery().close();
                }

                long sent = System.nanoTime();
                resident.send(frame("message", "clientMsgId", "vast-1", "text", "Is daar iemand?"));
                JsonObject error = resident.next(WsClient.type("error"), ANSWERED_WITHIN);
                assertThat(error.getString("code")).isEqualTo("unavailable");
                assertThat(error.getString("clientMsgId")).isEqualTo("vast-1");
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("not before the lock wait's bound")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
                // the chat connection it took is free again: no message waits on the lock any more
                assertThat(postsWaitingOnALock()).isZero();

                // the socket's later frames are not held behind it
                resident.send(frame("typing"));
                assertThat(console.next("typing").getString("conversationId")).isEqualTo(id);

                lock.rollback();
            }

            // the widget sends it again, with the same clientMsgId: stored, and echoed, once
            resident.send(frame("message", "clientMsgId", "vast-1", "text", "Is daar iemand?"));
            assertThat(resident.next(WsClient.type("message")).getString("clientMsgId")).isEqualTo("vast-1");
            assertThat(console.next("message").getString("text")).isEqualTo("Is daar iemand?");
            // a marker after it: once it is through, a second echo would have come before it
            resident.send(frame("message", "clientMsgId", "vast-2", "text", "Hallo?"));
            assertThat(console.next("message").getString("text")).isEqualTo("Hallo?");
            assertThat(resident.next(WsClient.type("message")).getString("clientMsgId")).isEqualTo("vast-2");
            assertThat(resident.frames("message")).filteredOn(f -> "vast-1".equals(f.getString("clientMsgId"))).hasSize(1);
            assertThat(console.frames("message")).filteredOn(f -> "Is daar iemand?".equals(f.getString("text"))).hasSize(1);
        }
        List<String> texts = Api.transcript(started).getJsonArray("messages").stream()
                .map(m -> ((JsonObject) m).getString("text")).toList();
        assertThat(texts).filteredOn("Is daar iemand?"::equals).hasSize(1);
        assertThat(texts).filteredOn("Hallo?"::equals).hasSize(1);
    }

    /**
     * The bounds are settings of the chat connections' sessions, given when they start (no
     * statement of their own per message); the shared pool's long reads (exports, statistics)
     * keep PostgreSQL's default, no bound.
     */
    @Test
    void onlyTheChatConnectionsAreBounded() {
        String settings = "select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement";
        io.vertx.mutiny.sqlclient.Row chat = db.chat(settings, Tuple.tuple()).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(chat.getString("lock")).isEqualTo("2s");
        assertThat(chat.getString("statement")).isEqualTo("30s");
        io.vertx.mutiny.sqlclient.Row shared = db.query(settings).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(shared.getString("lock")).isEqualTo("0");
        assertThat(shared.getString("statement")).isEqualTo("0");
    }

    /** Statements storing a message that wait for a lock now. */
    private long postsWaitingOnALock() {
        return db.query("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
                        Tuple.of("%loket_post%")).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }
}
