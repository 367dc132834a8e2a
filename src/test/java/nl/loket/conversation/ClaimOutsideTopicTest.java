package nl.loket.conversation;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An agent who does not serve a conversation's topic learns nothing about it by trying to claim
 * it: waiting, taken by a colleague or closed, the answer is the same (topic_not_allowed), and
 * the conversation is left as it was. Before, only a waiting one answered topic_not_allowed; a
 * taken or closed one answered already_claimed, which told the agent its state.
 */
@QuarkusTest
class ClaimOutsideTopicTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void anAgentOfAnotherTopicHearsTheSameWhateverTheConversationsStateAndNothingMoves() {
        String topicA = TestTopics.create(db);
        String topicB = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topicA), 3);
        Api.Agent bram = Api.agent("Bram", List.of(topicB), 3);
        String waiting = Api.start(topicB, "Jan").getString("id");
        String taken = Api.start(topicB, "Piet").getString("id");
        String closed = Api.start(topicB, "Kees").getString("id");
        try (WsClient b = WsClient.connect(base, "/ws/agent", bram.token())) {
            b.next("hello");
            for (String id : List.of(taken, closed)) {
                b.send(frame("claim", "conversationId", id));
                b.next(f -> "assigned".equals(f.getString("type")) && id.equals(f.getJsonObject("conversation").getString("id")));
            }
            b.send(frame("close", "conversationId", closed, "outcome", "answered"));
            b.next(f -> "ended".equals(f.getString("type")) && closed.equals(f.getString("conversationId")));
        }
        Map<String, String> before = rows(List.of(waiting, taken, closed));
        assertThat(before.values()).anyMatch(r -> r.startsWith("queued|")).anyMatch(r -> r.startsWith("active|"))
                .anyMatch(r -> r.startsWith("closed|"));

        try (WsClient a = WsClient.connect(base, "/ws/agent", anne.token())) {
            a.next("hello");
            List<JsonObject> answers = new java.util.ArrayList<>();
            for (String id : List.of(waiting, taken, closed)) {
                a.send(frame("claim", "conversationId", id, "ref", id));
                JsonObject answer = a.next(f -> "assigned".equals(f.getString("type"))
                        || ("error".equals(f.getString("type")) && id.equals(f.getString("ref"))));
                answers.add(answer.copy().put("ref", null));
            }
            // one answer for all three: the agent cannot tell a waiting conversation from a taken or a closed one
            assertThat(answers).allSatisfy(answer -> {
                assertThat(answer.getString("type")).isEqualTo("error");
                assertThat(answer.getString("code")).isEqualTo("topic_not_allowed");
            });
            assertThat(answers.get(1)).isEqualTo(answers.get(0));
            assertThat(answers.get(2)).isEqualTo(answers.get(0));
        }
        // and none of them changed: not its state, not its agent, not its version
        assertThat(rows(List.of(waiting, taken, closed))).isEqualTo(before);
    }

    /** Each conversation's state, agent, version and last change, by id. */
    private Map<String, String> rows(List<String> ids) {
        Map<String, String> out = new TreeMap<>();
        for (Row r : db.query("select id, state, assigned_agent, version, updated_at from conversation where id = any($1)",
                Tuple.of(ids.stream().map(UUID::fromString).toArray(UUID[]::new))).await().atMost(Duration.ofSeconds(10))) {
            out.put(r.getUUID("id").toString(), r.getString("state") + "|" + r.getUUID("assigned_agent") + "|" + r.getLong("version")
                    + "|" + r.getOffsetDateTime("updated_at"));
        }
        assertThat(out).hasSize(ids.size());
        return out;
    }
}
