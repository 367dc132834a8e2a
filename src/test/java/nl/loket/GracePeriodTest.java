package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Grace periods (3 s in the test profile): connections may drop; places and conversations survive them. */
@QuarkusTest
class GracePeriodTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void anAgentWhoComesBackInTimeKeepsTheirConversations() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Ria", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Sem");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            WsClient first = WsClient.connect(base, "/ws/agent", agent.token());
            first.next("hello");
            first.send(frame("claim"));
            first.next("assigned");
            first.close();

            try (WsClient again = WsClient.connect(base, "/ws/agent", agent.token())) {
                JsonObject hello = again.next("hello");
                assertThat(hello.getJsonArray("conversations")).hasSize(1);
                assertThat(hello.getJsonArray("conversations").getJsonObject(0).getString("id")).isEqualTo(started.getString("id"));
                sleep(Duration.ofSeconds(5));
                assertThat(state(started.getString("id"))).isEqualTo("active");
                again.send(frame("message", "conversationId", started.getString("id"), "clientMsgId", "x", "text", "Daar ben ik weer"));
                assertThat(resident.next("message").getString("text")).isEqualTo("Daar ben ik weer");
            }
        }
    }

    @Test
    void anAgentGoneTooLongLosesTheConversationToTheFrontOfTheQueueOnce() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Joop", List.of(topic), 3);
        JsonObject early = Api.start(topic, "Eerst");
        String id = early.getString("id");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, early.getString("token"))) {
            resident.next("state");
            WsClient ws = WsClient.connect(base, "/ws/agent", agent.token());
            ws.next("hello");
            ws.send(frame("claim"));
            ws.next("assigned");
            resident.next(f -> "active".equals(f.getString("state")));
            JsonObject later = Api.start(topic, "Later");
            try (WsClient resident2 = WsClient.connect(base, "/ws/resident/" + later.getString("id"), later.getString("token"))) {
                resident2.next("state");
                ws.close();

                // back in the queue, ahead of the resident who came later, and told why
                JsonObject queued = resident.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")));
                assertThat(queued.getInteger("position")).isEqualTo(1);
                JsonObject system = resident.next("message");
                assertThat(system.getString("from")).isEqualTo("system");
                assertThat(system.getString("text")).contains("niet meer bereikbaar");
                resident2.next(f -> "state".equals(f.getString("type")) && Integer.valueOf(2).equals(f.getInteger("position")));

                sleep(Duration.ofSeconds(4));
                // exactly one requeue: one system message, one ended assignment
                assertThat(count("select count(*) as n from message where conversation_id = $1 and sender = 'system'", id)).isEqualTo(1);
                assertThat(count("select count(*) as n from assignment where conversation_id = $1 and end_reason = 'agent_gone'", id)).isEqualTo(1);
                assertThat(state(id)).isEqualTo("queued");
            }
        }
    }

    @Test
    void aQueuedResidentGoneTooLongIsAbandonedAndOneWhoReturnsKeepsTheirPlace() {
        String topic = TestTopics.create(db);
        JsonObject gone = Api.start(topic, null);
        JsonObject returning = Api.start(topic, null);
        WsClient.connect(base, "/ws/resident/" + gone.getString("id"), gone.getString("token")).close();
        WsClient first = WsClient.connect(base, "/ws/resident/" + returning.getString("id"), returning.getString("token"));
        assertThat(first.next("state").getInteger("position")).isEqualTo(2);
        first.close();
        sleep(Duration.ofSeconds(1));
        try (WsClient back = WsClient.connect(base, "/ws/resident/" + returning.getString("id"), returning.getString("token"))) {
            back.next("state");
            await().atMost(Duration.ofSeconds(10)).until(() -> "abandoned".equals(state(gone.getString("id"))));
            // the abandoned one left the queue: the returning resident moves up
            back.next(f -> "state".equals(f.getString("type")) && Integer.valueOf(1).equals(f.getInteger("position")));
            assertThat(state(returning.getString("id"))).isEqualTo("queued");
        }
    }

    @Test
    void aResidentWhoNeverConnectsIsAbandoned() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        await().atMost(Duration.ofSeconds(10)).until(() -> "abandoned".equals(state(started.getString("id"))));
    }

    private String state(String id) {
        return db.query("select state from conversation where id = $1::uuid", Tuple.of(id))
                .map(r -> r.iterator().next().getString("state")).await().indefinitely();
    }

    private long count(String sql, String id) {
        return db.query(sql.replace("$1", "$1::uuid"), Tuple.of(id)).map(r -> r.iterator().next().getLong("n")).await().indefinitely();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
