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

    @Test
    void aCallerWhoGoesAwayLeavesTheLine() {
        Gate gate = new Gate(1, 5, Full::new);
        Pending pending = new Pending();
        List<String> results = new ArrayList<>();
        gate.through(pending::work).subscribe().with(results::add);
        var gone = gate.through(pending::work).subscribe().with(results::add);
        gate.through(pending::work).subscribe().with(results::add);
        assertThat(gate.waiting()).isEqualTo(2);

        gone.cancel();
        assertThat(gate.waiting()).as("the one who went away is out of the line").isEqualTo(1);
        pending.started.get(0).complete("first");
        assertThat(pending.started).as("the next one still waiting runs").hasSize(2);
        pending.started.get(1).complete("third");
        assertThat(results).containsExactly("first", "third");
    }

    /**
     * After a stall, a long line of waiting work can all finish at once on the releasing thread
     * (the database pool fails each at once). Each must start on a fresh turn, not on its
     * predecessor's stack: the line once overflowed the stack there, left its places taken for
     * good, and every later start waited forever.
     */
    @Test
    void aLongLineThatFailsAtOnceNeitherOverflowsTheStackNorKeepsItsPlaces() {
        Gate gate = new Gate(1, 50_000, Full::new);
        Pending first = new Pending();
        List<String> results = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        gate.through(first::work).subscribe().with(results::add, failures::add);
        int line = 20_000;
        for (int i = 0; i < line; i++) {
            gate.through(() -> Uni.createFrom().<String>failure(new IllegalStateException("pool timed out")))
                    .subscribe().with(results::add, failures::add);
        }
        assertThat(gate.waiting()).isEqualTo(line);

        first.started.get(0).complete("first");
        assertThat(results).containsExactly("first");
        assertThat(failures).as("every one in line was answered").hasSize(line)
                .allSatisfy(f -> assertThat(f).isInstanceOf(IllegalStateException.class));
        assertThat(gate.waiting()).isZero();

        Pending after = new Pending();
        gate.through(after::work).subscribe().with(results::add);
        assertThat(after.started).as("the place is free again").hasSize(1);
    }
}
