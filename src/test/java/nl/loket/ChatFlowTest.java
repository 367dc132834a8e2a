package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** The whole loop of docs/protocol.md §6: start, queue, claim, chat both ways, resume, transfer, close. */
@QuarkusTest
class ChatFlowTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void residentAndAgentChatFromQueueToClose() {
        String topic = TestTopics.create(db);
        String other = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent bram = Api.agent("Bram", List.of(other), 3);

        try (WsClient agentA = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient agentB = WsClient.connect(base, "/ws/agent", bram.token())) {
            JsonObject hello = agentA.next("hello");
            assertThat(hello.getJsonObject("agent").getString("name")).isEqualTo("Anne");
            assertThat(hello.getJsonObject("agent").getString("status")).isEqualTo("available");
            assertThat(hello.getJsonArray("conversations")).isEmpty();
            agentA.next("queues");
            agentB.next("hello");

            // a resident starts, and is first in the queue with an estimate (one agent, three free slots)
            JsonObject started = Api.start(topic, "Jan");
            String id = started.getString("id");
            assertThat(started.getString("state")).isEqualTo("queued");
            assertThat(started.getInteger("position")).isEqualTo(1);
            assertThat(started.getInteger("estimatedWaitSeconds")).isEqualTo(0);

            // the board shows the arrival to the agent
            agentA.next(f -> "queues".equals(f.getString("type"))
                    && f.getJsonArray("topics").getJsonObject(0).getInteger("waiting") == 1);

            String queuedAt;
            try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
                JsonObject state = resident.next("state");
                assertThat(state.getString("state")).isEqualTo("queued");
                assertThat(state.getInteger("position")).isEqualTo(1);

                // a second resident queues behind; the first one's position stays 1
                JsonObject second = Api.start(topic, null);
                try (WsClient resident2 = WsClient.connect(base, "/ws/resident/" + second.getString("id"), second.getString("token"))) {
                    assertThat(resident2.next("state").getInteger("position")).isEqualTo(2);

                    resident.send(frame("message", "clientMsgId", "m-1", "text", "  Mijn paspoort is verlopen  "));
                    JsonObject ack = resident.next("message");
                    assertThat(ack.getInteger("seq")).isEqualTo(1);
                    assertThat(ack.getString("text")).isEqualTo("Mijn paspoort is verlopen");
                    assertThat(ack.getString("clientMsgId")).isEqualTo("m-1");
                    assertThat(ack.getString("from")).isEqualTo("resident");

                    // the agent claims the next of their topics and gets the history inside the assignment
                    agentA.send(frame("claim", "ref", "r1"));
                    JsonObject assigned = agentA.next("assigned").getJsonObject("conversation");
                    assertThat(assigned.getString("id")).isEqualTo(id);
                    assertThat(assigned.getString("residentName")).isEqualTo("Jan");
                    assertThat(assigned.getBoolean("residentOnline")).isTrue();
                    assertThat(assigned.getJsonArray("messages")).hasSize(1);
                    queuedAt = assigned.getString("queuedAt");

                    JsonObject active = resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));
                    assertThat(active.getString("agentName")).isEqualTo("Anne");
                    // the resident behind moves up
                    resident2.next(f -> "state".equals(f.getString("type")) && Integer.valueOf(1).equals(f.getInteger("position")));

                    // messages both ways, in order
                    agentA.send(frame("message", "conversationId", id, "clientMsgId", "a-1", "text", "U kunt online een afspraak maken."));
                    JsonObject fromAgent = resident.next("message");
                    assertThat(fromAgent.getInteger("seq")).isEqualTo(2);
                    assertThat(fromAgent.getString("from")).isEqualTo("agent");
                    assertThat(fromAgent.getString("agentName")).isEqualTo("Anne");
                    assertThat(agentA.next("message").getString("clientMsgId")).isEqualTo("a-1");

                    // an internal note: the agent sees it, the resident never does
                    agentA.send(frame("note", "conversationId", id, "clientMsgId", "n-1", "text", "Klant is vriendelijk"));
                    JsonObject note = agentA.next("message");
                    assertThat(note.getString("from")).isEqualTo("note");
                    assertThat(note.getInteger("seq")).isEqualTo(3);

                    for (int i = 2; i <= 6; i++) {
                        resident.send(frame("message", "clientMsgId", "m-" + i, "text", "bericht " + i));
                    }
                    for (int i = 2; i <= 6; i++) {
                        JsonObject m = agentA.next("message");
                        assertThat(m.getString("text")).isEqualTo("bericht " + i);
                        assertThat(m.getString("conversationId")).isEqualTo(id);
                    }
                    for (int i = 2; i <= 6; i++) {
                        resident.next("message");
                    }
                    // a repeated clientMsgId stores nothing and answers with the original
                    resident.send(frame("message", "clientMsgId", "m-2", "text", "bericht 2 (opnieuw)"));
                    JsonObject repeat = resident.next("message");
                    assertThat(repeat.getInteger("seq")).isEqualTo(4);
                    assertThat(repeat.getString("text")).isEqualTo("bericht 2");
                    assertThat(count(id)).isEqualTo(8);
                    assertThat(resident.frames("message")).noneMatch(f -> "note".equals(f.getString("from")));
                }

                // the resident's connection drops; meanwhile the agent writes twice
                int lastSeen = resident.frames("message").stream().mapToInt(f -> f.getInteger("seq")).max().orElseThrow();
                resident.close();
                agentA.next(f -> "presence".equals(f.getString("type")) && !f.getBoolean("residentOnline"));
                agentA.send(frame("message", "conversationId", id, "clientMsgId", "a-2", "text", "Bent u er nog?"));
                agentA.send(frame("message", "conversationId", id, "clientMsgId", "a-3", "text", "Ik wacht even."));
                agentA.next(f -> "a-3".equals(f.getString("clientMsgId")));

                try (WsClient back = WsClient.connect(base, "/ws/resident/" + id + "?after=" + lastSeen, started.getString("token"))) {
                    assertThat(back.next("state").getString("state")).isEqualTo("active");
                    JsonObject m1 = back.next("message");
                    JsonObject m2 = back.next("message");
                    assertThat(List.of(m1.getString("text"), m2.getString("text"))).containsExactly("Bent u er nog?", "Ik wacht even.");
                    agentA.next(f -> "presence".equals(f.getString("type")) && f.getBoolean("residentOnline"));

                    // transfer to another topic keeps queuedAt; the resident is told and queued again
                    agentA.send(frame("transfer", "conversationId", id, "topic", other, "ref", "t1"));
                    assertThat(agentA.next("ended").getString("reason")).isEqualTo("transferred");
                    JsonObject requeued = back.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")));
                    assertThat(requeued.getInteger("position")).isEqualTo(1);
                    JsonObject system = back.next("message");
                    assertThat(system.getString("from")).isEqualTo("system");
                    assertThat(system.getString("text")).contains("doorverbonden");

                    // the other agent claims it, with history and the note
                    agentB.send(frame("claim", "topic", other));
                    JsonObject again = agentB.next("assigned").getJsonObject("conversation");
                    assertThat(again.getString("queuedAt")).isEqualTo(queuedAt);
                    assertThat(again.getString("topic")).isEqualTo(other);
                    assertThat(again.getJsonArray("messages").stream().map(o -> ((JsonObject) o).getString("from")))
                            .contains("note", "system", "agent", "resident");

                    // anne can no longer write in it
                    agentA.send(frame("message", "conversationId", id, "clientMsgId", "a-4", "text", "nog iets", "ref", "x9"));
                    JsonObject refused = agentA.next("error");
                    assertThat(refused.getString("code")).isEqualTo("not_assigned");
                    assertThat(refused.getString("ref")).isEqualTo("x9");

                    agentB.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "Verwezen naar online afspraak"));
                    assertThat(agentB.next("ended").getString("reason")).isEqualTo("closed");
                    JsonObject closed = back.next(f -> "state".equals(f.getString("type")) && "closed".equals(f.getString("state")));
                    assertThat(closed.getString("reason")).isEqualTo("closed");
                    JsonObject bye = back.next("message");
                    assertThat(bye.getString("from")).isEqualTo("system");
                    assertThat(bye.getString("text")).startsWith("Het gesprek is afgesloten");
                }
            }
        }
    }

    private int count(String conversationId) {
        return db.query("select count(*) as n from message where conversation_id = $1::uuid",
                        io.vertx.mutiny.sqlclient.Tuple.of(conversationId))
                .map(r -> r.iterator().next().getLong("n").intValue()).await().indefinitely();
    }
}
