package nl.loket.platform;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Runs a connection's delivery one at a time: triggers that arrive while a run is in progress
 * fold into one more run after it, so frames leave in order and nothing is read twice at once.
 */
public final class Pump {

    private final AtomicInteger requests = new AtomicInteger();
    private final Supplier<Uni<Void>> run;
    private final String name;

    public Pump(String name, Supplier<Uni<Void>> run) {
        this.name = name;
        this.run = run;
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
            Log.debugf(e, "Delivery to %s failed; the next trigger retries", name);
            done(seen);
        });
    }

    private void done(int seen) {
        if (requests.addAndGet(-seen) > 0) {
            runOnce();
        }
    }
}
