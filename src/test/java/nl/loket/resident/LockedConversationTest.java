package nl.loket.resident;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
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
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
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
 * resend, once the lock is gone, is stored once. The moves and REST requests on the shared pool
 * give up after {@code loket.db.lock-timeout} (3 s in tests) in the same way.
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
        Api.Chat chat = Api.chatAgentFirst(base, topic, "Ria", 2, null);
        JsonObject started = chat.started();
        String id = chat.id();
        try (WsClient console = chat.console(); WsClient resident = chat.resident()) {
            console.send(frame("claim", "conversationId", id));
            console.next("assigned");

            try (Connection lock = holdRow(id)) {

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
     * An agent's close runs in a transaction on the shared pool, and waited on the held row for
     * good: the close unanswered, and the agent's whole console stopped with it (a connection's
     * frames are handled in order), their other conversations too. Now it gives up after
     * {@code loket.db.lock-timeout} (3 s in tests), is answered {@code unavailable}, the frames
     * behind it go on, and the close works once the lock has gone.
     */
    @Test
    void anAgentsCloseOfALockedConversationIsAnsweredUnavailableAndTheConsoleGoesOn() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Sanne", List.of(topic), 3);
        JsonObject held = Api.start(topic, null);
        JsonObject other = Api.start(topic, null);
        String heldId = held.getString("id");
        String otherId = other.getString("id");
        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + otherId, other.getString("token"))) {
            console.next("hello");
            resident.next("state");
            console.send(frame("claim", "conversationId", heldId));
            console.next("assigned");
            console.send(frame("claim", "conversationId", otherId));
            console.next("assigned");

            try (Connection lock = holdRow(heldId)) {

                long sent = System.nanoTime();
                console.send(frame("close", "conversationId", heldId, "outcome", "answered", "ref", "sluit-1"));
                // a frame behind it, into the agent's other conversation
                console.send(frame("message", "conversationId", otherId, "clientMsgId", "verder-1", "text", "Ik ben er nog."));
                JsonObject error = console.next(WsClient.type("error"), ANSWERED_WITHIN);
                assertThat(error.getString("code")).isEqualTo("unavailable");
                assertThat(error.getString("ref")).isEqualTo("sluit-1");
                assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("not before the lock wait's bound")
                        .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
                assertThat(resident.next(f -> "verder-1".equals(f.getString("clientMsgId"))).getString("text"))
                        .as("the frame behind the close, while the lock is still held").isEqualTo("Ik ben er nog.");
                assertThat(movesWaitingOnALock()).as("nothing of the close waits on the lock any more").isZero();

                lock.rollback();
            }

            // nothing of the cancelled close was kept: it is made again, and now it works
            console.send(frame("close", "conversationId", heldId, "outcome", "answered", "ref", "sluit-2"));
            JsonObject ended = console.next("ended");
            assertThat(ended.getString("conversationId")).isEqualTo(heldId);
            assertThat(ended.getString("reason")).isEqualTo("closed");
        }
        assertThat(Api.transcript(held).getJsonObject("conversation").getString("state")).isEqualTo("closed");
    }

    /**
     * A REST request that needs the held row (here the resident's rating of their closed
     * conversation) waited for good as well, one of the shared pool's connections taken. Now it is
     * answered 503 {@code unavailable} with Retry-After after the bound, as in an outage.
     */
    @Test
    void aRatingOfALockedConversationIsA503WithRetryAfter() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Joris", List.of(topic), 2);
        JsonObject started = Api.start(topic, null);
        String id = started.getString("id");
        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token())) {
            console.next("hello");
            console.send(frame("claim", "conversationId", id));
            console.next("assigned");
            console.send(frame("close", "conversationId", id, "outcome", "answered"));
            console.next("ended");
        }

        try (Connection lock = holdRow(id)) {
            long sent = System.nanoTime();
            Response refused = rating(started, 4);
            assertThat(refused.statusCode()).as("body: %s", refused.asString()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.jsonPath().getString("type")).isEqualTo("/problems/unavailable");
            assertThat(refused.header("Retry-After")).isEqualTo("10");
            assertThat(Duration.ofNanos(System.nanoTime() - sent)).as("not before the lock wait's bound")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(2500));
            lock.rollback();
        }
        assertThat(rating(started, 4).statusCode()).as("the same rating once the lock has gone").isEqualTo(204);
    }

    /** The resident rates; a request left unanswered fails after ten seconds rather than hang the test. */
    private static Response rating(JsonObject started, int score) {
        return given().config(RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
                        .setParam("http.socket.timeout", (int) ANSWERED_WITHIN.plusSeconds(4).toMillis())))
                .auth().oauth2(started.getString("token")).contentType(ContentType.JSON).body(Map.of("score", score))
                .post("/api/v1/conversations/" + started.getString("id") + "/rating").then().extract().response();
    }

    /**
     * The bounds are settings of the connections' sessions, given when they start (no statement
     * of their own per message): the chat connections bound a lock wait (2 s in tests) and a run
     * (30 s); the shared pool a lock wait only (3 s in tests), so that its long reads (exports,
     * statistics) are never cut; Flyway's JDBC datasource keeps PostgreSQL's defaults. Both pools
     * bound a transaction left idle (5 s in tests, FrozenNodeTest) and have PostgreSQL probe the
     * connection after 10 s of silence, so that a node whose machine died does not keep its locks.
     */
    @Test
    void eachPoolHasItsOwnBounds() throws Exception {
        String settings = "select current_setting('lock_timeout') as lock, current_setting('statement_timeout') as statement, "
                + "current_setting('idle_in_transaction_session_timeout') as idle, current_setting('tcp_keepalives_idle') as keepalive";
        io.vertx.mutiny.sqlclient.Row chat = db.chat(settings, Tuple.tuple()).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(chat.getString("lock")).isEqualTo("2s");
        assertThat(chat.getString("statement")).isEqualTo("30s");
        assertThat(chat.getString("idle")).as("the chat connections' bound of a transaction left idle").isEqualTo("5s");
        assertThat(chat.getString("keepalive")).as("the chat connections' probe").isEqualTo("10");
        io.vertx.mutiny.sqlclient.Row shared = db.query(settings).await().atMost(Duration.ofSeconds(10)).iterator().next();
        assertThat(shared.getString("lock")).isEqualTo("3s");
        assertThat(shared.getString("statement")).isEqualTo("0");
        assertThat(shared.getString("idle")).as("the shared pool's bound of a transaction left idle").isEqualTo("5s");
        assertThat(shared.getString("keepalive")).as("the shared pool's probe").isEqualTo("10");
        try (Connection flyway = jdbc.getConnection(); PreparedStatement s = flyway.prepareStatement(settings);
             ResultSet r = s.executeQuery()) {
            r.next();
            assertThat(r.getString("lock")).isEqualTo("0");
            assertThat(r.getString("statement")).isEqualTo("0");
            assertThat(r.getString("idle")).isEqualTo("0");
        }
    }

    /** Statements that lock a conversation for a move (a close, a transfer) and wait for a lock now. */
    private long movesWaitingOnALock() {
        return db.query("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
                        Tuple.of("select id from conversation where id = $1 for update%")).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }

    /** Statements storing a message that wait for a lock now. */
    private long postsWaitingOnALock() {
        return db.query("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
                        Tuple.of("%loket_post%")).await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    /**
     * A transaction elsewhere that holds the conversation's row (as a psql session left open
     * would) until the returned connection is rolled back or closed.
     */
    private Connection holdRow(String conversationId) throws java.sql.SQLException {
        Connection lock = jdbc.getConnection();
        lock.setAutoCommit(false);
        try (PreparedStatement s = lock.prepareStatement("select 1 from conversation where id = ? for update")) {
            s.setObject(1, UUID.fromString(conversationId));
            s.executeQuery().close();
        }
        return lock;
    }
}
