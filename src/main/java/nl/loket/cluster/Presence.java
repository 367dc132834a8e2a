package nl.loket.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.conversation.Conversations;
import nl.loket.platform.Batcher;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.platform.NodeId;
import nl.loket.platform.Signal;
import nl.loket.user.UserRepository;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Who is connected where, in the tables {@code node} and {@code presence} (this class owns
 * them): one row per open WebSocket, tagged with the node that holds it. When a subject's last
 * connection goes, the owner of the subject records since when it is gone (the conversation for
 * a resident, the account for an agent), which starts its grace period. A dead node's rows are
 * removed by the node that declares it dead first, with the dead node's last heartbeat as the
 * time its clients went away.
 */
@ApplicationScoped
public class Presence {

    static final String RESIDENT = "resident";
    static final String AGENT = "agent";
    /** How long a node that (re)registers waits for the transactions in progress at that moment (V34). */
    static final Duration CATCH_UP = Duration.ofSeconds(10);
    /**
     * The most residents' disconnections one transaction records. Each holds its resident's
     * advisory lock until the commit, and a reconnect of any of them waits for it: a batch stays
     * short. (PostgreSQL's shared lock table has room for 64 locks per connection on average.)
     */
    static final int LEFT_BATCH = 64;
    /** The longest wait between two tries to record a closed connection while the database cannot be reached. */
    static final Duration CLOSE_RETRY_MAX = Duration.ofSeconds(5);
    /** How long a closed connection is tried to be recorded before it is given up (and logged as such). */
    static final Duration CLOSE_RETRY_FOR = Duration.ofHours(1);

    private final Db db;
    private final NodeId node;
    private final Conversations conversations;
    private final UserRepository users;
    /** Residents' closed sockets, recorded together when they come faster than one transaction each. */
    private final Batcher<Left, Boolean> left;
    private final Failures failures;
    /** Closed connections that could not be recorded at once (the database away), and are tried again. */
    private final Failures.Streak closesFailing;

    public Presence(Db db, NodeId node, Conversations conversations, UserRepository users, MeterRegistry registry, Failures failures) {
        this.db = db;
        this.node = node;
        this.conversations = conversations;
        this.users = users;
        this.failures = failures;
        this.closesFailing = failures.streak("presence");
        // an error PostgreSQL answered (a deadlock, say) rolled the whole batch back: each goes again alone
        this.left = new Batcher<>("resident-left", 2, LEFT_BATCH, this::residentLeft, this::residentsLeft,
                e -> e instanceof PgException, registry);
    }

    private record Left(String connectionId, UUID conversationId) {
    }

    /**
     * Records a resident's new connection. When the conversation already has {@code max} open
     * connections on any node (tabs, devices, and the dead sockets of a phone that changed
     * networks), the oldest go (V47): their nodes close them ({@link Signal.Replaced}), told by the
     * database, or from memory here when they are on this node.
     */
    public Uni<Void> residentConnected(String connectionId, UUID conversationId, int max) {
        // one statement (V47): lock, replace the oldest, insert, and the conversation's "resident is back"
        return db.query("select event, notified, replaced from loket_resident_connected($1, $2, $3, $4, $5)",
                        Tuple.of(connectionId, node.id(), conversationId, max, db.node()))
                .invoke(rows -> {
                    Row row = rows.iterator().next();
                    String event = row.getString("event");
                    if (event != null) {
                        Signal.Conversation back = new Signal.Conversation(new JsonObject(event));
                        if (row.getBoolean("notified")) {
                            db.delivered(back);
                        } else {
                            db.committed(back); // a waiting conversation (V33): the others hear of it after the commit
                        }
                    }
                    for (String replaced : row.getArrayOfStrings("replaced")) {
                        db.delivered(new Signal.Replaced(replaced));
                    }
                }).replaceWithVoid();
    }

    /**
     * Of these connections of this node, those the table no longer counts while the node is
     * running and not declared dead: replaced by a newer socket of their conversation on another
     * node whose signal this node missed. (A socket is counted before this node follows it, and
     * leaves this node's list before its row goes; a node declared dead has its rows removed and
     * put back by its announcement, and is left alone here.)
     */
    public Uni<List<String>> notCounted(List<String> connectionIds) {
        if (connectionIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return db.query("select c from unnest($1::text[]) c "
                                + "where exists (select 1 from node where id = $2 and declared_dead_at is null) "
                                + "and not exists (select 1 from presence p where p.connection_id = c)",
                        Tuple.of(connectionIds.toArray(new String[0]), node.id()))
                .map(rows -> {
                    List<String> gone = new ArrayList<>();
                    rows.forEach(r -> gone.add(r.getString("c")));
                    return gone;
                });
    }

    /**
     * Records that a resident's connection closed. A quiet node records each in a transaction of
     * its own; when thousands close at once (a surge ends, a node stops) they go in together,
     * {@link #LEFT_BATCH} to a transaction, so the closing does not queue for connections while
     * the node, or its stop, waits.
     */
    public Uni<Void> residentDisconnected(String connectionId, UUID conversationId) {
        return recordClose(() -> left.submit(new Left(connectionId, conversationId)).replaceWithVoid(), "resident", connectionId);
    }

    /** The batcher's results say only "recorded" (it takes no nulls). */
    private Uni<Boolean> residentLeft(Left one) {
        return db.tx(tx -> lockSubject(tx, one.conversationId()).chain(() -> delete(tx, one.connectionId()))
                .chain(() -> conversations.residentsGone(tx, List.of(one.conversationId()), null))).replaceWith(Boolean.TRUE);
    }

    private Uni<List<Boolean>> residentsLeft(List<Left> batch) {
        List<String> connectionIds = new ArrayList<>(batch.size());
        TreeSet<UUID> subjects = new TreeSet<>();
        for (Left closed : batch) {
            connectionIds.add(closed.connectionId());
            subjects.add(closed.conversationId());
        }
        return db.tx(tx -> removeConnections(tx, connectionIds, subjects, null))
                .replaceWith(Collections.nCopies(batch.size(), Boolean.TRUE));
    }

    /**
     * Deletes these connections' rows, in turns with their subjects' connects anywhere
     * ({@link #lockSubjects}), and records gone, since {@code at} (null: now), the subjects left
     * with no connection.
     */
    private Uni<Void> removeConnections(Db.Tx tx, List<String> connectionIds, Iterable<UUID> subjects, Instant at) {
        return lockSubjects(tx, subjects)
                .chain(() -> tx.query("delete from presence where connection_id = any($1) returning kind, subject",
                        Tuple.of(connectionIds.toArray(new String[0]))))
                .chain(rows -> gone(tx, rows, at));
    }

    public Uni<Void> agentConnected(String connectionId, UUID agentId) {
        return db.tx(tx -> lockSubject(tx, agentId).chain(() -> insert(tx, connectionId, node.id(), AGENT, agentId))
                .chain(() -> users.agentBack(tx, agentId)));
    }

    public Uni<Void> agentDisconnected(String connectionId, UUID agentId) {
        return recordClose(() -> db.tx(tx -> lockSubject(tx, agentId).chain(() -> delete(tx, connectionId))
                .chain(() -> users.agentsGone(tx, List.of(agentId), null))), "agent", connectionId);
    }

    /**
     * Records a closed connection. A close that is not recorded leaves its row behind for as long
     * as the node runs: its resident or agent counts as connected for good (a waiting resident is
     * never given up, an agent who left keeps their conversations and shows as available, and
     * the agent's console sees the resident as online), and the row counts against the resident's
     * connections per conversation. So when the database cannot take it (it is restarting), the
     * close is tried again in the background, with back-off, until it goes through; the close
     * callback does not wait for that. A repeat is harmless: the row goes by its connection id,
     * and the subject counts as gone only while it has no connection anywhere. The grace period
     * starts when the close is recorded, at most the back-off's 5 s after the database is back, not
     * at the close itself: nobody could connect again while it was away (an open then is closed
     * with 1013), so the outage must not use up the time a resident or agent has to come back.
     */
    private Uni<Void> recordClose(Supplier<Uni<Void>> record, String kind, String connectionId) {
        return record.get().onFailure().recoverWithItem(first -> {
            closesFailing.failed(first, "Recording the close of %s connection %s failed; trying again until the database takes it",
                    kind, connectionId);
            Uni.createFrom().deferred(record::get)
                    .onFailure().retry().withBackOff(Duration.ofMillis(200), CLOSE_RETRY_MAX).expireIn(CLOSE_RETRY_FOR.toMillis())
                    .subscribe().with(done -> closesFailing.succeeded("Closed connections are recorded again"),
                            e -> failures.record("presence", e, "Gave up recording the close of %s connection %s", kind, connectionId));
            return null;
        });
    }

    /**
     * A connection and a disconnection of one subject (a reload, a reconnect to another node)
     * take turns: each then sees the other's row, so "gone" is never recorded for a subject who
     * is connected again.
     */
    private static Uni<Void> lockSubject(Db.Tx tx, UUID subject) {
        return tx.query("select pg_advisory_xact_lock(hashtextextended('loket-presence:' || $1, 0))", Tuple.of(subject.toString()))
                .replaceWithVoid();
    }

    /**
     * {@link #lockSubject} for several subjects in one statement, in the order of their lock keys:
     * two transactions that lock several never wait for each other in a circle. The keys are
     * sorted in a subquery that PostgreSQL does not merge into the outer one (it has DISTINCT and
     * ORDER BY), so the aggregate calls the lock function row by row in that order. Not
     * {@code count(... order by k)}: an aggregate's ORDER BY sorts values already computed.
     */
    private static Uni<Void> lockSubjects(Db.Tx tx, Iterable<UUID> subjects) {
        List<String> ids = new ArrayList<>();
        subjects.forEach(s -> ids.add(s.toString()));
        return tx.query("select count(pg_advisory_xact_lock(k)) from (select distinct hashtextextended('loket-presence:' || s, 0) as k "
                        + "from unnest($1::text[]) s order by k) keys", Tuple.of(ids.toArray(new String[0])))
                .replaceWithVoid();
    }

    /**
     * This node's existence, so the others can tell when it stops beating and know to notify it
     * (V34: a node alone notifies nobody). Changes whose transactions could not see the row are
     * not notified to this node: {@link #othersCaughtUp} says when the last of them has ended.
     */
    Uni<Void> register(UUID nodeId) {
        return db.query("insert into node (id) values ($1) on conflict (id) do nothing", Tuple.of(nodeId)).replaceWithVoid();
    }

    /**
     * Waits until every transaction in progress now has ended, polling every 20 ms, for at most
     * {@code patience}; answers whether they did. A transaction that changed something and checks for
     * other nodes after its change (V34) has a transaction id when it checks, so one that did not
     * see a row committed before this call holds an id lower than the one this call takes, and
     * is in a later snapshot's list of those in progress until it ends.
     */
    Uni<Boolean> othersCaughtUp(Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        // a statement of its own: the id is taken and its transaction has ended when the polling starts
        return db.query("select pg_current_xact_id()::text as x").map(rows -> rows.iterator().next().getString("x"))
                .chain(mark -> ended(mark, deadline));
    }

    private Uni<Boolean> ended(String mark, long deadline) {
        return db.query("select count(*) as n from pg_snapshot_xip(pg_current_snapshot()) x where x < $1::xid8", Tuple.of(mark))
                .chain(rows -> {
                    if (rows.iterator().next().getLong("n") == 0) {
                        return Uni.createFrom().item(true);
                    }
                    if (System.nanoTime() > deadline) {
                        return Uni.createFrom().item(false);
                    }
                    return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(20)).chain(() -> ended(mark, deadline));
                });
    }

    /**
     * The heartbeat; false when another node declared this one dead meanwhile (it stalled
     * longer than dead-after): its row is gone, or its connections are being removed
     * ({@link #removeDeadNodes}), and the node announces them again ({@link #reannounce}).
     */
    Uni<Boolean> beat(UUID nodeId) {
        // not in the shared pool's line: in a surge a beat that waited there longer than dead-after got the node taken for dead
        return db.urgent("update node set heartbeat_at = now() where id = $1 and declared_dead_at is null", Tuple.of(nodeId))
                .map(rows -> rows.rowCount() > 0);
    }

    /**
     * A clean stop of this node: its rows go, and its clients count as gone from now, so their
     * grace periods start now (they may reconnect to another node meanwhile).
     */
    public Uni<Void> removeNode(UUID nodeId) {
        // the connections whose close was not recorded (a stop that ran out of time, a restart of the same node id),
        // in turns with their subjects' connects to other nodes: the clients are moving there
        return inBatches(nodeId, (tx, ids, subjects) -> removeConnections(tx, ids, subjects, null))
                .chain(() -> db.tx(tx -> tx.query("delete from presence where node_id = $1 returning kind, subject", Tuple.of(nodeId))
                        // none, unless a connection came after the read: a stopping node refuses new ones
                        // (Draining), so this needs no locks; a restart's node id has none either
                        .chain(rows -> gone(tx, rows, null))
                        .chain(() -> tx.query("delete from node where id = $1", Tuple.of(nodeId)))
                        .replaceWithVoid()));
    }

    /** Removes some of a node's connections in one transaction. */
    @FunctionalInterface
    private interface Removal {
        Uni<Void> remove(Db.Tx tx, List<String> connectionIds, TreeSet<UUID> subjects);
    }

    /**
     * The node's connections as they are now, {@link #LEFT_BATCH} to a transaction, each batch
     * removed by {@code removal}: a batch's subjects' locks are few enough for PostgreSQL's lock
     * table, and each is held for one short transaction.
     */
    private Uni<Void> inBatches(UUID nodeId, Removal removal) {
        return db.query("select connection_id, kind, subject from presence where node_id = $1 order by connection_id", Tuple.of(nodeId))
                .chain(rows -> {
                    List<Fanout.Registration> connections = new ArrayList<>();
                    rows.forEach(r -> connections.add(new Fanout.Registration(r.getString("connection_id"), r.getString("kind"),
                            r.getUUID("subject"))));
                    return perBatch(connections, batch -> db.tx(tx -> removal.remove(tx, ids(batch), subjects(batch))));
                });
    }

    /** {@code batch} for each {@link #LEFT_BATCH} of the items, one after another. */
    private static <T> Uni<Void> perBatch(List<T> items, Function<List<T>, Uni<Void>> batch) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (int from = 0; from < items.size(); from += LEFT_BATCH) {
            List<T> part = items.subList(from, Math.min(items.size(), from + LEFT_BATCH));
            chain = chain.chain(() -> batch.apply(part));
        }
        return chain;
    }

    private static List<String> ids(List<Fanout.Registration> connections) {
        return connections.stream().map(Fanout.Registration::connectionId).toList();
    }

    private static TreeSet<UUID> subjects(List<Fanout.Registration> connections) {
        TreeSet<UUID> subjects = new TreeSet<>();
        connections.forEach(c -> subjects.add(c.subject()));
        return subjects;
    }

    /**
     * This node was declared dead (it stalled longer than dead-after) but is alive: put its
     * connections back, so the clients that never left do not lose their place or
     * conversations. Its row is taken first and the mark cleared: a removal's batch in progress
     * is waited for, and the batches after this find the node alive. Its agents' accounts are then
     * taken before its residents' conversations, as a removal takes them ({@link #gone}) and in a
     * claim's order (the claimer's account, then the conversation).
     * Meanwhile a lone other node may have stopped notifying (V34): as after {@link #register},
     * the caller waits for {@link #othersCaughtUp} and then reads what was missed, and then has
     * {@link #backIfConnected} look at the connections this answers: those announced and still open.
     */
    public Uni<List<Fanout.Registration>> reannounce(UUID nodeId, Supplier<List<Fanout.Registration>> connections) {
        AtomicReference<List<Fanout.Registration>> announced = new AtomicReference<>(List.of());
        // the time of the beat when the row is ours, which may be a while after this transaction began (a batch in progress)
        return db.tx(tx -> tx.query("insert into node (id) values ($1) on conflict (id) "
                                + "do update set heartbeat_at = clock_timestamp(), declared_dead_at = null", Tuple.of(nodeId))
                // the connections as they are once the sweep's batch in progress is over: one that opened meanwhile, and
                // whose row that batch removed, is among them
                .chain(() -> {
                    announced.set(connections.get());
                    return announce(tx, nodeId, announced.get());
                }))
                .chain(() -> closedMeanwhile(announced.get(), connections.get()));
    }

    /**
     * After an announcement, once every transaction in progress at its commit has ended
     * ({@link #othersCaughtUp}): a subject with a connection announced here and another on a
     * node still running, whose other connection closed while the announcement ran, may have
     * been recorded gone by a close that could not see the announced row yet (its transaction
     * began before the announcement's commit). Such subjects count as back again, each in turns
     * with its connects and closes; a close that ended later saw the row and recorded nothing.
     * One read of who counts as gone, and a transaction per {@link #LEFT_BATCH} of those found
     * (usually none).
     */
    public Uni<Void> backIfConnected(List<Fanout.Registration> announced) {
        List<UUID> residents = new ArrayList<>();
        List<UUID> agents = new ArrayList<>();
        announced.forEach(r -> (RESIDENT.equals(r.kind()) ? residents : agents).add(r.subject()));
        return conversations.residentsGoneAmong(residents)
                .chain(goneResidents -> users.agentsGoneAmong(agents).map(goneAgents -> {
                    List<UUID> gone = new ArrayList<>(goneResidents);
                    gone.addAll(goneAgents);
                    return gone;
                }))
                .chain(gone -> perBatch(gone, batch -> db.tx(tx -> lockSubjects(tx, batch)
                        // under the subjects' locks: who has a connection now, as a close would see it
                        .chain(() -> tx.query("select distinct kind, subject from presence where subject = any($1)",
                                Tuple.of(batch.toArray(new UUID[0]))))
                        .chain(rows -> {
                            List<UUID> backResidents = new ArrayList<>();
                            List<UUID> backAgents = new ArrayList<>();
                            rows.forEach(r -> (RESIDENT.equals(r.getString("kind")) ? backResidents : backAgents).add(r.getUUID("subject")));
                            // the accounts before the conversations, as gone() takes them
                            return users.agentsBack(tx, backAgents).chain(() -> conversations.residentsBack(tx, backResidents));
                        }))));
    }

    /**
     * The connections the announcement put back that have closed since it read them. A close
     * recorded before the announcement's insert found no row to delete, and the insert then put
     * one back (and the announcement took its subject for back): the subject would count as
     * connected, and its conversation would never run out of grace. So they are removed once more
     * as a close removes them; a close recorded after the insert already did, and this finds
     * nothing. (A socket leaves this node's list before its close is recorded.) Answers the
     * announced connections that are still open.
     */
    private Uni<List<Fanout.Registration>> closedMeanwhile(List<Fanout.Registration> announced, List<Fanout.Registration> open) {
        Set<String> stillOpen = new HashSet<>();
        open.forEach(r -> stillOpen.add(r.connectionId()));
        List<Fanout.Registration> closed = announced.stream().filter(r -> !stillOpen.contains(r.connectionId())).toList();
        List<Fanout.Registration> kept = announced.stream().filter(r -> stillOpen.contains(r.connectionId())).toList();
        return perBatch(closed, batch -> db.tx(tx -> removeConnections(tx, ids(batch), subjects(batch), null))).replaceWith(kept);
    }

    /** Every connection in one statement: a node with 10,000 announced them one by one, 20,000 round trips in one transaction. */
    private Uni<Void> announce(Db.Tx tx, UUID nodeId, List<Fanout.Registration> connections) {
        String[] ids = new String[connections.size()];
        String[] kinds = new String[connections.size()];
        UUID[] subjects = new UUID[connections.size()];
        List<UUID> residents = new ArrayList<>();
        List<UUID> agents = new ArrayList<>();
        for (int i = 0; i < connections.size(); i++) {
            Fanout.Registration r = connections.get(i);
            ids[i] = r.connectionId();
            kinds[i] = r.kind();
            subjects[i] = r.subject();
            (RESIDENT.equals(r.kind()) ? residents : agents).add(r.subject());
        }
        return tx.query("insert into presence (connection_id, node_id, kind, subject) "
                                + "select c, $2, k, s from unnest($1::text[], $3::text[], $4::uuid[]) as r(c, k, s) "
                                + "on conflict (connection_id) do nothing", Tuple.of(ids, nodeId, kinds, subjects))
                // the accounts before the conversations, as gone() takes them
                .chain(() -> users.agentsBack(tx, agents))
                .chain(() -> conversations.residentsBack(tx, residents));
    }

    /**
     * Removes the nodes that stopped beating, other than this one (which is running), and
     * everything they held. Their clients count as gone from the node's last heartbeat, so grace
     * periods run from when they really vanished.
     *
     * <p>The node that gets there first declares a dead node dead (V39) and sweeps it alone; another
     * takes it up when the mark is older than dead-after (that sweep stopped or died mid-way). Its
     * connections go as a stopping node's do: a batch per transaction, in turns with their
     * subjects' connects elsewhere (its clients are reconnecting to the other nodes, and after a
     * surge node's death thousands of them still are when it is swept). Each batch first renews
     * the mark, which holds the node's row until the batch commits, and goes only while the node
     * is still declared dead: a node that was only stalled is told so by its next beat
     * ({@link #beat}) and announces its connections again ({@link #reannounce}); the announcement
     * waits for the batch in progress, puts back what the sweep removed and clears the mark, and
     * the batches after it leave its connections alone. The node's row goes last.
     */
    public Uni<Integer> removeDeadNodes(Duration deadAfter) {
        return db.query("""
                        update node set declared_dead_at = now()
                        where id <> $2 and (declared_dead_at is null and heartbeat_at < now() - make_interval(secs => $1)
                                            or declared_dead_at < now() - make_interval(secs => $1))
                        returning id, heartbeat_at""", Tuple.of(deadAfter.toMillis() / 1000.0, node.id()))
                .chain(rows -> {
                    Uni<Integer> removed = Uni.createFrom().item(0);
                    for (Row r : rows) {
                        UUID id = r.getUUID("id");
                        Instant lastBeat = r.getOffsetDateTime("heartbeat_at").toInstant();
                        removed = removed.chain(n -> removeDeadNode(id, lastBeat).map(gone -> gone ? n + 1 : n));
                    }
                    return removed;
                });
    }

    /** One dead node's connections, then its row; false when the node turned out alive. */
    private Uni<Boolean> removeDeadNode(UUID nodeId, Instant lastBeat) {
        return inBatches(nodeId, (tx, ids, subjects) -> tx.query("update node set declared_dead_at = now() "
                                + "where id = $1 and declared_dead_at is not null returning id", Tuple.of(nodeId))
                        .chain(dead -> dead.size() == 0 ? Uni.createFrom().voidItem() : removeConnections(tx, ids, subjects, lastBeat)))
                .chain(() -> db.tx(tx -> tx.query("delete from node where id = $1 and declared_dead_at is not null returning id",
                                Tuple.of(nodeId))
                        .chain(node -> node.size() == 0 ? Uni.createFrom().item(false)
                                // none, unless a stalled node that resumed opened some before its beat told it: they go
                                // without their subjects' locks, and its announcement, once it finds its row gone, puts
                                // them back and clears "gone"
                                : tx.query("delete from presence where node_id = $1 returning kind, subject", Tuple.of(nodeId))
                                        .chain(rows -> gone(tx, rows, lastBeat)).replaceWith(true))));
    }

    /**
     * Records the subjects of these removed rows gone since {@code at} (null: now) when they have no
     * connection left: the agents' accounts first, then the residents' conversations, in a claim's
     * order (the claimer's account, then the conversation), as every move that takes both does.
     * The other way round, a node's removal and a claim by one of its agents of one of its
     * residents' conversations (the node stalled and served the claim as it resumed) each waited
     * for the other, and PostgreSQL ended one of them as a deadlock (StalledNodeAndClaimTest).
     */
    private Uni<Void> gone(Db.Tx tx, Iterable<Row> rows, Instant at) {
        List<UUID> residents = new ArrayList<>();
        List<UUID> agents = new ArrayList<>();
        for (Row r : rows) {
            (RESIDENT.equals(r.getString("kind")) ? residents : agents).add(r.getUUID("subject"));
        }
        return users.agentsGone(tx, agents, at).chain(() -> conversations.residentsGone(tx, residents, at));
    }

    private static Uni<Void> insert(Db.Tx tx, String connectionId, UUID nodeId, String kind, UUID subject) {
        return tx.query("insert into presence (connection_id, node_id, kind, subject) values ($1, $2, $3, $4)",
                Tuple.of(connectionId, nodeId, kind, subject)).replaceWithVoid();
    }

    private static Uni<RowSet<Row>> delete(Db.Tx tx, String connectionId) {
        return tx.query("delete from presence where connection_id = $1", Tuple.of(connectionId));
    }
}
