package nl.loket.conversation;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import nl.loket.platform.Failures;

/**
 * The timed moves: grace periods of residents and agents who went away, and inactivity. Every
 * node sweeps; each sweep is a guarded update, so a move happens once whichever node gets there
 * first, and keeps happening while any node is alive.
 */
@ApplicationScoped
public class Sweeps {

    private final Conversations conversations;
    private final LoketConfig config;
    private final Failures failures;

    public Sweeps(Conversations conversations, LoketConfig config, Failures failures) {
        this.conversations = conversations;
        this.config = config;
        this.failures = failures;
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return conversations.abandonGoneResidents(config.grace().resident())
                .chain(() -> conversations.requeueFromGoneAgents(config.grace().agent()))
                .chain(() -> conversations.closeInactive(config.grace().inactivity()))
                .onFailure().invoke(e -> failures.record("sweep", e, "Conversation sweep failed; the next one retries"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
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
}
