package nl.loket.cluster;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import nl.loket.user.UserRepository;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node that stalled past dead-after, with an agent and a waiting resident on it, while that
 * agent claims that resident's conversation: the node's sweep as dead, its announcement of its
 * connections again and its look after that announcement each record the resident and the agent
 * together. A claim takes the agent's account, then the conversation. These moves took them the
 * other way round (the conversation, then the account): each waited for the other, and
 * PostgreSQL ended one of them as a deadlock, the claim as often as not (the agent heard
 * "internal"). Now they take the accounts first, in a claim's order.
 */
@QuarkusTest
class StalledNodeAndClaimTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    /** The dead-after these tests sweep with, as in {@link ResidentsLeavingTest}: this node's own sweep leaves the node alone. */
    private static final Duration SILENT = Duration.ofMillis(500);

    @Inject
    Db db;

    @Inject
    Presence presence;

    /** The sweep of the stalled node as dead, while its agent claims (the stalled node resumed and served the claim). */
    @Test
    void aDeadNodesSweepAndItsAgentsClaimDoNotDeadlock() throws Exception {
        Stalled s = stalled();
        db.query("update node set heartbeat_at = now() - interval '1 second' where id = $1", Tuple.of(s.node)).await().atMost(WAIT);

        CompletableFuture<String> claim = claimAfterAMoment(s.agent, s.conversation);
        Thread.sleep(300);
        // meanwhile another node sweeps the stalled one: the resident's conversation and the agent's account are recorded gone
        CompletableFuture<Integer> swept = presence.removeDeadNodes(SILENT).subscribeAsCompletionStage().toCompletableFuture();

        assertThat(claim.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the claim") // threw a deadlock (40P01) before
                .isEqualTo("claimed");
        assertThat(swept.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("dead nodes removed").isGreaterThanOrEqualTo(1);
        assertThat(count("select count(*) as n from presence where node_id = $1", Tuple.of(s.node))).as("the swept node's rows").isZero();
    }

    /** The stalled node, swept, announces its connections again while its agent claims. */
    @Test
    void aNodeAnnouncingItsConnectionsAgainAndItsAgentsClaimDoNotDeadlock() throws Exception {
        Stalled s = stalled();
        try {
            // what the sweep left: the node's rows gone, its resident and agent gone since now
            sweptAsDead(s);

            CompletableFuture<String> claim = claimAfterAMoment(s.agent, s.conversation);
            Thread.sleep(300);
            CompletableFuture<List<Fanout.Registration>> back = presence.reannounce(s.node, () -> s.connections)
                    .subscribeAsCompletionStage().toCompletableFuture();

            assertThat(claim.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the claim") // threw a deadlock (40P01) before
                    .isEqualTo("claimed");
            assertThat(back.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("connections announced and still open").hasSize(2);
            assertBack(s);
        } finally {
            presence.removeNode(s.node).await().atMost(WAIT);
        }
    }

    /**
     * The look after an announcement: the resident and the agent, recorded gone by closes elsewhere
     * while the node announced them, count as back, while the agent claims.
     */
    @Test
    void theLookAfterAnAnnouncementAndTheAgentsClaimDoNotDeadlock() throws Exception {
        Stalled s = stalled();
        try {
            // what that race leaves: the announced rows are there, and both were recorded gone
            db.query("update conversation set resident_gone_at = now() where id = $1", Tuple.of(s.conversation)).await().atMost(WAIT);
            db.query("update app_user set gone_at = now() where id = $1", Tuple.of(s.agent)).await().atMost(WAIT);

            CompletableFuture<String> claim = claimAfterAMoment(s.agent, s.conversation);
            Thread.sleep(300);
            CompletableFuture<Void> back = presence.backIfConnected(s.connections).subscribeAsCompletionStage().toCompletableFuture();

            assertThat(claim.get(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the claim") // threw a deadlock (40P01) before
                    .isEqualTo("claimed");
            back.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertBack(s);
        } finally {
            presence.removeNode(s.node).await().atMost(WAIT);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** A node of its own with an agent's connection and the connection of a resident waiting in one of the agent's topics. */
    private record Stalled(UUID node, UUID agent, UUID conversation, List<Fanout.Registration> connections) {
    }

    private Stalled stalled() {
        String topic = TestTopics.create(db);
        UUID agent = UUID.fromString(Api.agent("Anne", List.of(topic), 3).id());
        UUID conversation = UUID.fromString(Api.start(topic, "Jan").getString("id"));
        UUID other = UUID.randomUUID();
        presence.register(other).await().atMost(WAIT);
        String resident = UUID.randomUUID().toString();
        presence.residentConnected(resident, conversation, 3).await().atMost(WAIT);
        String console = UUID.randomUUID().toString();
        presence.agentConnected(console, agent).await().atMost(WAIT);
        db.query("update presence set node_id = $2 where connection_id = any($1)", Tuple.of(new String[] {resident, console}, other))
                .await().atMost(WAIT);
        return new Stalled(other, agent, conversation, List.of(new Fanout.Registration(resident, Presence.RESIDENT, conversation),
                new Fanout.Registration(console, Presence.AGENT, agent)));
    }

    /** As {@link Presence#removeDeadNodes} leaves a node (ResidentsLeavingTest sweeps for real), its clients gone from now. */
    private void sweptAsDead(Stalled s) {
        db.query("update node set declared_dead_at = now() where id = $1", Tuple.of(s.node)).await().atMost(WAIT);
        db.query("delete from presence where node_id = $1", Tuple.of(s.node)).await().atMost(WAIT);
        db.query("update conversation set resident_gone_at = now() where id = $1", Tuple.of(s.conversation)).await().atMost(WAIT);
        db.query("update app_user set gone_at = now() where id = $1", Tuple.of(s.agent)).await().atMost(WAIT);
    }

    /**
     * The agent's claim of the conversation, in a claim's order: their account, a moment, then the
     * claim itself ({@code loket_claim}, which takes the conversation). Its outcome.
     */
    private CompletableFuture<String> claimAfterAMoment(UUID agent, UUID conversation) {
        return db.tx(tx -> UserRepository.lockAccount(tx, agent)
                        .onItem().delayIt().by(Duration.ofMillis(1500))
                        .chain(() -> tx.query("select outcome from loket_claim($1, null::text, $2, $3)",
                                Tuple.of(agent, conversation, db.node())))
                        .map(rows -> rows.iterator().next().getString("outcome")))
                .subscribeAsCompletionStage().toCompletableFuture();
    }

    /** The resident and the agent count as connected again, and the conversation is the agent's. */
    private void assertBack(Stalled s) {
        assertThat(count("select count(*) as n from presence where node_id = $1", Tuple.of(s.node))).as("the node's rows").isEqualTo(2);
        assertThat(count("select count(*) as n from conversation where id = $1 and resident_gone_at is null and state = 'active' "
                + "and assigned_agent = $2", Tuple.of(s.conversation, s.agent))).as("the conversation, claimed, its resident back").isEqualTo(1);
        assertThat(count("select count(*) as n from app_user where id = $1 and gone_at is null", Tuple.of(s.agent)))
                .as("the agent, back").isEqualTo(1);
    }

    private long count(String sql, Tuple args) {
        return db.query(sql, args).await().atMost(WAIT).iterator().next().getLong("n");
    }
}
