package nl.loket.conversation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import nl.loket.platform.Failures;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The timed moves: grace periods of residents and agents who went away, and inactivity. Every
 * node sweeps; each sweep is a guarded update, so a move happens once whichever node gets there
 * first, and keeps happening while any node is alive.
 *
 * <p>Each sweep has a schedule of its own: they ran as one chain, and a sweep that failed or
 * hung (a lock wait up to its bound, a slow statement) held up the ones after it on that node,
 * every second (SweepsApartTest). A sweep skips the conversations another transaction holds
 * (ConversationRepository) and takes them a second later. A failure is counted under the
 * sweep's own name ({@code loket_failures_total{where="sweep-residents"|"sweep-agents"|"sweep-inactive"}})
 * and logged as a streak (the first, once a minute while it goes on, the recovery); when each
 * ended well is {@code loket_sweep_last_success_seconds{sweep}}: a sweep that hangs fails nothing
 * until its bound, and only the age of its last success shows it.
 */
@ApplicationScoped
public class Sweeps {

    private final Conversations conversations;
    private final LoketConfig config;
    private final Failures failures;
    private final Sweep residents;
    private final Sweep agents;
    private final Sweep inactive;

    public Sweeps(Conversations conversations, LoketConfig config, Failures failures, MeterRegistry registry) {
        this.conversations = conversations;
        this.config = config;
        this.failures = failures;
        this.residents = new Sweep("residents", "Sweeping the conversations of gone waiting residents", failures, registry);
        this.agents = new Sweep("agents", "Sweeping the conversations of gone agents", failures, registry);
        this.inactive = new Sweep("inactive", "Sweeping the silent conversations", failures, registry);
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepResidents() {
        return residents.run(() -> conversations.abandonGoneResidents(config.grace().resident()));
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepAgents() {
        return agents.run(() -> conversations.requeueFromGoneAgents(config.grace().agent()));
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepInactive() {
        return inactive.run(() -> conversations.closeInactive(config.grace().inactivity()));
    }

    /**
     * A safety net for the places told at a start: each topic's kept queue length (V36) is
     * checked against a count of its waiting conversations. The triggers keep it exact, so a drift
     * means something wrote around them (an operator's repair); it is set right, logged and
     * counted ({@code loket_failures_total{where="queue-length"}}). A recount that fails is
     * counted apart ({@code where="queue-recount"}).
     */
    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recount() {
        return conversations.recountQueues((topic, drift) -> failures.record("queue-length", null,
                        "The queue length of topic %s was off by %d; set to the count", topic, drift))
                .onFailure().invoke(e -> failures.record("queue-recount", e, "Recounting the queue lengths failed; the next one retries"))
                .onFailure().recoverWithNull();
    }

    /** One sweep's failures and last success. */
    private static final class Sweep {

        private final String what;
        private final Failures.Streak streak;
        /** When this node's last run of the sweep ended without failing, in epoch seconds; 0 before the first. */
        private final AtomicLong lastSuccess = new AtomicLong();

        Sweep(String name, String what, Failures failures, MeterRegistry registry) {
            this.what = what;
            this.streak = failures.streak("sweep-" + name);
            Gauge.builder("loket.sweep.last.success.seconds", lastSuccess, AtomicLong::doubleValue)
                    .tag("sweep", name)
                    .description("When this node's last run of a sweep (residents, agents, inactive) ended without failing, "
                            + "in epoch seconds; 0 before the first")
                    .register(registry);
        }

        Uni<Void> run(Supplier<Uni<Integer>> sweep) {
            return Uni.createFrom().deferred(() -> sweep.get())
                    .invoke(moved -> {
                        lastSuccess.set(Instant.now().getEpochSecond());
                        streak.succeeded("%s works again", what);
                    })
                    .onFailure().invoke(e -> streak.failed(e, "%s failed; the next run retries", what))
                    .onFailure().recoverWithNull()
                    .replaceWithVoid();
        }
    }
}
