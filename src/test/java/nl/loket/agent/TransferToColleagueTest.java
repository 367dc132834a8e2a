package nl.loket.agent;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.conversation.Conversations;
import nl.loket.platform.Db;
import nl.loket.user.UserRepository;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code {"type":"transfer","conversationId","agentId"}} (docs/protocol.md §5): straight to a
 * colleague who is online, available and has a free slot; anyone else is {@code agent_unavailable}
 * and the conversation stays where it was.
 */
@QuarkusTest
class TransferToColleagueTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Conversations conversations;

    /**
     * A claim takes the claimer's account, then the conversation. A transfer to that colleague of
     * the conversation they are claiming (from a board not yet updated) took them the other way
     * round: each waited for the other, and PostgreSQL ended one as a deadlock.
     */
    @Test
    void aTransferAndTheColleaguesClaimOfTheSameConversationDoNotDeadlock() throws Exception {
        String topic = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent bram = Api.agent("Bram", List.of(topic), 3);
        String id = Api.start(topic, "Jan").getString("id");
        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient b = WsClient.connect(base, "/ws/agent", bram.token())) {
            a.next("hello");
            b.next("hello");
            a.send(frame("claim", "conversationId", id));
            a.next("assigned");

            // Bram's claim, in a claim's order: his account, a moment, then the conversation
            CompletableFuture<Void> claim = db.tx(tx -> UserRepository.lockAccount(tx, UUID.fromString(bram.id()))
                            .onItem().delayIt().by(Duration.ofMillis(1500))
                            .chain(() -> tx.query("select 1 from conversation where id = $1 for update", Tuple.of(UUID.fromString(id))))
                            .replaceWithVoid())
                    .subscribeAsCompletionStage().toCompletableFuture();
            Thread.sleep(300);
            // meanwhile Anne transfers it to him
            CompletableFuture<Void> transfer = conversations.transferToAgent(UUID.fromString(anne.id()), UUID.fromString(id),
                    UUID.fromString(bram.id())).subscribeAsCompletionStage().toCompletableFuture();

            claim.get(20, TimeUnit.SECONDS); // threw a deadlock (40P01) when the transfer held the conversation
            transfer.get(20, TimeUnit.SECONDS);
            assertThat(b.next("assigned").getJsonObject("conversation").getString("id")).isEqualTo(id);
        }
    }

    @Test
    void theColleagueGetsTheConversationWithItsHistoryAndTheResidentIsTold() {
        String topic = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent bram = Api.agent("Bram", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Jan");
        String id = started.getString("id");

        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient b = WsClient.connect(base, "/ws/agent", bram.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            a.next("hello");
            b.next("hello");
            resident.next("state");
            a.send(frame("claim", "conversationId", id));
            a.next("assigned");
            resident.next(f -> "state".equals(f.getString("type")) && "Anne".equals(f.getString("agentName")));
            resident.send(frame("message", "clientMsgId", "m-1", "text", "Ik ben verhuisd naar het buitenland."));
            a.next(f -> "m-1".equals(f.getString("clientMsgId")));
            a.send(frame("note", "conversationId", id, "clientMsgId", "n-1", "text", "Voor Bram: emigratie"));
            a.next(f -> "n-1".equals(f.getString("clientMsgId")));

            a.send(frame("transfer", "conversationId", id, "agentId", bram.id(), "ref", "t1"));

            JsonObject ended = a.next("ended");
            assertThat(ended.getString("conversationId")).isEqualTo(id);
            assertThat(ended.getString("reason")).isEqualTo("transferred");

            JsonObject assigned = b.next("assigned").getJsonObject("conversation");
            assertThat(assigned.getString("id")).isEqualTo(id);
            assertThat(assigned.getString("state")).isEqualTo("active");
            assertThat(assigned.getString("residentName")).isEqualTo("Jan");
            assertThat(assigned.getBoolean("residentOnline")).isTrue();
            JsonArray history = assigned.getJsonArray("messages");
            assertThat(history.stream().map(m -> ((JsonObject) m).getString("from"))).containsExactly("resident", "note", "system");
            assertThat(history.getJsonObject(0).getString("text")).isEqualTo("Ik ben verhuisd naar het buitenland.");
            assertThat(history.getJsonObject(1).getString("text")).isEqualTo("Voor Bram: emigratie");
            assertThat(history.getJsonObject(2).getString("text")).isEqualTo("U wordt doorverbonden met Bram.");

            // the resident hears who took over (the new state, then the system message), and never the note
            JsonObject state = resident.next(f -> "state".equals(f.getString("type")) && "Bram".equals(f.getString("agentName")));
            assertThat(state.getString("state")).isEqualTo("active");
            JsonObject told = resident.next("message");
            assertThat(told.getString("from")).isEqualTo("system");
            assertThat(told.getString("text")).isEqualTo("U wordt doorverbonden met Bram.");
            assertThat(resident.frames("message")).noneMatch(f -> "note".equals(f.getString("from")));

            // Bram writes and is heard; Anne is out of it
            b.send(frame("message", "conversationId", id, "clientMsgId", "b-1", "text", "Ik help u verder."));
            JsonObject fromBram = resident.next(f -> "b-1".equals(f.getString("clientMsgId")));
            assertThat(fromBram.getString("agentName")).isEqualTo("Bram");
            a.send(frame("message", "conversationId", id, "clientMsgId", "a-9", "text", "Nog iets", "ref", "late"));
            JsonObject refused = a.next("error");
            assertThat(refused.getString("code")).isEqualTo("not_assigned");
            assertThat(refused.getString("ref")).isEqualTo("late");
        }
    }

    @Test
    void aColleagueWhoIsOfflineAwayFullOrUnknownIsRefusedAndNothingMoves() {
        String topic = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent offline = Api.agent("Olaf", List.of(topic), 3);
        Api.Agent away = Api.agent("Ada", List.of(topic), 3);
        Api.Agent full = Api.agent("Fleur", List.of(topic), 1);
        JsonObject started = Api.start(topic, "Jan");
        JsonObject other = Api.start(topic, "Piet");
        String id = started.getString("id");

        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient awayWs = WsClient.connect(base, "/ws/agent", away.token());
             WsClient fullWs = WsClient.connect(base, "/ws/agent", full.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            a.next("hello");
            awayWs.next("hello");
            fullWs.next("hello");
            resident.next("state");
            awayWs.send(frame("status", "status", "away"));
            fullWs.send(frame("claim", "conversationId", other.getString("id")));
            fullWs.next("assigned");
            a.send(frame("claim", "conversationId", id));
            a.next("assigned");
            // what a supervisor sees: Ada away, Fleur full, Olaf offline
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                List<Map<String, Object>> agents = given().auth().oauth2(anne.token()).get("/api/v1/agents")
                        .then().statusCode(200).extract().jsonPath().getList("$");
                Map<String, Map<String, Object>> byId = new HashMap<>();
                agents.forEach(x -> byId.put((String) x.get("id"), x));
                assertThat(byId.get(away.id())).containsEntry("status", "away");
                assertThat(byId.get(full.id())).containsEntry("status", "available").containsEntry("openConversations", 1);
                assertThat(byId.get(offline.id())).containsEntry("status", "offline");
            });

            for (String[] colleague : new String[][] {
                    {offline.id(), "offline"}, {away.id(), "away"}, {full.id(), "full"},
                    {anne.id(), "self"}, {UUID.randomUUID().toString(), "unknown"}}) {
                a.send(frame("transfer", "conversationId", id, "agentId", colleague[0], "ref", colleague[1]));
                JsonObject error = a.next("error");
                assertThat(error.getString("ref")).isEqualTo(colleague[1]);
                assertThat(error.getString("code")).as(colleague[1]).isEqualTo("agent_unavailable");
                assertThat(error.getString("message")).isNotBlank();
            }
            // naming both a topic and a colleague is a bad frame
            a.send(frame("transfer", "conversationId", id, "agentId", away.id(), "topic", topic, "ref", "both"));
            JsonObject bad = a.next("error");
            assertThat(bad.getString("ref")).isEqualTo("both");
            assertThat(bad.getString("code")).isEqualTo("bad_request");

            // the conversation is still Anne's, and the resident heard of none of it
            a.send(frame("message", "conversationId", id, "clientMsgId", "a-1", "text", "Ik blijf bij u."));
            assertThat(resident.next("message").getString("clientMsgId")).isEqualTo("a-1");
            assertThat(resident.frames("message")).noneMatch(f -> "system".equals(f.getString("from")));
            assertThat(a.frames("ended")).isEmpty();
            assertThat(awayWs.frames("assigned")).isEmpty();
            assertThat(fullWs.frames("assigned")).hasSize(1);
        }
    }

    @Test
    void aColleagueWhoDoesNotServeTheTopicIsRefusedWithTopicNotAllowedWhateverTheirStatus() {
        String topic = TestTopics.create();
        String elsewhere = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent online = Api.agent("Otto", List.of(elsewhere), 3);
        Api.Agent offline = Api.agent("Olaf", List.of(elsewhere), 3);
        JsonObject started = Api.start(topic, "Jan");
        String id = started.getString("id");

        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient o = WsClient.connect(base, "/ws/agent", online.token())) {
            a.next("hello");
            o.next("hello");
            a.send(frame("claim", "conversationId", id));
            a.next("assigned");
            for (String[] colleague : new String[][] {{online.id(), "online"}, {offline.id(), "offline"}}) {
                a.send(frame("transfer", "conversationId", id, "agentId", colleague[0], "ref", colleague[1]));
                JsonObject error = a.next("error");
                assertThat(error.getString("ref")).isEqualTo(colleague[1]);
                assertThat(error.getString("code")).as(colleague[1]).isEqualTo("topic_not_allowed");
            }
            assertThat(a.frames("ended")).isEmpty();
            assertThat(o.frames("assigned")).isEmpty();
        }
    }
}
