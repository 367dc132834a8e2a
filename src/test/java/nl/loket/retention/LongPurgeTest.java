package nl.loket.retention;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A retention run holds its run's lock in a transaction of its own while the conversations are
 * purged in short transactions beside it; that transaction runs nothing meanwhile. A purge of
 * conversations that takes longer than {@code loket.db.idle-in-transaction-timeout} (a long
 * backlog after a shorter retention period, a busy database) must not end the run: before, PostgreSQL
 * ended the idle lock holder's session, and the rest of the run (expired and ended callback
 * requests with their phone numbers, old login failures, the audit log) failed, every hour.
 */
@QuarkusTest
@TestProfile(LongPurgeTest.ShortIdleBound.class)
class LongPurgeTest {

    /** A bound well below how long the purge of conversations takes here. */
    public static class ShortIdleBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // and a lock wait long enough for the purge to wait through it
            return Map.of("loket.db.idle-in-transaction-timeout", "1s", "loket.db.lock-timeout", "20s");
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Db db;

    @Inject
    Retention retention;

    @Test
    void aPurgeOfConversationsLongerThanTheIdleBoundDoesNotEndTheRun() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, "Dina");
        UUID id = UUID.fromString(started.getString("id"));
        db.query("update conversation set state = 'closed', outcome = 'answered', closed_at = now() where id = $1", Tuple.of(id))
                .await().atMost(WAIT);
        db.query("insert into message (conversation_id, seq, sender, sender_key, text) values ($1, 1000, 'resident', 'resident', 'Ik wil verhuizen')",
                Tuple.of(id)).await().atMost(WAIT);

        // something else holds the conversation's message a while: the purge of its text waits for it
        CompletableFuture<Void> release = new CompletableFuture<>();
        CompletableFuture<Integer> holder = db.tx(tx -> tx.query("select set_config('idle_in_transaction_session_timeout', '0', true)", Tuple.tuple())
                        .chain(() -> tx.query("select 1 from message where conversation_id = $1 for update", Tuple.of(id)))
                        .chain(() -> Uni.createFrom().completionStage(release))
                        .replaceWith(1))
                .subscribeAsCompletionStage().toCompletableFuture();
        CompletableFuture<Retention.Run> run = retention.purge(Instant.now().plus(Duration.ofDays(29)))
                .subscribeAsCompletionStage().toCompletableFuture();
        try {
            // the purge has waited longer than the bound on an idle transaction
            await().atMost(WAIT).until(() -> count("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' "
                    + "and query like '%update message m set text = null%' and clock_timestamp() - query_start > interval '2 seconds'") > 0);
        } finally {
            release.complete(null);
        }
        holder.join();

        Retention.Run done = run.orTimeout(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS).join();
        assertThat(done.ran()).as("the run went through to its end").isTrue();
        assertThat(done.conversations()).isGreaterThanOrEqualTo(1);
        assertThat(db.query("select resident_name from conversation where id = $1", Tuple.of(id))
                .map(r -> r.iterator().next().getString("resident_name")).await().atMost(WAIT)).as("the resident's name").isNull();
        assertThat(count("select count(*) as n from audit where action = 'retention_run' and at > now() - interval '1 minute'"))
                .as("the run's own entry in the audit log, written at its end").isGreaterThanOrEqualTo(1);
    }

    private long count(String sql) {
        return db.query(sql, Tuple.tuple()).map(r -> r.iterator().next().getLong("n")).await().atMost(WAIT);
    }
}
