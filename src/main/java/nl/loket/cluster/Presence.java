package nl.loket.cluster;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.common.Db;

import java.time.Duration;
import java.util.UUID;

/**
 * Who is connected where, in the database: one row per open WebSocket, tagged with the node
 * that holds it. "Gone since" timestamps start the grace periods; a dead node's rows are
 * removed by whichever node notices first, with the dead node's last heartbeat as the time
 * its clients went away.
 */
@ApplicationScoped
public class Presence {

    private final Db db;
    private final NodeId node;

    public Presence(Db db, NodeId node) {
        this.db = db;
        this.node = node;
    }

    public Uni<Void> residentConnected(String connectionId, UUID conversationId) {
        return db.tx(tx -> {
            tx.signal(new Signal.Conversation(conversationId, null));
            return tx.query("insert into presence (connection_id, node_id, kind, subject) values ($1, $2, 'resident', $3)",
                            Tuple.of(connectionId, node.id(), conversationId))
                    .chain(() -> tx.query("update conversation set resident_gone_at = null where id = $1", Tuple.of(conversationId)))
                    .replaceWithVoid();
        });
    }

    public Uni<Void> residentDisconnected(String connectionId, UUID conversationId) {
        return db.tx(tx -> {
            tx.signal(new Signal.Conversation(conversationId, null));
            return tx.query("delete from presence where connection_id = $1", Tuple.of(connectionId))
                    .chain(() -> tx.query("update conversation set resident_gone_at = now() where id = $1 "
                            + "and not exists (select 1 from presence where subject = $1)", Tuple.of(conversationId)))
                    .replaceWithVoid();
        });
    }

    public Uni<Void> agentConnected(String connectionId, UUID agentId) {
        return db.tx(tx -> {
            tx.signal(new Signal.Agent(agentId));
            return tx.query("insert into presence (connection_id, node_id, kind, subject) values ($1, $2, 'agent', $3)",
                            Tuple.of(connectionId, node.id(), agentId))
                    .chain(() -> tx.query("update app_user set gone_at = null where id = $1", Tuple.of(agentId)))
                    .replaceWithVoid();
        });
    }

    public Uni<Void> agentDisconnected(String connectionId, UUID agentId) {
        return db.tx(tx -> {
            tx.signal(new Signal.Agent(agentId));
            return tx.query("delete from presence where connection_id = $1", Tuple.of(connectionId))
                    .chain(() -> tx.query("update app_user set gone_at = now() where id = $1 "
                            + "and not exists (select 1 from presence where subject = $1)", Tuple.of(agentId)))
                    .replaceWithVoid();
        });
    }

    /** Whether the resident of a conversation has an open connection on any node. */
    public Uni<Boolean> residentOnline(UUID conversationId) {
        return db.query("select exists (select 1 from presence where kind = 'resident' and subject = $1) as online",
                Tuple.of(conversationId)).map(rows -> rows.iterator().next().getBoolean("online"));
    }

    /**
     * A clean stop of this node: its rows go, and its clients count as gone from now, so their
     * grace periods start now (they may reconnect to another node meanwhile).
     */
    public Uni<Void> removeNode(UUID nodeId) {
        return db.tx(tx -> tx.query("""
                        with gone as (
                            delete from presence where node_id = $1 returning kind, subject
                        ), residents as (
                            update conversation c set resident_gone_at = now()
                            from gone g where g.kind = 'resident' and c.id = g.subject and c.resident_gone_at is null
                              and not exists (select 1 from presence p where p.subject = g.subject and p.node_id <> $1)
                            returning c.id, 'resident' as kind
                        ), agents as (
                            update app_user u set gone_at = now()
                            from gone g where g.kind = 'agent' and u.id = g.subject and u.gone_at is null
                              and not exists (select 1 from presence p where p.subject = g.subject and p.node_id <> $1)
                            returning u.id, 'agent' as kind
                        ), node as (
                            delete from node where id = $1 returning id
                        )
                        select id, kind from residents union all select id, kind from agents""", Tuple.of(nodeId))
                .map(rows -> {
                    for (Row r : rows) {
                        if ("resident".equals(r.getString("kind"))) {
                            tx.signal(new Signal.Conversation(r.getUUID("id"), null));
                        } else {
                            tx.signal(new Signal.Agent(r.getUUID("id")));
                        }
                    }
                    return null;
                }));
    }

    /**
     * This node was declared dead (it stalled longer than dead-after) but is alive: put its
     * connections back, so the clients that never left do not lose their place or conversations.
     */
    public Uni<Void> reannounce(UUID nodeId, java.util.List<Fanout.Registration> connections) {
        return db.tx(tx -> {
            Uni<Void> chain = tx.query("insert into node (id) values ($1) on conflict (id) do update set heartbeat_at = now()",
                    Tuple.of(nodeId)).replaceWithVoid();
            for (Fanout.Registration r : connections) {
                boolean resident = "resident".equals(r.kind());
                tx.signal(resident ? new Signal.Conversation(r.subject(), null) : new Signal.Agent(r.subject()));
                chain = chain.chain(() -> tx.query("insert into presence (connection_id, node_id, kind, subject) values ($1, $2, $3, $4) "
                                + "on conflict (connection_id) do nothing", Tuple.of(r.connectionId(), nodeId, r.kind(), r.subject())))
                        .chain(() -> tx.query(resident ? "update conversation set resident_gone_at = null where id = $1"
                                : "update app_user set gone_at = null where id = $1", Tuple.of(r.subject())))
                        .replaceWithVoid();
            }
            return chain;
        });
    }

    /**
     * Removes the nodes that stopped beating and everything they held. Their clients count as
     * gone from the node's last heartbeat, so grace periods run from when they really vanished.
     */
    public Uni<Integer> removeDeadNodes(Duration deadAfter) {
        return db.tx(tx -> tx.query("""
                        with dead as (
                            delete from node where heartbeat_at < now() - make_interval(secs => $1) returning id, heartbeat_at
                        ), gone as (
                            delete from presence p using dead d where p.node_id = d.id
                            returning p.kind, p.subject, d.heartbeat_at
                        ), residents as (
                            update conversation c set resident_gone_at = g.heartbeat_at
                            from gone g where g.kind = 'resident' and c.id = g.subject and c.resident_gone_at is null
                              and not exists (select 1 from presence p where p.subject = g.subject
                                              and p.node_id not in (select id from dead))
                            returning c.id, 'resident' as kind
                        ), agents as (
                            update app_user u set gone_at = g.heartbeat_at
                            from gone g where g.kind = 'agent' and u.id = g.subject and u.gone_at is null
                              and not exists (select 1 from presence p where p.subject = g.subject
                                              and p.node_id not in (select id from dead))
                            returning u.id, 'agent' as kind
                        )
                        select id, kind from residents union all select id, kind from agents
                        union all select id, 'node' from dead""",
                        Tuple.of((double) deadAfter.toMillis() / 1000))
                .map(rows -> {
                    int nodes = 0;
                    for (Row r : rows) {
                        switch (r.getString("kind")) {
                            case "resident" -> tx.signal(new Signal.Conversation(r.getUUID("id"), null));
                            case "agent" -> tx.signal(new Signal.Agent(r.getUUID("id")));
                            default -> nodes++;
                        }
                    }
                    return nodes;
                }));
    }
}
