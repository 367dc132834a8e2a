package nl.loket.agent;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's board lists topics in the order the administrator gave them (not by id), for an
 * agent and for a team lead; and an agent who stops typing a reply (the console switched to an
 * internal note) makes the resident's "… typt" go at once.
 */
@QuarkusTest
class BoardOrderAndTypingStopTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    private String topic(String prefix, int sortOrder) {
        String id = prefix + UUID.randomUUID().toString().substring(0, 8);
        db.query("insert into topic (id, name_nl, name_en, sort_order, opening_hours) values ($1, $2, $3, $4, '{}')",
                Tuple.of(id, "Test " + id, "Test " + id, sortOrder)).await().atMost(Duration.ofSeconds(10));
        return id;
    }

    private static List<String> ids(JsonObject frame) {
        return frame.getJsonArray("topics").stream().map(t -> ((JsonObject) t).getString("id")).toList();
    }

    @Test
    void theBoardFollowsTheAdministratorsOrderNotTheIds() {
        // by id "a…" comes before "z…"; the administrator put "z…" first
        String first = topic("z-order-", -20);
        String second = topic("a-order-", -10);
        Api.Agent anne = Api.agent("Anne", List.of(second, first), 3);
        Api.Agent sara = Api.user("Sara", List.of("supervisor"), List.of(second), 3);
        try (WsClient agent = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient lead = WsClient.connect(base, "/ws/agent", sara.token())) {
            agent.next("hello");
            assertThat(ids(agent.next("queues"))).containsExactly(first, second);
            assertThat(ids(agent.next("callbacks"))).containsExactly(first, second);
            lead.next("hello");
            List<String> all = ids(lead.next("queues"));
            assertThat(all.indexOf(first)).isNotNegative().isLessThan(all.indexOf(second));
            // the whole board in the administrator's order: what GET /api/v1/admin/topics lists
            List<String> configured = new JsonObject("{\"t\":" + io.restassured.RestAssured.given().auth().oauth2(Api.adminToken())
                    .get("/api/v1/admin/topics").then().statusCode(200).extract().asString() + "}").getJsonArray("t").stream()
                    .map(t -> ((JsonObject) t).getString("id")).filter(all::contains).toList();
            assertThat(all).containsExactlyElementsOf(configured);
        }
    }

    @Test
    void typingStoppedTakesTheTypingIndicatorAwayAtOnce() {
        String topic = topic("t-stop-", 100);
        Api.Chat chat = Api.chatAgentFirst(base, topic, "Anne", 3, "Jan");
        String id = chat.id();
        try (WsClient agent = chat.console(); WsClient resident = chat.resident()) {
            agent.send(frame("claim", "conversationId", id));
            agent.next("assigned");
            resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));

            agent.send(frame("typing", "conversationId", id));
            assertThat(resident.next("typing").getString("from")).isEqualTo("agent");
            agent.send(frame("typing_stopped", "conversationId", id, "ref", "stop-1"));
            assertThat(resident.next("typing_stopped").getString("from")).isEqualTo("agent");
            assertThat(agent.frames("error")).isEmpty();
        }
        // only the holder may say so
        Api.Agent bram = Api.agent("Bram", List.of(topic), 3);
        try (WsClient other = WsClient.connect(base, "/ws/agent", bram.token())) {
            other.next("hello");
            other.send(frame("typing_stopped", "conversationId", id, "ref", "stop-2"));
            JsonObject error = other.next("error");
            assertThat(error.getString("code")).isEqualTo("not_assigned");
            assertThat(error.getString("ref")).isEqualTo("stop-2");
        }
    }
}
