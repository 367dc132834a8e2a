package nl.loket.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import nl.loket.platform.NodeId;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Residents' sockets that close together (a surge ends, a node stops) are recorded together,
 * many in one transaction: each connection's row goes, and a resident counts as gone only when
 * no connection of theirs is left anywhere, also when they reconnect while the batch, a
 * stopping node's removal of what it left, or a dead node's removal, is being recorded.
 */
@QuarkusTest
class ResidentsLeavingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    Db db;

    @Inject
    Presence presence;

    @Inject
    NodeId node;

    @Inject
    MeterRegistry registry;

    @Test
    void residentsWhoLeaveTogetherAreRecordedTogetherAndOneWithAnotherTabOpenIsNotGone() throws Exception {
        List<UUID> ids = conversations(150);
        List<String> first = connectEach(ids);
        // the last resident's, so that their close goes in a batch (the first two go alone, one per turn)
        UUID twoTabs = ids.get(ids.size() - 1);
        String secondTab = connect(twoTabs);
        double batchedBefore = batched();

        for (CompletableFuture<Void> f : leaveTogether(first, ids)) {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(batched() - batchedBefore).as("closed sockets recorded beyond the first of their transaction").isPositive();
        assertThat(count("select count(*) as n from presence where connection_id = any($1)", Tuple.of(first.toArray(new String[0]))))
                .as("rows of the closed connections").isZero();
        assertThat(count("select count(*) as n from presence where connection_id = $1", Tuple.of(secondTab)))
                .as("the row of the tab still open").isEqualTo(1);
        assertThat(goneSince(twoTabs)).as("a resident with another tab open").isNull();
        for (UUID id : ids.subList(0, ids.size() - 1)) {
            assertThat(goneSince(id)).as("resident of %s, whose only socket closed", id).isNotNull();
        }
        presence.residentDisconnected(secondTab, twoTabs).await().atMost(WAIT);
        assertThat(goneSince(twoTabs)).as("the resident once the last tab closed").isNotNull();
    }

    /**
     * A reconnect (another node, a reload) and the close of the old socket take turns on the
     * resident's lock, also when the close goes in a batch: here the reconnect has taken the lock
     * and stored its row but not yet committed, and the batch waits for it, then sees the new
     * row and does not record the resident gone. A batch that went ahead would have recorded
     * "gone" for a resident who is connected, and their conversation would be abandoned after
     * the grace period.
     */
    @Test
    void aResidentWhoReconnectsWhileTheOldSocketsCloseInABatchIsNotRecordedGone() throws Exception {
        List<UUID> ids = conversations(10);
        List<String> old = connectEach(ids);
        UUID moving = ids.get(ids.size() - 1);
        String again = UUID.randomUUID().toString();
        CompletableFuture<Void> inProgress = new CompletableFuture<>();
        CompletableFuture<Void> commit = new CompletableFuture<>();
        CompletableFuture<Boolean> reconnected = heldReconnect(again, moving, inProgress, commit);
        inProgress.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        double batchedBefore = batched();

        // the first two closes go alone (two turns) and the other eight wait and go in one batch, the moving resident's
        // last: expected, since the eight come within microseconds and a transaction takes milliseconds; that a batch
        // formed is checked below
        List<CompletableFuture<Void>> leaving = leaveTogether(old, ids);
        Thread.sleep(500);
        assertThat(leaving.get(leaving.size() - 1)).as("the moving resident's close while the reconnect holds their turn").isNotDone();
        commit.complete(null);
        assertThat(reconnected.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reconnect accepted").isTrue();
        for (CompletableFuture<Void> f : leaving) {
            f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        assertThat(batched() - batchedBefore).as("closed sockets recorded beyond the first of their transaction").isPositive();
        assertThat(count("select count(*) as n from presence where connection_id = $1", Tuple.of(again))).as("the new connection").isEqualTo(1);
        assertThat(goneSince(moving)).as("the resident who reconnected").isNull();
        for (UUID id : ids.subList(0, ids.size() - 1)) {
            assertThat(goneSince(id)).as("resident of %s, whose only socket closed", id).isNotNull();
        }
    }

    /**
     * The same turn-taking when a stopping node removes the connections whose close it did not
     * record (its stop ran out of time): a resident already reconnecting to another node is not
     * recorded gone, and the node's rows and its own row go.
     */
    @Test
    void aStoppingNodesLeftoverConnectionOfAResidentReconnectingElsewhereDoesNotRecordThemGone() throws Exception {
        List<UUID> ids = conversations(3);
        UUID stopping = nodeWith(ids);
        UUID moving = ids.get(1);
        String again = UUID.randomUUID().toString();
        CompletableFuture<Void> inProgress = new CompletableFuture<>();
        CompletableFuture<Void> commit = new CompletableFuture<>();
        CompletableFuture<Boolean> reconnected = heldReconnect(again, moving, inProgress, commit);
        inProgress.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        CompletableFuture<Void> removed = presence.removeNode(stopping).subscribeAsCompletionStage();
        Thread.sleep(500);
        assertThat(removed).as("the node's removal while a reconnect holds a resident's turn").isNotDone();
        commit.complete(null);
        assertThat(reconnected.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reconnect accepted").isTrue();
        removed.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(count("select count(*) as n from presence where node_id = $1", Tuple.of(stopping))).as("rows of the stopped node").isZero();
        assertThat(count("select count(*) as n from node where id = $1", Tuple.of(stopping))).as("the stopped node's row").isZero();
        assertThat(goneSince(moving)).as("the resident who reconnected").isNull();
        assertThat(goneSince(ids.get(0))).as("a resident who did not").isNotNull();
        assertThat(goneSince(ids.get(2))).as("a resident who did not").isNotNull();
    }

    /**
     * A dead node's connections are removed in the same turns: a resident whose client is
     * reconnecting to another node as the dead node is swept (after a surge node's death,
     * thousands still are) is not recorded gone; the others count as gone from the dead node's
     * last heartbeat, and the node's rows and its own row go.
     */
    @Test
    void aDeadNodesConnectionOfAResidentReconnectingElsewhereDoesNotRecordThemGone() throws Exception {
        List<UUID> ids = conversations(3);
        UUID dead = nodeWith(ids);
        UUID moving = ids.get(1);
        CompletableFuture<Void> inProgress = new CompletableFuture<>();
        CompletableFuture<Void> commit = new CompletableFuture<>();
        CompletableFuture<Boolean> reconnected = heldReconnect(UUID.randomUUID().toString(), moving, inProgress, commit);
        inProgress.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        Object lastBeat = silentSince(dead);

        CompletableFuture<Integer> swept = presence.removeDeadNodes(SILENT).subscribeAsCompletionStage();
        Thread.sleep(500);
        assertThat(swept).as("the dead node's removal while a reconnect holds a resident's turn").isNotDone();
        commit.complete(null);
        assertThat(reconnected.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reconnect accepted").isTrue();
        assertThat(swept.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("dead nodes removed").isEqualTo(1);

        assertThat(count("select count(*) as n from presence where node_id = $1", Tuple.of(dead))).as("rows of the dead node").isZero();
        assertThat(count("select count(*) as n from node where id = $1", Tuple.of(dead))).as("the dead node's row").isZero();
        assertThat(goneSince(moving)).as("the resident who reconnected").isNull();
        assertThat(goneSince(ids.get(0))).as("a resident who did not, gone since the node's last beat").isEqualTo(lastBeat);
        assertThat(goneSince(ids.get(2))).as("a resident who did not, gone since the node's last beat").isEqualTo(lastBeat);
    }

    /**
     * A node that was only stalled past dead-after, and beats while it is being swept, keeps its
     * clients: its beat answers "not alive", its announcement of its connections waits for the
     * batch in progress and puts back what that batch removed, and the sweep's next batch leaves
     * the rest alone. The stalled node holds more connections than one batch takes, and a
     * reconnect holds the turn of a resident in the first batch, so that the beat comes in the
     * middle of the sweep.
     */
    @Test
    void aStalledNodeThatBeatsWhileItIsSweptKeepsItsConnectionsAndNobodyCountsAsGone() throws Exception {
        List<UUID> ids = conversations(Presence.LEFT_BATCH + 6);
        UUID stalled = nodeWith(ids);
        // in the order the sweep takes them: the first is in its first batch
        List<Fanout.Registration> held = registrations(stalled);
        CompletableFuture<Void> inProgress = new CompletableFuture<>();
        CompletableFuture<Void> commit = new CompletableFuture<>();
        CompletableFuture<Boolean> reconnected = heldReconnect(UUID.randomUUID().toString(), held.get(0).subject(), inProgress, commit);
        inProgress.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        silentSince(stalled);
        CompletableFuture<Integer> swept = presence.removeDeadNodes(SILENT).subscribeAsCompletionStage();
        Thread.sleep(300);

        assertThat(presence.beat(stalled).await().atMost(WAIT)).as("the stalled node's beat").isFalse();
        CompletableFuture<Void> back = presence.reannounce(stalled, () -> held).replaceWithVoid().subscribeAsCompletionStage();
        Thread.sleep(300);
        assertThat(back).as("announcing its connections again while a batch of them is being removed").isNotDone();
        commit.complete(null);
        assertThat(reconnected.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("reconnect accepted").isTrue();
        back.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(swept.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("dead nodes removed").isZero();

        assertThat(count("select count(*) as n from presence where node_id = $1", Tuple.of(stalled)))
                .as("the stalled node's connections").isEqualTo(ids.size());
        assertThat(count("select count(*) as n from node where id = $1 and declared_dead_at is null", Tuple.of(stalled)))
                .as("the stalled node's row, alive").isEqualTo(1);
        assertThat(presence.beat(stalled).await().atMost(WAIT)).as("its next beat").isTrue();
        for (UUID id : ids) {
            assertThat(goneSince(id)).as("resident of %s, still connected to the stalled node", id).isNull();
        }
        assertThat(count("select count(*) as n from conversation where id = any($1) and state = 'queued'",
                Tuple.of(ids.toArray(new UUID[0])))).as("conversations still waiting").isEqualTo(ids.size());
        presence.removeNode(stalled).await().atMost(WAIT);
    }

    /**
     * A node taken for dead and swept, whose socket closes while it announces its connections
     * again: the close is recorded before the announcement's insert (nothing to delete then), and
     * the insert puts the row back. That connection goes once more and its resident counts as
     * gone; without that the resident counted as connected until the node stopped, and their
     * conversation never ran out of grace. The other connections are back, their residents not gone.
     */
    @Test
    void aSocketThatClosesWhileItsNodeAnnouncesItsConnectionsAgainDoesNotStayConnected() throws Exception {
        List<UUID> ids = conversations(3);
        UUID stalled = nodeWith(ids);
        List<Fanout.Registration> all = registrations(stalled);
        silentSince(stalled);
        assertThat(presence.removeDeadNodes(SILENT).await().atMost(WAIT)).as("dead nodes removed").isGreaterThanOrEqualTo(1);
        assertThat(count("select count(*) as n from presence where node_id = $1", Tuple.of(stalled))).as("rows of the swept node").isZero();

        try {
            Fanout.Registration closing = all.get(0);
            List<Fanout.Registration> open = all.subList(1, all.size());
            // the announcement read the node's list with that socket in it; then the socket left the list and its close was
            // recorded (the first statement below); then the announcement's insert ran. Later reads of the list lack it
            presence.residentDisconnected(closing.connectionId(), closing.subject()).await().atMost(WAIT);
            AtomicInteger reads = new AtomicInteger();
            presence.reannounce(stalled, () -> reads.getAndIncrement() == 0 ? all : open).await().atMost(WAIT);

            assertThat(count("select count(*) as n from presence where connection_id = $1", Tuple.of(closing.connectionId())))
                    .as("the closed socket's row").isZero();
            assertThat(goneSince(closing.subject())).as("the resident whose only socket closed").isNotNull();
            for (Fanout.Registration r : open) {
                assertThat(count("select count(*) as n from presence where connection_id = $1", Tuple.of(r.connectionId())))
                        .as("an open socket's row").isEqualTo(1);
                assertThat(goneSince(r.subject())).as("the resident of an open socket").isNull();
            }
        } finally {
            // a failure here must not leave a silent node behind for the next test's sweep
            presence.removeNode(stalled).await().atMost(WAIT);
        }
    }

    /**
     * A resident with a tab on a node taken for dead and another on a running node, whose second
     * tab closes while the first node announces its connections again: that close began before
     * the announcement's commit, saw no row of theirs, and recorded them gone. Once the
     * transactions of that moment have ended the announcing node looks again: a resident whose
     * announced tab is still open is back; one whose announced tab has closed since stays gone.
     */
    @Test
    void aResidentRecordedGoneByACloseElsewhereDuringTheAnnouncementIsBackAfterIt() throws Exception {
        List<UUID> ids = conversations(2);
        UUID stalled = nodeWith(ids);
        try {
            List<Fanout.Registration> announced = registrations(stalled);
            // what the race leaves behind: the announced rows are there, and the close elsewhere recorded both residents gone
            db.query("update conversation set resident_gone_at = now() where id = any($1)", Tuple.of(ids.toArray(new UUID[0])))
                    .await().atMost(WAIT);
            // and the second resident's announced tab has closed since, as a close removes it
            Fanout.Registration closed = announced.stream().filter(r -> r.subject().equals(ids.get(1))).findFirst().orElseThrow();
            presence.residentDisconnected(closed.connectionId(), closed.subject()).await().atMost(WAIT);

            presence.backIfConnected(announced).await().atMost(WAIT);

            assertThat(goneSince(ids.get(0))).as("the resident whose announced tab is open").isNull();
            assertThat(goneSince(ids.get(1))).as("the resident whose tabs have all closed").isNotNull();
        } finally {
            presence.removeNode(stalled).await().atMost(WAIT);
        }
    }

    /**
     * The dead-after these tests sweep with. This node's own sweep uses the configured one (10 s),
     * so it leaves a node alone that has been silent for {@link #silentSince} only; and the grace
     * period (3 s in tests) of a resident recorded gone from that last beat has not run out
     * before the test is over.
     */
    private static final Duration SILENT = Duration.ofMillis(500);

    /** The node's last beat, set to a second ago: silent longer than {@link #SILENT}. */
    private Object silentSince(UUID nodeId) {
        return db.query("update node set heartbeat_at = now() - interval '1 second' where id = $1 returning heartbeat_at",
                Tuple.of(nodeId)).await().atMost(WAIT).iterator().next().getValue("heartbeat_at");
    }

    /** A node of its own, each conversation's resident connected to it once; the node's id. */
    private UUID nodeWith(List<UUID> conversations) {
        UUID other = UUID.randomUUID();
        presence.register(other).await().atMost(WAIT);
        for (UUID id : conversations) {
            db.query("update presence set node_id = $2 where connection_id = $1", Tuple.of(connect(id), other)).await().atMost(WAIT);
        }
        return other;
    }

    /** The node's residents' connections as its own list holds them, in the order a sweep takes them. */
    private List<Fanout.Registration> registrations(UUID nodeId) {
        List<Fanout.Registration> connections = new ArrayList<>();
        db.query("select connection_id, subject from presence where node_id = $1 order by connection_id", Tuple.of(nodeId))
                .await().atMost(WAIT)
                .forEach(r -> connections.add(new Fanout.Registration(r.getString("connection_id"), Presence.RESIDENT, r.getUUID("subject"))));
        return connections;
    }

    /** A resident's reconnect as the socket's open does it (V33), its commit held back until {@code commit} completes. */
    private CompletableFuture<Boolean> heldReconnect(String connection, UUID conversation, CompletableFuture<Void> inProgress,
                                                     CompletableFuture<Void> commit) {
        return db.tx(tx -> tx.query("select accepted from loket_resident_connected($1, $2, $3, $4, $5)",
                                Tuple.of(connection, node.id(), conversation, 3, db.node()))
                        .invoke(() -> inProgress.complete(null))
                        .chain(rows -> Uni.createFrom().completionStage(commit).replaceWith(rows.iterator().next().getBoolean("accepted"))))
                .subscribeAsCompletionStage();
    }

    private List<UUID> conversations(int n) {
        String topic = TestTopics.create(db);
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(UUID.fromString(Api.start(topic, null).getString("id")));
        }
        return ids;
    }

    /** One connection for each conversation, in order. */
    private List<String> connectEach(List<UUID> conversations) {
        List<String> connections = new ArrayList<>();
        for (UUID id : conversations) {
            connections.add(connect(id));
        }
        return connections;
    }

    /** Every connection's close submitted at once (the i-th connection is the i-th conversation's), not waited for. */
    private List<CompletableFuture<Void>> leaveTogether(List<String> connections, List<UUID> conversations) {
        List<CompletableFuture<Void>> leaving = new ArrayList<>();
        for (int i = 0; i < conversations.size(); i++) {
            leaving.add(presence.residentDisconnected(connections.get(i), conversations.get(i)).subscribeAsCompletionStage());
        }
        return leaving;
    }

    private String connect(UUID conversation) {
        String connection = UUID.randomUUID().toString();
        presence.residentConnected(connection, conversation, 3).await().atMost(WAIT);
        return connection;
    }

    private Object goneSince(UUID conversation) {
        return db.query("select resident_gone_at from conversation where id = $1", Tuple.of(conversation)).await().atMost(WAIT)
                .iterator().next().getValue("resident_gone_at");
    }

    private long count(String sql, Tuple args) {
        return db.query(sql, args).await().atMost(WAIT).iterator().next().getLong("n");
    }

    private double batched() {
        var summary = registry.find("loket.db.batch.size").tag("name", "resident-left").summary();
        // the calls beyond the first of each statement: above zero once a statement carried several
        return summary == null ? 0 : summary.totalAmount() - summary.count();
    }
}
