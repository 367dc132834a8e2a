package nl.loket.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.config.LoketConfig;
import nl.loket.platform.Failures;
import nl.loket.platform.NodeId;
import nl.loket.platform.Signal;
import nl.loket.platform.Signals;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node's heartbeat, and the sweep that declares silent nodes dead. Every node runs both;
 * the node that gets there first declares a silent node dead and removes it batch by batch while
 * it stays so, and no more once it comes back.
 *
 * <p>The removal of dead nodes is a sweep as the conversations' are, and shows like them: its
 * failures under {@code loket_failures_total{where="dead-nodes"}} (logged as a streak: the first,
 * once a minute while it goes on, the recovery), when its last run ended well under
 * {@code loket_sweep_last_success_seconds{sweep="dead-nodes"}}. They were counted under
 * {@code where="sweep"}, a name that told an operator nothing once each conversation sweep had
 * its own.
 */
@ApplicationScoped
public class Heartbeat {

    private final NodeId node;
    private final Presence presence;
    private final Fanout fanout;
    private final LoketConfig config;
    private final Failures failures;
    private final Signals signals;
    /**
     * Set once this node's row is written, cleared when a stop removes it. The scheduler may fire
     * the first beat before the start-up observer has written it, and a beat after the stop's
     * removal; either found no row and took the node for dead (the second put the stopping
     * node's connections back, to be swept as a dead node's later).
     */
    private volatile boolean registered;
    /**
     * The time between two beats that reached the database ({@code loket_cluster_heartbeat_gap}):
     * what the other nodes see of this one. Past dead-after they declare it dead.
     */
    private final Timer gap;
    /** How late a beat started after its scheduled time (a busy event loop, a skipped beat's wait). */
    private final Timer delay;
    /** How long a beat's statement took, from sending to its answer. */
    private final Timer statement;
    /** When the last beat reached the database (System.nanoTime); 0 before the first. */
    private volatile long lastBeatNanos;
    /**
     * When this node last told the database it is alive, by its registration or a beat
     * (System.nanoTime); read by {@link HeartbeatReadiness}. 0 before the registration.
     */
    private volatile long aliveNanos;
    /**
     * When this node's beats began to reach the database again after a gap (System.nanoTime); 0
     * when they have since its registration. A gap is mostly the database away (a restart, a
     * failover), and then every node's beats stopped together: another node's silence is no sign
     * of its death until it has had dead-after to beat again.
     */
    private volatile long inTouchSinceNanos;
    /** The sweep leaves the other nodes alone (logged when that starts and when it ends). */
    private volatile boolean holdingSweep;
    /** The removal of dead nodes failing while its cause lasts (the database away, say). */
    private final Failures.Streak deadNodesFailing;
    /**
     * When this node's last removal of dead nodes ended without failing, in epoch seconds; 0
     * before the first. Not while the sweep leaves the other nodes alone: it did not look then.
     */
    private final AtomicLong deadNodesSwept = new AtomicLong();

    public Heartbeat(NodeId node, Presence presence, Fanout fanout, LoketConfig config, Failures failures, Signals signals,
                     MeterRegistry registry) {
        this.node = node;
        this.presence = presence;
        this.fanout = fanout;
        this.config = config;
        this.failures = failures;
        this.signals = signals;
        this.gap = Timer.builder("loket.cluster.heartbeat.gap")
                .description("Time between two heartbeats of this node that reached the database; other nodes declare it dead past dead-after")
                .register(registry);
        this.delay = Timer.builder("loket.cluster.heartbeat.delay")
                .description("How late a heartbeat started after its scheduled time").register(registry);
        this.statement = Timer.builder("loket.cluster.heartbeat.statement")
                .description("How long a heartbeat's statement took, sent to answered").register(registry);
        this.deadNodesFailing = failures.streak("dead-nodes");
        // the conversation sweeps' gauge, with a sweep of its own: one alert on its age covers all four
        Gauge.builder("loket.sweep.last.success.seconds", deadNodesSwept, AtomicLong::doubleValue)
                .tag("sweep", "dead-nodes")
                .description("When this node's last run of a sweep (residents, agents, inactive, dead-nodes) ended without failing, "
                        + "in epoch seconds; 0 before the first")
                .register(registry);
    }

    void register(@Observes StartupEvent event) {
        // a node id set with LOKET_NODE_ID survives a restart: what the previous process held is gone
        presence.removeNode(node.id()).chain(() -> presence.register(node.id())).await().atMost(Duration.ofSeconds(30));
        aliveNanos = System.nanoTime();
        // beating from here on: the wait below may outlast dead-after, and the row must not look stale meanwhile
        registered = true;
        catchUp().await().atMost(Presence.CATCH_UP.plusSeconds(20));
        Log.infof("Node %s (%s) registered", node.name(), node.id());
    }

    /**
     * Waits for the transactions that could not see this node's row (V34: a lone node notified
     * nobody), then has every connection read what it missed.
     */
    private Uni<Void> catchUp() {
        return presence.othersCaughtUp(Presence.CATCH_UP).invoke(caughtUp -> {
            if (!caughtUp) {
                Log.warnf("Transactions older than %s s were still running when node %s registered; a change they make may reach "
                        + "this node's connections only with the next one", Presence.CATCH_UP.toSeconds(), node.id());
            }
            signals.deliver(new Signal.Resync());
        }).replaceWithVoid();
    }

    /** A clean stop: this node's connections end now, so their grace periods start now. */
    void deregister(@Observes ShutdownEvent event) {
        // no beat from here on: one that found the row gone would take this node for dead and put it all back
        registered = false;
        try {
            presence.removeNode(node.id()).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            Log.warn("Could not deregister this node; others will notice it is gone", e);
        }
    }

    @Scheduled(every = "${loket.cluster.heartbeat:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> beat(ScheduledExecution execution) {
        if (!registered) {
            return Uni.createFrom().voidItem();
        }
        long late = Duration.between(execution.getScheduledFireTime(), Instant.now()).toNanos();
        delay.record(Math.max(0, late), TimeUnit.NANOSECONDS);
        long sent = System.nanoTime();
        return presence.beat(node.id()).invoke(() -> beaten(sent, late)).chain(alive -> {
            if (alive || !registered) {
                return Uni.createFrom().voidItem(); // alive, or the row went with this node's own stop meanwhile
            }
            // another node declared this one dead (a long pause); its clients are still here
            Log.warn("This node was taken for dead; announcing its connections again");
            // a lone other node notified nobody meanwhile (V34), and a close elsewhere may have counted a subject
            // of these connections gone without seeing them (Presence.backIfConnected): both once the transactions
            // in progress have ended. Not the beat's to wait for, or a long wait would let the row go stale again
            return presence.reannounce(node.id(), fanout::registrations)
                    .invoke(announced -> catchUp().chain(() -> presence.backIfConnected(announced)).subscribe().with(done -> { },
                            e -> failures.record("heartbeat", e, "Catching up after node %s was taken for dead failed", node.id())))
                    .replaceWithVoid();
        }).onFailure().invoke(e -> failures.record("heartbeat", e, "Heartbeat of node %s failed; the next one retries", node.id()))
                .onFailure().recoverWithNull();
    }

    /**
     * Records a beat's figures. A beat that came after a gap ({@link #gapNanos}) is logged with
     * where its time went: with production's 2 s and 10 s, from 5 s on, before the other nodes
     * would take this node for dead. It also starts this node's time in touch with the database
     * again ({@link #mayJudgeOthers}).
     */
    private void beaten(long sent, long lateNanos) {
        long now = System.nanoTime();
        long took = now - sent;
        statement.record(took, TimeUnit.NANOSECONDS);
        long last = lastBeatNanos;
        lastBeatNanos = now;
        aliveNanos = now;
        if (last == 0) {
            return;
        }
        // the gap also of a beat that found this node declared dead: how long it was silent
        long since = now - last;
        gap.record(since, TimeUnit.NANOSECONDS);
        if (since > gapNanos()) {
            inTouchSinceNanos = now;
            Log.warnf("Heartbeat of node %s came %d ms after the one before (its start %d ms late, its statement %d ms); "
                            + "other nodes take a node for dead after %d ms", node.id(), since / 1_000_000, lateNanos / 1_000_000,
                    took / 1_000_000, config.cluster().deadAfter().toMillis());
        }
    }

    /**
     * A pause between two beats that means they did not get through: later than half of
     * dead-after, and later than two beats and a second (a beat missed: the scheduler looks at its
     * triggers once a second, so a gap of a beat and a second is normal).
     */
    private long gapNanos() {
        return Math.max(config.cluster().deadAfter().toNanos() / 2, 2 * config.cluster().heartbeat().toNanos() + 1_000_000_000L);
    }

    /**
     * Whether this node may take another's silence for its death now: only while its own beats
     * reach the database, and have for dead-after. A node whose beats do not get through cannot
     * tell the others' silence from its own: when the database was away, every node's last beat
     * is as old as the outage, and once it is back each would take the others for dead, counting
     * their residents and agents as gone (their agents shown the residents as gone, grace periods
     * run out, conversations back in the queue) while all of them are alive with their sockets
     * open. Measured from when this node's beats came through again, the others have had as long
     * as dead-after to beat too; a node that really died meanwhile is swept that much later.
     */
    boolean mayJudgeOthers() {
        return mayJudgeOthers(System.nanoTime(), aliveNanos, inTouchSinceNanos, gapNanos(), config.cluster().deadAfter().toNanos());
    }

    /**
     * {@link #mayJudgeOthers()} at {@code now}: this node last reached the database at
     * {@code alive} (0: not registered yet), its beats came through again after a gap at
     * {@code inTouchSince} (0: no gap since its registration). All times System.nanoTime.
     */
    static boolean mayJudgeOthers(long now, long alive, long inTouchSince, long gap, long deadAfter) {
        if (alive == 0) {
            return true; // not registered yet: nothing of its own to go by, as before
        }
        return now - alive <= gap && (inTouchSince == 0 || now - inTouchSince >= deadAfter);
    }

    /**
     * How long since this node last told the database it is alive (its registration, or a beat
     * that reached the database); null before the registration. Past dead-after the other nodes
     * take it for dead.
     */
    public Duration silentFor() {
        long alive = aliveNanos;
        return alive == 0 ? null : Duration.ofNanos(System.nanoTime() - alive);
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> removeDeadNodes() {
        if (!mayJudgeOthers()) {
            if (!holdingSweep) {
                holdingSweep = true;
                Log.warnf("Node %s's heartbeats did not reach the database for a while: it takes no other node for dead until "
                        + "its own have for %d ms, as the others' silence may have the same cause", node.id(),
                        config.cluster().deadAfter().toMillis());
            }
            return Uni.createFrom().voidItem();
        }
        if (holdingSweep) {
            holdingSweep = false;
            Log.infof("Node %s takes silent nodes for dead again", node.id());
        }
        return presence.removeDeadNodes(config.cluster().deadAfter())
                .invoke(() -> {
                    deadNodesSwept.set(Instant.now().getEpochSecond());
                    deadNodesFailing.succeeded("Removing dead nodes works again");
                })
                .onFailure().invoke(e -> deadNodesFailing.failed(e, "Removing dead nodes failed; the next sweep retries"))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
