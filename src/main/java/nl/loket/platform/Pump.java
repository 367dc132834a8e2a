package nl.loket.platform;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a connection's delivery one at a time: triggers that arrive while a run is in progress
 * fold into one more run after it, so frames leave in order and the connection's state is only
 * touched by one run at a time. A failed run is reported (never silently dropped) and run again
 * after a pause that doubles with each failure in a row (from {@link #FIRST_RETRY_MILLIS} up to
 * {@link #LAST_RETRY_MILLIS}): a read that failed as the database came back (the resync after a
 * listener's reconnect, a gap's repair) must not wait for the conversation's next change, which in
 * a quiet conversation may never come. The run keeps what it still has to do (its flags) for that.
 */
public final class Pump {

    static final long FIRST_RETRY_MILLIS = 500;
    static final long LAST_RETRY_MILLIS = 30_000;

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicBoolean retryPending = new AtomicBoolean();
    private final Supplier<Uni<Void>> run;
    private final Consumer<Throwable> failed;
    private final BiConsumer<Long, Runnable> later;
    private int failuresInARow;

    /**
     * @param later runs the task after so many milliseconds (a Vert.x timer)
     */
    public Pump(Supplier<Uni<Void>> run, Consumer<Throwable> failed, BiConsumer<Long, Runnable> later) {
        this.run = run;
        this.failed = failed;
        this.later = later;
    }

    public void trigger() {
        if (requests.getAndIncrement() == 0) {
            runOnce();
        }
    }

    private void runOnce() {
        int seen = requests.get();
        Uni<Void> work;
        try {
            work = run.get();
        } catch (RuntimeException e) {
            work = Uni.createFrom().failure(e);
        }
        work.subscribe().with(ok -> {
            failuresInARow = 0;
            done(seen);
        }, e -> {
            failed.accept(e);
            retry();
            done(seen);
        });
    }

    /** The pause before trying again what failed so many times in a row before this failure (0 for the first). */
    public static long pauseAfter(int failuresInARow) {
        return Math.min(LAST_RETRY_MILLIS, FIRST_RETRY_MILLIS << Math.min(failuresInARow, 6));
    }

    private void retry() {
        long pause = pauseAfter(failuresInARow);
        failuresInARow++;
        if (retryPending.compareAndSet(false, true)) {
            later.accept(pause, () -> {
                retryPending.set(false);
                trigger();
            });
        }
    }

    private void done(int seen) {
        if (requests.addAndGet(-seen) > 0) {
            runOnce();
        }
    }
}
