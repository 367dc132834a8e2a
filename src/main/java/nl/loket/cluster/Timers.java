package nl.loket.cluster;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.common.Db;
import nl.loket.config.LoketConfig;
import nl.loket.conversation.Moves;

import java.time.Duration;

/**
 * The node's heartbeat and the sweeps that enforce grace periods and inactivity. Every node
 * runs them; each sweep is a guarded update, so a move happens once whichever node gets there
 * first, and keeps happening while any node is alive.
 */
@ApplicationScoped
public class Timers {

    private final Db db;
    private final NodeId node;
    private final Presence presence;
    private final Moves moves;
    private final LoketConfig config;
    private final Fanout fanout;

    public Timers(Db db, NodeId node, Presence presence, Moves moves, LoketConfig config, Fanout fanout) {
        this.fanout = fanout;
        this.db = db;
        this.node = node;
        this.presence = presence;
        this.moves = moves;
        this.config = config;
    }

    void register(@Observes StartupEvent event) {
        // a node id set with LOKET_NODE_ID survives a restart: what the previous process held is gone
        presence.removeNode(node.id())
                .chain(() -> db.query("insert into node (id) values ($1) on conflict (id) do nothing", Tuple.of(node.id())))
                .await().atMost(Duration.ofSeconds(30));
        Log.infof("Node %s (%s) registered", node.name(), node.id());
    }

    /** A clean stop: this node's connections end now, so their grace periods start now. */
    void deregister(@Observes ShutdownEvent event) {
        try {
            presence.removeNode(node.id()).await().atMost(Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            Log.warn("Could not deregister this node; others will notice it is gone", e);
        }
    }

    @Scheduled(every = "${loket.cluster.heartbeat:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> heartbeat() {
        return db.query("update node set heartbeat_at = now() where id = $1", Tuple.of(node.id())).chain(rows -> {
            if (rows.rowCount() > 0) {
                return Uni.createFrom().voidItem();
            }
            // another node declared this one dead (a long pause); its clients are still here
            Log.warn("This node was taken for dead; announcing its connections again");
            return presence.reannounce(node.id(), fanout.registrations());
        });
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return presence.removeDeadNodes(config.cluster().deadAfter())
                .chain(() -> moves.abandonGoneResidents(config.grace().resident()))
                .chain(() -> moves.requeueFromGoneAgents(config.grace().agent()))
                .chain(() -> moves.closeInactive(config.grace().inactivity()))
                .onFailure().invoke(e -> Log.warn("Timer sweep failed; the next one retries", e))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
