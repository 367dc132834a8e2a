package nl.loket.platform;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The batcher against a fake database whose statements end when the test says: a call alone goes
 * at once; calls that come while every turn is taken wait and go together in the next free one;
 * each caller gets its own result; a failed batch sends its calls again alone, so only the call
 * that cannot succeed fails.
 */
class BatcherTest {

    /** A statement sent to the fake database, ended by the test. */
    private record Statement(List<Integer> inputs, CompletableFuture<List<String>> done) {
    }

    private final List<Statement> sent = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private Uni<String> alone(Integer input) {
        return many(List.of(input)).map(list -> list.get(0));
    }

    private Uni<List<String>> many(List<Integer> inputs) {
        Statement s = new Statement(List.copyOf(inputs), new CompletableFuture<>());
        sent.add(s);
        return Uni.createFrom().completionStage(s.done());
    }

    /** What the fake database answers: "r" + input, or a failure when an input is negative. */
    private static void answer(Statement s) {
        if (s.inputs().stream().anyMatch(i -> i < 0)) {
            s.done().completeExceptionally(new IllegalArgumentException("refused " + s.inputs()));
        } else {
            List<String> out = new ArrayList<>();
            s.inputs().forEach(i -> out.add("r" + i));
            s.done().complete(out);
        }
    }

    private Batcher<Integer, String> batcher(int inFlight) {
        return new Batcher<>("test", inFlight, 3, this::alone, this::many, e -> e instanceof IllegalArgumentException, registry);
    }

    private static CompletableFuture<String> submit(Batcher<Integer, String> b, int input) {
        return b.submit(input).subscribeAsCompletionStage();
    }

    @Test
    void callsThatComeWhileEveryTurnIsTakenGoTogetherInTheNextFreeTurn() throws Exception {
        Batcher<Integer, String> b = batcher(2);
        CompletableFuture<String> one = submit(b, 1);
        CompletableFuture<String> two = submit(b, 2);
        assertThat(sent).extracting(Statement::inputs).containsExactly(List.of(1), List.of(2));

        // both turns taken: these wait; at most three go in one statement
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 3; i <= 7; i++) {
            waiting.add(submit(b, i));
        }
        assertThat(sent).hasSize(2);

        answer(sent.get(0));
        assertThat(one.get()).isEqualTo("r1");
        assertThat(sent).extracting(Statement::inputs).element(2).isEqualTo(List.of(3, 4, 5));
        answer(sent.get(1));
        assertThat(two.get()).isEqualTo("r2");
        assertThat(sent).extracting(Statement::inputs).element(3).isEqualTo(List.of(6, 7));

        answer(sent.get(2));
        answer(sent.get(3));
        List<String> results = new ArrayList<>();
        for (CompletableFuture<String> f : waiting) {
            results.add(f.get());
        }
        assertThat(results).containsExactly("r3", "r4", "r5", "r6", "r7");
        assertThat(registry.get("loket.db.batch.size").summary().max()).isEqualTo(3);
        assertThat(registry.get("loket.db.batch.size").summary().count()).isEqualTo(4);
    }

    /**
     * One turn: a lone call goes and is answered, while {@code inputs} came meanwhile and now wait
     * as the next batch (sent, not yet answered). Returns their futures.
     */
    private List<CompletableFuture<String>> batchBehindALoneCall(int... inputs) throws Exception {
        Batcher<Integer, String> b = batcher(1);
        CompletableFuture<String> first = submit(b, 1);
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i : inputs) {
            waiting.add(submit(b, i));
        }
        answer(sent.get(0));
        assertThat(first.get()).isEqualTo("r1");
        return waiting;
    }

    @Test
    void aFailedBatchSendsEachCallAgainAloneAndOnlyTheOneThatCannotSucceedFails() throws Exception {
        List<CompletableFuture<String>> waiting = batchBehindALoneCall(2, -3, 4);
        CompletableFuture<String> good = waiting.get(0);
        CompletableFuture<String> bad = waiting.get(1);
        CompletableFuture<String> alsoGood = waiting.get(2);
        assertThat(sent.get(1).inputs()).containsExactly(2, -3, 4);
        answer(sent.get(1)); // refused as a whole

        // sent again, each alone
        assertThat(sent).extracting(Statement::inputs).containsSubsequence(List.of(2), List.of(-3), List.of(4));
        sent.stream().skip(2).forEach(BatcherTest::answer);
        assertThat(good.get()).isEqualTo("r2");
        assertThat(alsoGood.get()).isEqualTo("r4");
        assertThatThrownBy(bad::get).isInstanceOf(ExecutionException.class).hasRootCauseMessage("refused [-3]");
        assertThat(registry.get("loket.db.batch.resent").counter().count()).isEqualTo(3);
    }

    @Test
    void aBatchThatMayHaveBeenStoredIsNotSentAgainItsCallsFail() throws Exception {
        List<CompletableFuture<String>> waiting = batchBehindALoneCall(2, 3);
        CompletableFuture<String> second = waiting.get(0);
        CompletableFuture<String> third = waiting.get(1);
        // the connection dropped: the commit may or may not have happened
        sent.get(1).done().completeExceptionally(new IllegalStateException("connection closed"));
        assertThatThrownBy(second::get).hasRootCauseMessage("connection closed");
        assertThatThrownBy(third::get).hasRootCauseMessage("connection closed");
        assertThat(sent).hasSize(2);
        assertThat(registry.get("loket.db.batch.resent").counter().count()).isZero();
    }

    @Test
    void aBatchAnsweredWithTooFewResultsFailsItsCallsInsteadOfLeavingOneWaiting() throws Exception {
        List<CompletableFuture<String>> waiting = batchBehindALoneCall(2, 3);
        CompletableFuture<String> second = waiting.get(0);
        CompletableFuture<String> third = waiting.get(1);
        sent.get(1).done().complete(List.of("r2"));
        assertThatThrownBy(second::get).hasRootCauseMessage("1 results for a batch of 2");
        assertThatThrownBy(third::get).hasRootCauseMessage("1 results for a batch of 2");
    }

    @Test
    void aCallAloneThatFailsFailsItsCallerAndTheNextCallStillGoes() throws Exception {
        Batcher<Integer, String> b = batcher(1);
        CompletableFuture<String> bad = submit(b, -1);
        answer(sent.get(0));
        assertThatThrownBy(bad::get).hasRootCauseMessage("refused [-1]");

        CompletableFuture<String> next = submit(b, 2);
        answer(sent.get(1));
        assertThat(next.get()).isEqualTo("r2");
        assertThat(registry.get("loket.db.batch.resent").counter().count()).isZero();
    }

    @Test
    void aFunctionThatThrowsInsteadOfFailingDoesNotStopTheLine() throws Exception {
        Batcher<Integer, String> b = new Batcher<>("throws", 1, 3, i -> {
            if (i < 0) {
                throw new IllegalStateException("thrown");
            }
            return Uni.createFrom().item("r" + i);
        }, this::many, e -> true, registry);
        assertThatThrownBy(() -> submit(b, -1).get()).hasRootCauseMessage("thrown");
        assertThat(submit(b, 5).get()).isEqualTo("r5");
        assertThat(registry.get("loket.db.batch.wait").tag("name", "throws").timer().count()).isEqualTo(2);
    }
}
