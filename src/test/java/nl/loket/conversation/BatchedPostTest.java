package nl.loket.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Messages that come while every chat connection is busy wait and are stored together (V38,
 * {@code loket_post_batch}): each exactly once, with the seq and version of each conversation
 * without gaps, and fewer statements than messages. A batch that PostgreSQL refuses as a whole
 * is sent again message by message: the one that cannot be stored fails, the others are stored.
 */
@QuarkusTest
class BatchedPostTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Db db;

    @Inject
    ConversationRepository repository;

    @Inject
    MeterRegistry registry;

    @Test
    void messagesThatWaitForAConnectionAreStoredTogetherEachOnceWithoutGaps() throws Exception {
        List<UUID> conversations = held(8);
        Map<UUID, List<Long>> before = new HashMap<>();
        conversations.forEach(id -> before.put(id, counters(id)));
        double batchesBefore = batches();
        long statementsBefore = db.statements();

        int perConversation = 40;
        Map<UUID, List<CompletableFuture<ConversationRepository.Outcome>>> posted = new HashMap<>();
        for (int i = 1; i <= perConversation; i++) {
            for (UUID id : conversations) {
                posted.computeIfAbsent(id, k -> new ArrayList<>()).add(repository.post(id, Sender.RESIDENT, "m-" + i,
                        "bericht " + i, null, null).subscribeAsCompletionStage());
            }
        }
        for (List<CompletableFuture<ConversationRepository.Outcome>> list : posted.values()) {
            for (CompletableFuture<ConversationRepository.Outcome> f : list) {
                assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).outcome()).isEqualTo("stored");
            }
        }

        int total = perConversation * conversations.size();
        assertThat(db.statements() - statementsBefore).as("statements for %d messages", total).isLessThan(total);
        assertThat(batches() - batchesBefore).as("statements that stored several messages").isPositive();
        for (UUID id : conversations) {
            assertThat(texts(id)).as("the messages of %s, by seq", id).hasSize(perConversation)
                    .containsExactlyInAnyOrderElementsOf(expectedTexts(perConversation));
            assertThat(seqs(id)).containsExactlyElementsOf(range(1, perConversation));
            assertThat(counters(id)).containsExactly((long) perConversation, before.get(id).get(1) + perConversation);
        }
    }

    @Test
    void aMessageThatCannotBeStoredFailsAloneAndTheOthersOfItsBatchAreStored() throws Exception {
        List<UUID> conversations = held(2);
        double resentBefore = resent();
        List<CompletableFuture<ConversationRepository.Outcome>> good = new ArrayList<>();
        List<CompletableFuture<ConversationRepository.Outcome>> bad = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            UUID id = conversations.get(i % 2);
            // PostgreSQL refuses a NUL character in text: the statement that carries it fails as a whole
            boolean refused = i % 7 == 0;
            (refused ? bad : good).add(repository.post(id, Sender.RESIDENT, "m-" + i, refused ? "nul \u0000 teken" : "bericht " + i,
                    null, null).subscribeAsCompletionStage());
        }
        for (CompletableFuture<ConversationRepository.Outcome> f : good) {
            assertThat(f.get(WAIT.toSeconds(), TimeUnit.SECONDS).outcome()).isEqualTo("stored");
        }
        for (CompletableFuture<ConversationRepository.Outcome> f : bad) {
            assertThat(f).failsWithin(WAIT).withThrowableOfType(ExecutionException.class);
        }
        assertThat(resent() - resentBefore).as("messages sent again alone after their batch failed").isPositive();
        long stored = 0;
        for (UUID id : conversations) {
            assertThat(seqs(id)).containsExactlyElementsOf(range(1, seqs(id).size()));
            assertThat(texts(id)).noneMatch(t -> t.startsWith("nul"));
            stored += seqs(id).size();
        }
        assertThat(stored).isEqualTo(good.size());
    }

    private double batches() {
        var summary = registry.find("loket.db.batch.size").tag("name", "post").summary();
        if (summary == null) {
            return 0;
        }
        // the messages beyond the first of each statement: above zero once a statement carried several
        return summary.totalAmount() - summary.count();
    }

    private double resent() {
        var counter = registry.find("loket.db.batch.resent").tag("name", "post").counter();
        return counter == null ? 0 : counter.count();
    }

    private List<UUID> held(int n) {
        String topic = TestTopics.create(db);
        UUID anne = UUID.fromString(Api.agent("Anne", List.of(topic), n).id());
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.fromString(Api.start(topic, "Jan").getString("id"));
            db.query("update conversation set state = 'active', assigned_agent = $2, assigned_at = now() where id = $1",
                    Tuple.of(id, anne)).await().atMost(WAIT);
            ids.add(id);
        }
        return ids;
    }

    private List<Long> counters(UUID id) {
        Row r = db.query("select last_seq, version from conversation where id = $1", Tuple.of(id)).await().atMost(WAIT)
                .iterator().next();
        return List.of(r.getLong("last_seq"), r.getLong("version"));
    }

    private List<Integer> seqs(UUID id) {
        List<Integer> out = new ArrayList<>();
        db.query("select seq from message where conversation_id = $1 order by seq", Tuple.of(id)).await().atMost(WAIT)
                .forEach(r -> out.add(r.getInteger("seq")));
        return out;
    }

    private List<String> texts(UUID id) {
        List<String> out = new ArrayList<>();
        db.query("select text from message where conversation_id = $1 order by seq", Tuple.of(id)).await().atMost(WAIT)
                .forEach(r -> out.add(r.getString("text")));
        return out;
    }

    private static List<String> expectedTexts(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add("bericht " + i);
        }
        return out;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            out.add(i);
        }
        return out;
    }
}
