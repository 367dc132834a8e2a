package nl.loket.events;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code conversation.*} domain events (docs/protocol.md §9): one per committed move, in the
 * order of the moves, with the conversation, topic and agent ids and nothing personal; a move
 * that is refused leaves none. Read from the default in-process consumer, which is what the
 * service logs.
 */
@QuarkusTest
class ConversationEventsTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    EventLog events;

    @Test
    void everyMoveLeavesOneEventAndARefusedMoveNone() {
        String topic = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent bram = Api.agent("Bram", List.of(topic), 3);
        Api.Agent olaf = Api.agent("Olaf", List.of(topic), 3);
        JsonObject served = Api.start(topic, "Jan Jansen");
        JsonObject gaveUp = Api.start(topic, "Piet Pietersen");
        String id = served.getString("id");

        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient b = WsClient.connect(base, "/ws/agent", bram.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + gaveUp.getString("id"), gaveUp.getString("token"))) {
            a.next("hello");
            b.next("hello");
            resident.next("state");

            a.send(frame("claim", "conversationId", id));
            a.next("assigned");

            // refused: someone else's conversation, one taken already, a colleague who is offline
            b.send(frame("close", "conversationId", id, "outcome", "answered", "ref", "r1"));
            assertThat(b.next("error").getString("code")).isEqualTo("not_assigned");
            b.send(frame("claim", "conversationId", id, "ref", "r2"));
            assertThat(b.next("error").getString("code")).isEqualTo("already_claimed");
            a.send(frame("transfer", "conversationId", id, "agentId", olaf.id(), "ref", "r3"));
            assertThat(a.next("error").getString("code")).isEqualTo("agent_unavailable");

            a.send(frame("transfer", "conversationId", id, "agentId", bram.id()));
            b.next("assigned");
            b.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "Uitgelegd"));
            b.next("ended");
            resident.send(frame("leave"));
            resident.next(f -> "abandoned".equals(f.getString("state")));

            await().atMost(Duration.ofSeconds(15)).until(() -> of(id).size() >= 4 && of(gaveUp.getString("id")).size() >= 2);
            List<JsonObject> servedEvents = of(id);
            assertThat(servedEvents).extracting(e -> e.getString("type"))
                    .containsExactly("conversation.queued", "conversation.assigned", "conversation.assigned", "conversation.closed");
            assertThat(servedEvents).extracting(e -> e.getJsonObject("data").getString("agentId"))
                    .containsExactly(null, anne.id(), bram.id(), bram.id());
            List<JsonObject> gaveUpEvents = of(gaveUp.getString("id"));
            assertThat(gaveUpEvents).extracting(e -> e.getString("type"))
                    .containsExactly("conversation.queued", "conversation.abandoned");
            assertThat(gaveUpEvents).extracting(e -> e.getJsonObject("data").getString("agentId")).containsOnlyNulls();

            for (JsonObject e : concat(servedEvents, gaveUpEvents)) {
                assertThat(e.getJsonObject("data").getString("topic")).isEqualTo(topic);
                // ids only: no names, texts or summaries travel to other systems
                assertThat(e.getJsonObject("data").fieldNames()).isSubsetOf(Set.of("conversationId", "topic", "agentId"));
                assertThat(e.getLong("id")).isPositive();
                assertThat(Instant.parse(e.getString("occurredAt"))).isBefore(Instant.now().plusSeconds(1));
            }
            assertThat(concat(servedEvents, gaveUpEvents)).extracting(e -> e.getLong("id")).doesNotHaveDuplicates();
        }
    }

    /**
     * An agent's hand-off to a callback closes a conversation the agent held: its
     * {@code conversation.closed} names the agent as every other close by an agent does
     * (docs/events.md: {@code agentId} when there was one). It used to leave the agent out, so a
     * CRM could not tell who handed it off.
     */
    @Test
    void anAgentsHandOffToACallbackNamesTheAgent() {
        String topic = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        String id = Api.start(topic, "Jan Jansen").getString("id");
        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token())) {
            a.next("hello");
            a.send(frame("claim", "conversationId", id));
            a.next("assigned");
            a.send(frame("callback", "conversationId", id, "phone", "0612345678"));
            a.next("ended");
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> of(id).stream().anyMatch(e -> "conversation.closed".equals(e.getString("type"))));
        JsonObject closed = of(id).stream().filter(e -> "conversation.closed".equals(e.getString("type"))).findFirst().orElseThrow();
        assertThat(closed.getJsonObject("data").getString("state")).isEqualTo("callback");
        assertThat(closed.getJsonObject("data").getString("callbackId")).isNotBlank();
        assertThat(closed.getJsonObject("data").getString("agentId")).isEqualTo(anne.id());
        assertThat(closed.getJsonObject("data").fieldNames())
                .containsExactlyInAnyOrder("conversationId", "topic", "agentId", "state", "callbackId");
    }

    private List<JsonObject> of(String conversationId) {
        return events.recent().stream()
                .filter(e -> e.getString("type").startsWith("conversation."))
                .filter(e -> conversationId.equals(e.getJsonObject("data").getString("conversationId")))
                .toList();
    }

    private static List<JsonObject> concat(List<JsonObject> a, List<JsonObject> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
