package nl.loket.resident;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import nl.loket.platform.Gate;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.Problem;

import java.util.function.Supplier;

/**
 * The line residents starting a conversation wait in on this node during a surge: a few starts
 * at once ({@code loket.limits.concurrent-starts}), the rest in arrival order. Without it a
 * surge put hundreds of starts in front of every chat message in the database pool's queue.
 */
@ApplicationScoped
@Startup // its gauge is there from the start, not from the first resident's start on this node
public class ArrivalGate {

    private final Gate gate;

    public ArrivalGate(LoketConfig config, MeterRegistry registry) {
        this.gate = new Gate(config.limits().concurrentStarts(), config.limits().waitingStarts(), Busy::new);
        Gauge.builder("loket.starts.waiting", gate, Gate::waiting)
                .description("Residents' conversation starts waiting for a place on this node").register(registry);
    }

    /** The start, when its turn comes; 503 with Retry-After when the line is full. */
    Uni<Response> through(Supplier<Uni<Response>> start) {
        return gate.through(start).onFailure(Busy.class).recoverWithItem(() -> Response.fromResponse(
                Problem.of(503, "busy", "Het is nu erg druk / It is very busy right now",
                        "Probeer het over een minuut opnieuw, of vraag een terugbelverzoek aan. "
                                + "/ Try again in a minute, or request a callback.").response())
                .header("Retry-After", RETRY_AFTER_SECONDS).build());
    }

    static final int RETRY_AFTER_SECONDS = 60;

    /** The line is full. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("the line of conversation starts is full", null, false, false);
        }
    }
}
