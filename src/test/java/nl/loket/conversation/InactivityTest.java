package nl.loket.conversation;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An active conversation in which neither side writes for {@code loket.grace.inactivity} is
 * closed with reason {@code timeout} (docs/protocol.md §1, §4, §5). Four seconds here instead of
 * thirty minutes.
 */
@QuarkusTest
@TestProfile(InactivityTest.ShortInactivity.class)
class InactivityTest {

    static final Duration INACTIVITY = Duration.ofSeconds(4);

    public static class ShortInactivity implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.grace.inactivity", INACTIVITY.toSeconds() + "s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aSilentConversationIsClosedForBothSidesAndATalkativeOneIsNot() throws InterruptedException {
        String topic = TestTopics.create();
        Api.Chat chat = Api.chat(base, topic, "Ilse", 3, "Kees");
        JsonObject started = chat.started();
        String id = chat.id();

        try (WsClient resident = chat.resident(); WsClient console = chat.console()) {

            // waiting in the queue is not inactivity: only active conversations time out
            Thread.sleep(INACTIVITY.plusSeconds(1).toMillis());
            assertThat(resident.frames("state")).allMatch(f -> "queued".equals(f.getString("state")));

            console.send(frame("claim", "topic", topic));
            assertThat(console.next("assigned").getJsonObject("conversation").getString("id")).isEqualTo(id);
            resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));

            // a message from either side every second keeps it open well past the inactivity period
            long lastMessageSeen = 0;
            for (int i = 1; i <= 6; i++) {
                if (i > 1) {
                    Thread.sleep(1000);
                }
                WsClient from = i % 2 == 0 ? console : resident;
                JsonObject message = i % 2 == 0
                        ? frame("message", "conversationId", id, "clientMsgId", "a-" + i, "text", "Antwoord " + i)
                        : frame("message", "clientMsgId", "r-" + i, "text", "Vraag " + i);
                from.send(message);
                String clientMsgId = message.getString("clientMsgId");
                resident.next(f -> clientMsgId.equals(f.getString("clientMsgId")));
                console.next(f -> clientMsgId.equals(f.getString("clientMsgId")));
                lastMessageSeen = System.nanoTime();
            }
            assertThat(console.frames("ended")).isEmpty();
            assertThat(resident.frames("state")).noneMatch(f -> "closed".equals(f.getString("state")));

            // then silence: both sides are told, the agent after the last system message
            JsonObject ended = console.next(f -> "ended".equals(f.getString("type")), Duration.ofSeconds(30));
            Duration silence = Duration.ofNanos(System.nanoTime() - lastMessageSeen);
            assertThat(ended.getString("conversationId")).isEqualTo(id);
            assertThat(ended.getString("reason")).isEqualTo("timeout");
            // measured from when both sides had the last message, a moment after it was stored
            assertThat(silence).isGreaterThanOrEqualTo(INACTIVITY.minusSeconds(1));

            JsonObject closed = resident.next(f -> "state".equals(f.getString("type")) && "closed".equals(f.getString("state")));
            assertThat(closed.getString("reason")).isEqualTo("timeout");
            JsonObject told = resident.next("message");
            assertThat(told.getString("from")).isEqualTo("system");
            assertThat(told.getString("text")).startsWith("Het gesprek is gesloten omdat er");
            List<JsonObject> agentSaw = console.frames().stream()
                    .filter(f -> "message".equals(f.getString("type")) && "system".equals(f.getString("from"))).toList();
            assertThat(agentSaw).extracting(f -> f.getInteger("seq")).containsExactly(told.getInteger("seq"));
            assertThat(console.frames().indexOf(agentSaw.get(0))).isLessThan(console.frames().indexOf(ended));

            // the resident can write no more; the conversation reads closed by timeout
            resident.send(frame("message", "clientMsgId", "r-late", "text", "Hallo?"));
            assertThat(resident.next("error").getString("code")).isEqualTo("conversation_ended");
            JsonObject conversation = Api.transcript(started).getJsonObject("conversation");
            assertThat(conversation.getString("state")).isEqualTo("closed");
            assertThat(conversation.getString("closeReason")).isEqualTo("timeout");
        }
    }
}
