package nl.loket.platform;

import io.smallrye.mutiny.Uni;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs a connection's delivery one at a time: triggers that arrive while a run is in progress
 * fold into one more run after it, so frames leave in order and the connection's state is only
 * touched by one run at a time. A failed run is reported (never silently dropped) and the next
 * trigger runs again.
 */
public final class Pump {

    private final AtomicInteger requests = new AtomicInteger();
    private final Supplier<Uni<Void>> run;
    private final Consumer<Throwable> failed;

    public Pump(Supplier<Uni<Void>> run, Consumer<Throwable> failed) {
        this.run = run;
        this.failed = failed;
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
        work.subscribe().with(ok -> done(seen), e -> {
            failed.accept(e);
            done(seen);
        });
    }

    private void done(int seen) {
        if (requests.addAndGet(-seen) > 0) {
            runOnce();
        }
    }
}
