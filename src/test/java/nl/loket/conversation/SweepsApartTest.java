package nl.loket.conversation;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.TestTopics;
import nl.loket.config.LoketConfig;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The three timed sweeps (a waiting resident gone, an agent gone, a silent chat) do not wait on
 * each other, nor on one conversation another transaction holds. They ran as one chain, each
 * update waiting for every row it wanted: a conversation held by a slow transaction (a close in
 * progress on a node that stalled, an operator's session) made its sweep wait for the lock's
 * bound and fail, and the sweeps after it never ran, every second, on every node. The residents
 * whose agent had left were never given back to the queue.
 */
@QuarkusTest
class SweepsApartTest {

    /** Well past the test profile's grace periods (3 s) and lock bound (3 s). */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    Db db;

    @Inject
    LoketConfig config;

    @Test
    void aGoneAgentsConversationGoesBackToTheQueueWhileAWaitingOneIsHeldByAnotherTransaction() throws Exception {
        String topic = TestTopics.create(db);
        // a resident in a chat with an agent who will be gone past her grace
        UUID anne = UUID.fromString(Api.agent("Anne", List.of(topic), 3).id());
        JsonObject chatting = Api.start(topic, "Piet");
        assertThat(claim(anne, chatting)).isEqualTo("claimed");
        // and a waiting resident gone from now, past their grace (3 s) while another transaction holds their conversation
        JsonObject waiting = Api.start(topic, "Jan");
        db.query("update conversation set resident_gone_at = now() where id = $1", Tuple.of(id(waiting))).await().atMost(WAIT);

        try (Lock held = new Lock(db, id(waiting))) {
            // a second past the grace: every run of the sweeps since wants the held conversation
            await().atMost(WAIT).until(() -> db.query("select resident_gone_at < now() - make_interval(secs => $2) as due "
                            + "from conversation where id = $1", Tuple.of(id(waiting), config.grace().resident().toSeconds() + 1.0))
                    .await().atMost(WAIT).iterator().next().getBoolean("due"));
            agentGone(anne);

            await().atMost(WAIT).untilAsserted(() -> assertThat(state(chatting))
                    .as("the conversation of the agent who left, for its resident").isEqualTo("queued"));
            assertThat(texts(chatting)).as("the resident is told")
                    .anyMatch(t -> t != null && t.startsWith("Uw medewerker is niet meer bereikbaar."));
            assertThat(state(waiting)).as("the held conversation, while it is held").isEqualTo("queued");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(state(waiting))
                .as("the gone resident's conversation, once nobody holds it").isEqualTo("abandoned"));
    }

    @Test
    void aConversationHeldByAnotherTransactionDoesNotHoldUpTheOthersOfItsSweep() throws Exception {
        String topic = TestTopics.create(db);
        UUID anne = UUID.fromString(Api.agent("Anne", List.of(topic), 3).id());
        UUID bert = UUID.fromString(Api.agent("Bert", List.of(topic), 3).id());
        JsonObject held = Api.start(topic, "Jan");
        JsonObject free = Api.start(topic, "Piet");
        assertThat(claim(anne, held)).isEqualTo("claimed");
        assertThat(claim(bert, free)).isEqualTo("claimed");

        try (Lock lock = new Lock(db, id(held))) {
            agentGone(anne);
            agentGone(bert);

            await().atMost(WAIT).untilAsserted(() -> assertThat(state(free))
                    .as("Bert's conversation, which nobody holds").isEqualTo("queued"));
            assertThat(state(held)).as("Anne's, while it is held").isEqualTo("active");
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(state(held))
                .as("Anne's, once nobody holds it").isEqualTo("queued"));
        assertThat(texts(held).filter(t -> t != null && t.startsWith("Uw medewerker is niet meer bereikbaar.")))
                .as("its resident is told once").hasSize(1);
    }

    /**
     * A row the resident sweep cannot move (here a trigger refuses it, as a constraint broken by
     * an operator's repair would) does not stop its sweep: the batch fails, the rows are then
     * moved one by one, and the one that fails is held back and tried again later. It stopped the
     * whole sweep every second: no other gone resident's conversation was ever abandoned. The
     * agents' sweep goes on as before; the operator sees the row's failures under the sweep's own
     * name (logged by the conversation's id, never the resident's name), the row held back, and
     * the sweep's last success moving on.
     */
    @Test
    void aRowItsSweepCannotMoveIsHeldBackWhileTheOthersAreMoved() {
        String topic = TestTopics.create(db);
        JsonObject broken = Api.start(topic, "Jan Weigerman");
        JsonObject gone = Api.start(topic, "Klaas");
        UUID anne = UUID.fromString(Api.agent("Anne", List.of(topic), 3).id());
        JsonObject chatting = Api.start(topic, "Piet");
        assertThat(claim(anne, chatting)).isEqualTo("claimed");
        Metrics before = Metrics.scrape(metrics);

        db.query("create function test_refuse_row() returns trigger language plpgsql as "
                + "$$ begin raise exception 'refused by the test'; end $$").await().atMost(WAIT);
        db.query("create trigger test_refuse_row before update on conversation for each row when (old.id = '" + id(broken)
                + "' and new.state = 'abandoned') execute function test_refuse_row()").await().atMost(WAIT);
        try (LogCapture logs = new LogCapture()) {
            residentGone(broken);
            residentGone(gone);
            long brokenSince = Instant.now().getEpochSecond();
            agentGone(anne);

            await().atMost(WAIT).untilAsserted(() -> assertThat(state(gone))
                    .as("the other gone resident's conversation, in the same sweep as the row that fails").isEqualTo("abandoned"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(state(chatting))
                    .as("the conversation of the agent who left, for its resident").isEqualTo("queued"));
            await().atMost(WAIT).untilAsserted(() -> {
                Metrics after = Metrics.scrape(metrics);
                assertThat(after.failures("sweep-residents") - before.failures("sweep-residents"))
                        .as("loket_failures_total{where=sweep-residents}").isGreaterThanOrEqualTo(1);
                assertThat(after.value("loket_sweep_held_back", "sweep=\"residents\""))
                        .as("loket_sweep_held_back{sweep=residents}").isEqualTo(1.0);
                assertThat(after.value("loket_sweep_last_success_seconds", "sweep=\"residents\""))
                        .as("the resident sweep's last success moves on").isGreaterThan(brokenSince + 1.0);
            });
            assertThat(Metrics.scrape(metrics).failures("sweep-agents") - before.failures("sweep-agents"))
                    .as("loket_failures_total{where=sweep-agents}").isZero();
            assertThat(state(broken)).isEqualTo("queued");
            assertThat(logs.loket(Level.WARNING, id(broken).toString())).as(logs.all()).isNotEmpty();
            assertThat(logs.all()).as("the resident's name in the log").doesNotContain("Weigerman");
        } finally {
            db.query("drop trigger test_refuse_row on conversation").await().atMost(WAIT);
            db.query("drop function test_refuse_row()").await().atMost(WAIT);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(state(broken))
                .as("the row held back, tried again once it can be moved").isEqualTo("abandoned"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(Metrics.scrape(metrics).value("loket_sweep_held_back", "sweep=\"residents\""))
                .as("nothing held back any more").isZero());
    }

    /**
     * A row held back is tried again every {@code sweep-retry} (2 s here, 60 s in production) on
     * every node, and each try logged a WARN: an operator's log filled with the same line every
     * minute per node per row. Now the first failure is a WARN with its reason (class, SQLSTATE;
     * never the error's message, which here quotes the resident's name), the tries that fail for
     * the same reason are DEBUG, a new reason is a WARN again, and the row's move an INFO; every
     * try is still counted.
     */
    @Test
    void aRowHeldBackIsWarnedOnceForEachReasonAndOnceMoved() {
        String topic = TestTopics.create(db);
        JsonObject broken = Api.start(topic, "Jan Weigerman");
        String id = id(broken).toString();
        Metrics before = Metrics.scrape(metrics);
        Logger sweeps = Logger.getLogger("nl.loket.conversation");
        Level level = sweeps.getLevel();

        db.query("create function test_refuse_reason() returns trigger language plpgsql as "
                + "$$ begin raise exception 'refused for %', old.resident_name; end $$").await().atMost(WAIT);
        db.query("create trigger test_refuse_reason before update on conversation for each row when (old.id = '" + id
                + "' and new.state = 'abandoned') execute function test_refuse_reason()").await().atMost(WAIT);
        try (LogCapture logs = new LogCapture()) {
            sweeps.setLevel(Level.FINE);
            residentGone(broken);

            // its first failure and two more tries, 2 s apart
            await().atMost(WAIT).untilAsserted(() -> assertThat(Metrics.scrape(metrics).failures("sweep-residents")
                    - before.failures("sweep-residents")).as("loket_failures_total{where=sweep-residents}").isGreaterThanOrEqualTo(3));
            assertThat(logs.loket(Level.WARNING, id)).as(logs.all()).hasSize(1)
                    .allSatisfy(r -> assertThat(LogCapture.message(r)).contains("P0001"));
            assertThat(exactly(logs, Level.FINE, id)).as(logs.all()).isNotEmpty()
                    .allSatisfy(r -> assertThat(LogCapture.message(r)).contains("P0001"));

            // another reason: a WARN again, once
            db.query("create or replace function test_refuse_reason() returns trigger language plpgsql as "
                    + "$$ begin raise exception using errcode = 'check_violation', message = 'refused for ' || old.resident_name; "
                    + "end $$").await().atMost(WAIT);
            await().atMost(WAIT).untilAsserted(() -> assertThat(logs.loket(Level.WARNING, id)).as(logs.all()).hasSize(2));
            assertThat(LogCapture.message(logs.loket(Level.WARNING, id).get(1))).contains("23514").contains("P0001");
            double failed = Metrics.scrape(metrics).failures("sweep-residents");
            await().atMost(WAIT).untilAsserted(() -> assertThat(Metrics.scrape(metrics).failures("sweep-residents"))
                    .as("a try after the new reason's WARN").isGreaterThan(failed));
            assertThat(logs.loket(Level.WARNING, id)).as(logs.all()).hasSize(2);
            assertThat(Metrics.scrape(metrics).value("loket_sweep_held_back", "sweep=\"residents\""))
                    .as("loket_sweep_held_back{sweep=residents}").isEqualTo(1.0);

            db.query("drop trigger test_refuse_reason on conversation").await().atMost(WAIT);
            await().atMost(WAIT).untilAsserted(() -> assertThat(state(broken)).isEqualTo("abandoned"));
            await().atMost(WAIT).untilAsserted(() -> assertThat(exactly(logs, Level.INFO, id)).as(logs.all())
                    .anyMatch(r -> LogCapture.message(r).contains("is moved now")));
            assertThat(logs.loket(Level.WARNING, id)).as(logs.all()).hasSize(2);
            assertThat(logs.all()).as("the resident's name in the log").doesNotContain("Weigerman");
        } finally {
            sweeps.setLevel(level);
            db.query("drop trigger if exists test_refuse_reason on conversation").await().atMost(WAIT);
            db.query("drop function test_refuse_reason()").await().atMost(WAIT);
        }
    }

    private static List<LogRecord> exactly(LogCapture logs, Level level, String text) {
        return logs.records().stream().filter(r -> r.getLoggerName() != null && r.getLoggerName().startsWith("nl.loket"))
                .filter(r -> r.getLevel().intValue() == level.intValue() && LogCapture.message(r).contains(text)).toList();
    }

    private void residentGone(JsonObject started) {
        db.query("update conversation set resident_gone_at = now() - interval '1 minute' where id = $1", Tuple.of(id(started)))
                .await().atMost(WAIT);
    }

    private void agentGone(UUID agent) {
        db.query("update app_user set gone_at = now() - interval '1 minute' where id = $1", Tuple.of(agent)).await().atMost(WAIT);
    }

    private String claim(UUID agent, JsonObject started) {
        return db.query("select outcome from loket_claim($1, null::text, $2, $3)", Tuple.of(agent, id(started), db.node()))
                .await().atMost(WAIT).iterator().next().getString("outcome");
    }

    private static String state(JsonObject started) {
        return Api.transcript(started).getJsonObject("conversation").getString("state");
    }

    private static java.util.stream.Stream<String> texts(JsonObject started) {
        return Api.transcript(started).getJsonArray("messages").stream().map(m -> ((JsonObject) m).getString("text"));
    }

    private static UUID id(JsonObject started) {
        return UUID.fromString(started.getString("id"));
    }

    /** A transaction that holds a conversation's row, as a close in progress does, until closed. */
    private static final class Lock implements AutoCloseable {
        private final CompletableFuture<Void> release = new CompletableFuture<>();
        private final CompletableFuture<Void> done;

        Lock(Db db, UUID conversation) throws Exception {
            CompletableFuture<Void> taken = new CompletableFuture<>();
            // held longer than the test profile's bound on a transaction left idle (5 s), which would end it
            done = db.tx(tx -> tx.query("select set_config('idle_in_transaction_session_timeout', '0', true)", Tuple.tuple())
                            .chain(() -> tx.query("select id from conversation where id = $1 for update", Tuple.of(conversation)))
                            .invoke(() -> taken.complete(null))
                            .chain(() -> Uni.createFrom().completionStage(release)))
                    .replaceWithVoid()
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
}
