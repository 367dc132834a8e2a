package nl.loket.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Sends calls of one kind to PostgreSQL together when they would wait. At most {@code inFlight}
 * transactions of this kind run at a time (turns); a call that comes while every turn is taken
 * waits in a line, and the next free turn takes the whole line (at most {@code maxBatch}) as one
 * transaction. So a quiet node sends each call alone, at once, as before; a busy one stores many
 * in one transaction and one commit, where each call would have waited for a connection and
 * then paid a commit of its own.
 *
 * <p>A batch is one transaction (the messages': one statement). When the database refuses it (a
 * failure that {@code refusedWhole} accepts: nothing of it was stored), each of its calls is sent again
 * alone, so a call that cannot succeed fails only itself. Any other failure (the connection
 * dropped: the commit may or may not have happened) fails every call of the batch, as it would
 * have failed each call sent alone; sending them again could store a message twice.
 *
 * <p>Each caller gets its result on the Vert.x context it called from, as it would from the SQL
 * client. Three meters, tagged with the batcher's name: {@code loket.db.batch.wait}, how long a
 * call waited in the line; {@code loket.db.batch.size}, calls per statement; and
 * {@code loket.db.batch.resent}, calls sent again alone after their batch failed.
 */
public final class Batcher<I, O> {

    private record Call<I, O>(I input, Context context, UniEmitter<? super O> emitter, long queuedAt) {
    }

    private final ConcurrentLinkedQueue<Call<I, O>> line = new ConcurrentLinkedQueue<>();
    private final AtomicInteger running = new AtomicInteger();
    private final int inFlight;
    private final int maxBatch;
    private final Function<I, Uni<O>> one;
    private final Function<List<I>, Uni<List<O>>> many;
    private final Predicate<Throwable> refusedWhole;
    private final Timer waited;
    private final DistributionSummary sizes;
    private final Counter resent;

    /**
     * @param one  sends one call alone
     * @param many sends several as one statement; its list of results is in the order of its input
     * @param refusedWhole whether a failure of {@code many} means that nothing of the batch was stored
     */
    public Batcher(String name, int inFlight, int maxBatch, Function<I, Uni<O>> one, Function<List<I>, Uni<List<O>>> many,
                   Predicate<Throwable> refusedWhole, MeterRegistry registry) {
        if (inFlight < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("a batcher needs at least one statement in flight and one call per batch");
        }
        this.inFlight = inFlight;
        this.maxBatch = maxBatch;
        this.one = one;
        this.many = many;
        this.refusedWhole = refusedWhole;
        this.waited = Timer.builder("loket.db.batch.wait").tag("name", name)
                .description("How long a call waited in its batcher's line for a statement to go in").register(registry);
        this.sizes = DistributionSummary.builder("loket.db.batch.size").tag("name", name)
                .description("Calls sent in one statement").register(registry);
        this.resent = Counter.builder("loket.db.batch.resent").tag("name", name)
                .description("Calls sent again alone because their batch failed").register(registry);
    }

    public Uni<O> submit(I input) {
        return Uni.createFrom().emitter(emitter -> {
            line.add(new Call<>(input, Vertx.currentContext(), emitter, System.nanoTime()));
            drain();
        });
    }

    /** Starts statements while there are calls waiting and turns free. */
    private void drain() {
        while (!line.isEmpty()) {
            int now = running.get();
            if (now >= inFlight) {
                return; // the turn that ends next drains again
            }
            if (!running.compareAndSet(now, now + 1)) {
                continue;
            }
            List<Call<I, O>> batch = new ArrayList<>();
            for (Call<I, O> c; batch.size() < maxBatch && (c = line.poll()) != null; ) {
                batch.add(c);
            }
            if (batch.isEmpty()) {
                running.decrementAndGet(); // another turn took them
            } else {
                run(batch);
            }
        }
    }

    private void run(List<Call<I, O>> batch) {
        long start = System.nanoTime();
        for (Call<I, O> c : batch) {
            waited.record(start - c.queuedAt(), TimeUnit.NANOSECONDS);
        }
        sizes.record(batch.size());
        Uni<List<O>> work;
        try {
            if (batch.size() == 1) {
                work = one.apply(batch.get(0).input()).map(List::of);
            } else {
                List<I> inputs = new ArrayList<>(batch.size());
                batch.forEach(c -> inputs.add(c.input()));
                work = many.apply(inputs);
            }
        } catch (RuntimeException e) {
            work = Uni.createFrom().failure(e);
        }
        work.subscribe().with(results -> {
            turnEnded();
            if (results.size() != batch.size()) {
                // never expected: no caller may wait for ever
                IllegalStateException e = new IllegalStateException(results.size() + " results for a batch of " + batch.size());
                batch.forEach(c -> hand(c, null, e));
                return;
            }
            for (int i = 0; i < batch.size(); i++) {
                hand(batch.get(i), results.get(i), null);
            }
        }, failure -> {
            turnEnded();
            if (batch.size() == 1 || !refusedWhole.test(failure)) {
                batch.forEach(c -> hand(c, null, failure));
            } else {
                // nothing of the batch was stored: each call alone, so that one that cannot succeed fails only itself
                resent.increment(batch.size());
                for (Call<I, O> c : batch) {
                    Uni<O> alone;
                    try {
                        alone = one.apply(c.input());
                    } catch (RuntimeException e) {
                        alone = Uni.createFrom().failure(e);
                    }
                    alone.subscribe().with(result -> hand(c, result, null), e -> hand(c, null, e));
                }
            }
        });
    }

    /** The next turn starts before this one's results are handed out. */
    private void turnEnded() {
        running.decrementAndGet();
        drain();
    }

    private void hand(Call<I, O> call, O result, Throwable failure) {
        Runnable complete = failure == null ? () -> call.emitter().complete(result) : () -> call.emitter().fail(failure);
        Context context = call.context();
        if (context == null || context == Vertx.currentContext()) {
            complete.run();
        } else {
            context.runOnContext(ignored -> complete.run());
        }
    }
}
