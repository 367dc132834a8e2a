package nl.loket.platform;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The line in front of a limited resource: a few at once, the rest in order, a full line refused. */
class GateTest {

    static final class Full extends RuntimeException {
    }

    /** Work that finishes when the test says so. */
    static final class Pending {
        final List<UniEmitter<? super String>> started = new ArrayList<>();

        Uni<String> work() {
            return Uni.createFrom().emitter(started::add);
        }
    }

    @Test
    void twoAtOnceTheRestInArrivalOrderAndAFullLineIsRefused() {
        Gate gate = new Gate(2, 2, Full::new);
        Pending pending = new Pending();
        List<String> results = new ArrayList<>();
        AtomicReference<Throwable> refused = new AtomicReference<>();
        for (int i = 0; i < 4; i++) {
            gate.through(pending::work).subscribe().with(results::add);
        }
        assertThat(pending.started).as("two run, two wait").hasSize(2);
        assertThat(gate.waiting()).isEqualTo(2);

        gate.through(pending::work).subscribe().with(results::add, refused::set);
        assertThat(refused.get()).as("the line is full").isInstanceOf(Full.class);

        pending.started.get(1).complete("second");
        assertThat(pending.started).as("the first in line took the free place").hasSize(3);
        pending.started.get(0).fail(new IllegalStateException("first failed"));
        assertThat(pending.started).as("a failure frees its place too").hasSize(4);
        pending.started.get(2).complete("third");
        pending.started.get(3).complete("fourth");
        assertThat(results).containsExactly("second", "third", "fourth");
        assertThat(gate.waiting()).isZero();

        gate.through(pending::work).subscribe().with(results::add);
        assertThat(pending.started).as("places are free again").hasSize(5);
    }
}
