package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * websockets-next handles one callback of a connection at a time, its pongs included: while a
 * frame (or the open) waits for the database, the client's answers to the pings wait unread
 * behind it. Such a connection is not silent. Here the database is held up the way a stalled one
 * would be: another transaction holds the lock the frame's statement needs, for three times the
 * silence allowed. Same profile as {@link SilentConnectionTest}: a ping every 500 ms, a
 * connection given up after 2 s of silence, and a statement's wait for a lock bounded at 20 s
 * rather than the tests' 2 s on the chat connections and 3 s on the shared pool (an opening waits
 * there; LockedConversationTest: what happens past the bound).
 */
@QuarkusTest
@TestProfile(SilentConnectionTest.Pings.class)
class FrameInHandTest {

    private static final Duration HELD = Duration.ofSeconds(6);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    /**
     * A client that answers no ping (it went away just after sending) sends a message while the
     * conversation's row is locked. Its connection stays while the message waits; the message is
     * stored once the lock goes; then its silence counts from the frame's end, and closes it.
     */
    @Test
    void aFrameHeldUpByTheDatabaseIsNotSilenceAndSilenceAfterItsEndStillCloses() throws Exception {
        JsonObject started = Api.start(TestTopics.create(db), null);
        UUID id = UUID.fromString(started.getString("id"));
        String path = "/ws/resident/" + id;
        try (RawClient held = RawClient.connect(base, path, started.getString("token"), false);
             RawClient idle = RawClient.connect(base, path, started.getString("token"), false)) {
            held.next("state", WAIT);
            idle.next("state", WAIT);
            long storedAt;
            try (Lock lock = new Lock(db, "select 1 from conversation where id = $1 for update", Tuple.of(id))) {
                held.send(frame("message", "clientMsgId", "vastgehouden", "text", "Is daar iemand?"));
                awaitWaiting("%loket_post%");
                long since = System.nanoTime();
                // the same silence without a frame in hand: given up meanwhile
                await().atMost(WAIT).until(() -> !idle.isOpen());
                assertThat(idle.closeCode()).isEqualTo(1001);
                sleepUntil(since + HELD.toNanos());
                assertThat(held.isOpen()).as("open while its frame waits for the database").isTrue();
                assertThat(held.pings()).as("pinged meanwhile, and answered none").isGreaterThanOrEqualTo(5);
            }
            assertThat(held.next("message", WAIT).getString("text")).isEqualTo("Is daar iemand?");
            storedAt = held.lastTakenAt();
            // nothing comes any more: closed for silence, counted from the frame's end
            await().atMost(WAIT).until(() -> !held.isOpen());
            assertThat(held.closeCode()).isEqualTo(1001);
            assertThat(held.closeReason()).isEqualTo("no answer to pings");
            assertThat(Duration.ofNanos(held.closedAt() - storedAt)).as("silence from the frame's end to the close")
                    .isGreaterThan(Duration.ofMillis(1500));
        }
        List<String> texts = Api.transcript(started).getJsonArray("messages").stream()
                .map(m -> ((JsonObject) m).getString("text")).toList();
        assertThat(texts).contains("Is daar iemand?");
    }

    /**
     * The case the guard is for: a live browser answers every ping, but its pongs wait behind
     * its frame. Without the guard it was closed after 2 s of that (1001), and the resident
     * reconnected into the stalled database.
     */
    @Test
    void aLiveClientWhosePongsWaitBehindAHeldUpFrameIsKept() throws Exception {
        JsonObject started = Api.start(TestTopics.create(db), null);
        UUID id = UUID.fromString(started.getString("id"));
        try (RawClient live = RawClient.connect(base, "/ws/resident/" + id, started.getString("token"), true)) {
            live.next("state", WAIT);
            try (Lock lock = new Lock(db, "select 1 from conversation where id = $1 for update", Tuple.of(id))) {
                live.send(frame("message", "clientMsgId", "traag", "text", "Hallo?"));
                awaitWaiting("%loket_post%");
                sleep(HELD);
                assertThat(live.isOpen()).as("open while its frame, and its pongs, wait").isTrue();
            }
            assertThat(live.next("message", WAIT).getString("text")).isEqualTo("Hallo?");
            sleep(Duration.ofSeconds(4));
            assertThat(live.isOpen()).as("answering again once the frame has ended").isTrue();
        }
    }

    /**
     * The open waits for the database too (the resident's place is counted there), and the pongs
     * behind it: a second tab opens while the first one keeps the conversation.
     */
    @Test
    void aResidentWhoseOpenIsHeldUpIsKept() throws Exception {
        JsonObject started = Api.start(TestTopics.create(db), null);
        String id = started.getString("id");
        try (WsClient first = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            first.next("state");
            try (Lock lock = presenceLock(id);
                 RawClient second = RawClient.connect(base, "/ws/resident/" + id, started.getString("token"), true)) {
                awaitWaiting("%loket_resident_connected%");
                sleep(HELD);
                assertThat(second.isOpen()).as("open while its open waits for the database").isTrue();
                lock.close();
                assertThat(second.next("state", WAIT).getString("state")).isEqualTo("queued");
                sleep(Duration.ofSeconds(3));
                assertThat(second.isOpen()).isTrue();
            }
        }
    }

    @Test
    void anAgentWhoseOpenIsHeldUpIsKept() throws Exception {
        Api.Agent agent = Api.agent("Geduldig", List.of(TestTopics.create(db)), 3);
        try (Lock lock = presenceLock(agent.id());
             RawClient live = RawClient.connect(base, "/ws/agent", agent.token(), true)) {
            awaitWaiting("%pg_advisory_xact_lock%");
            sleep(HELD);
            assertThat(live.isOpen()).as("open while its open waits for the database").isTrue();
            lock.close();
            live.next("hello", WAIT);
            sleep(Duration.ofSeconds(3));
            assertThat(live.isOpen()).isTrue();
        }
    }

    /** The lock a connection's open takes for its resident or agent (Presence.lockSubject, loket_resident_connected). */
    private Lock presenceLock(String subject) throws Exception {
        return new Lock(db, "select pg_advisory_xact_lock(hashtextextended('loket-presence:' || $1, 0))", Tuple.of(subject));
    }

    /** Until a statement like this one waits for a lock: the callback is held up. */
    private void awaitWaiting(String statement) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> db.query(
                        "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
                        Tuple.of(statement)).await().atMost(WAIT).iterator().next().getLong("n") > 0);
    }

    /** A transaction that takes a lock and keeps it until closed (closing again does nothing). */
    private static final class Lock implements AutoCloseable {
        private final CompletableFuture<Void> release = new CompletableFuture<>();
        private final CompletableFuture<Void> done;

        Lock(Db db, String sql, Tuple args) throws Exception {
            CompletableFuture<Void> taken = new CompletableFuture<>();
            // held longer than the test profile's bound on a transaction left idle (5 s), which would end it
            done = db.tx(tx -> tx.query("select set_config('idle_in_transaction_session_timeout', '0', true)", Tuple.tuple())
                            .chain(() -> tx.query(sql, args)).invoke(() -> taken.complete(null))
                            .chain(() -> Uni.createFrom().completionStage(release)))
                    .onFailure().invoke(taken::completeExceptionally)
                    .subscribeAsCompletionStage().toCompletableFuture();
            taken.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            release.complete(null);
            done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            sleep(Duration.ofNanos(left));
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
