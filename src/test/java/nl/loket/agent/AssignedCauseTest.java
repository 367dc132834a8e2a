package nl.loket.agent;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.conversation.Conversations;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code assigned} (docs/protocol.md §5) says why the conversation came: {@code via} claim or
 * transfer on every socket of the agent, and the claim frame's {@code ref} on the socket that
 * claimed alone. Without them a console could not tell its own pending claim from a colleague's
 * transfer crossing it, nor a claim made in another tab from a transfer.
 */
@QuarkusTest
class AssignedCauseTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Conversations conversations;

    @Test
    void theClaimingSocketGetsItsRefTheAgentsOtherSocketOnlyTheCauseAndATransferSaysSo() {
        String topic = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent bram = Api.agent("Bram", List.of(topic), 3);
        String first = Api.start(topic, "Jan").getString("id");
        String second = Api.start(topic, "Piet").getString("id");

        try (WsClient tab1 = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient tab2 = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient b = WsClient.connect(base, "/ws/agent", bram.token())) {
            tab1.next("hello");
            tab2.next("hello");
            b.next("hello");

            // a claim of one conversation in the first tab
            tab1.send(frame("claim", "conversationId", first, "ref", "k1"));
            JsonObject claimed = tab1.next("assigned");
            assertThat(claimed.getJsonObject("conversation").getString("id")).isEqualTo(first);
            assertThat(claimed.getString("via")).isEqualTo("claim");
            assertThat(claimed.getString("ref")).isEqualTo("k1");
            JsonObject elsewhere = tab2.next("assigned");
            assertThat(elsewhere.getJsonObject("conversation").getString("id")).isEqualTo(first);
            assertThat(elsewhere.getString("via")).isEqualTo("claim");
            assertThat(elsewhere.containsKey("ref")).isFalse();

            // "the next" of all her topics, from the second tab
            tab2.send(frame("claim", "ref", "k2"));
            JsonObject next = tab2.next("assigned");
            assertThat(next.getJsonObject("conversation").getString("id")).isEqualTo(second);
            assertThat(next.getString("via")).isEqualTo("claim");
            assertThat(next.getString("ref")).isEqualTo("k2");
            JsonObject nextElsewhere = tab1.next("assigned");
            assertThat(nextElsewhere.getString("via")).isEqualTo("claim");
            assertThat(nextElsewhere.containsKey("ref")).isFalse();

            // Anne hands the first to Bram: a transfer, with no ref of anyone's
            tab1.send(frame("transfer", "conversationId", first, "agentId", bram.id(), "ref", "t1"));
            JsonObject handed = b.next("assigned");
            assertThat(handed.getJsonObject("conversation").getString("id")).isEqualTo(first);
            assertThat(handed.getString("via")).isEqualTo("transfer");
            assertThat(handed.containsKey("ref")).isFalse();
            assertThat(tab1.next("ended").getString("reason")).isEqualTo("transferred");
            assertThat(tab2.next("ended").getString("reason")).isEqualTo("transferred");

            // Bram sends it back to the queue and Anne takes it again: a claim once more
            b.send(frame("transfer", "conversationId", first, "topic", topic));
            b.next("ended");
            tab2.send(frame("claim", "conversationId", first, "ref", "k3"));
            JsonObject again = tab2.next(f -> "assigned".equals(f.getString("type"))
                    && first.equals(f.getJsonObject("conversation").getString("id")));
            assertThat(again.getString("via")).isEqualTo("claim");
            assertThat(again.getString("ref")).isEqualTo("k3");
            JsonObject againElsewhere = tab1.next(f -> "assigned".equals(f.getString("type"))
                    && first.equals(f.getJsonObject("conversation").getString("id")));
            assertThat(againElsewhere.getString("via")).isEqualTo("claim");
            assertThat(againElsewhere.containsKey("ref")).isFalse();
        }
    }

    /** A socket that missed the move (a notification lost, its listener back) reads the cause from the assignments. */
    @Test
    void theCauseReadFromTheAssignmentsTellsATransferFromAClaimAfterAQueue() {
        String topic = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent bram = Api.agent("Bram", List.of(topic), 3);
        String id = Api.start(topic, "Jan").getString("id");
        UUID conversation = UUID.fromString(id);

        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient b = WsClient.connect(base, "/ws/agent", bram.token())) {
            a.next("hello");
            b.next("hello");
            a.send(frame("claim", "conversationId", id));
            a.next("assigned");
            assertThat(handedOver(conversation, anne)).isFalse();

            a.send(frame("transfer", "conversationId", id, "agentId", bram.id()));
            b.next("assigned");
            assertThat(handedOver(conversation, bram)).isTrue();

            b.send(frame("transfer", "conversationId", id, "topic", topic));
            b.next("ended");
            a.send(frame("claim", "conversationId", id));
            a.next("assigned");
            assertThat(handedOver(conversation, anne)).isFalse();
        }
    }

    private boolean handedOver(UUID conversation, Api.Agent agent) {
        return conversations.handedOver(conversation, UUID.fromString(agent.id())).await().atMost(Duration.ofSeconds(10));
    }
}
