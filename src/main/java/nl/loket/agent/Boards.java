package nl.loket.agent;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.cluster.AgentFollower;
import nl.loket.cluster.Fanout;
import nl.loket.platform.Failures;
import nl.loket.platform.Signal;
import nl.loket.queue.QueueService;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The queue boards of the agents on this node. Changes to queues, agents and callbacks are
 * coalesced: at most a few times per second one snapshot is read and handed to every agent
 * connection, which sends its board when what it watches changed.
 */
@ApplicationScoped
public class Boards {

    static final long TICK_MILLIS = 200;

    private final QueueService queues;
    private final Fanout fanout;
    private final Failures failures;
    private final Vertx vertx;
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private long timer = -1;

    public Boards(QueueService queues, Fanout fanout, Failures failures, Vertx vertx) {
        this.queues = queues;
        this.fanout = fanout;
        this.failures = failures;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    /**
     * Looked at again with no change heard: an arrival on a node that died before telling the
     * others ({@code Db.committed}) is on every board within this time.
     */
    @Scheduled(every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void lookAgain() {
        dirty.set(true);
    }

    void onSignal(@Observes Signal signal) {
        if (signal instanceof Signal.Queue || signal instanceof Signal.Agent || signal instanceof Signal.Callbacks
                || signal instanceof Signal.Topics || signal instanceof Signal.Resync) {
            dirty.set(true);
        }
    }

    private void tick() {
        if (!dirty.get() || fanout.agentConnections() == 0 || !ticking.compareAndSet(false, true)) {
            return;
        }
        dirty.set(false);
        queues.snapshot().subscribe().with(snapshot -> {
            if (!queues.current(snapshot)) {
                dirty.set(true); // a shared snapshot from before the last change: look again next tick
            }
            ticking.set(false);
            for (AgentFollower agent : fanout.agents()) {
                if (agent instanceof AgentSession session) {
                    session.boards(snapshot);
                }
            }
        }, e -> {
            ticking.set(false);
            dirty.set(true);
            failures.record("boards", e, "Reading the queue boards failed; the next tick retries");
        });
    }
}
