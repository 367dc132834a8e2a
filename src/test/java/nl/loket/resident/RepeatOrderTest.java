package nl.loket.resident;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resident whose socket dropped before the answer to their message came reconnects and sends
 * it again at once, as the widget does. The answer to the repeat (the stored message) used to
 * go out directly and overtook the reconnect's opening read: the later message before the state
 * frame and the earlier message (found in review: in 6 of 8 rounds), and a client that resumes
 * after the highest seq it has seen would then miss the earlier one for good.
 */
@QuarkusTest
class RepeatOrderTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void theAnswerToAResentMessageComesInItsTurn() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Ria", List.of(topic), 20);
        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token())) {
            console.next("hello");
            for (int round = 0; round < 6; round++) {
                int r = round;
                JsonObject started = Api.start(topic, "Els");
                String id = started.getString("id");
                String path = "/ws/resident/" + id;
                try (WsClient first = WsClient.connect(base, path, started.getString("token"))) {
                    first.next("state");
                    console.send(frame("claim", "conversationId", id));
                    console.next("assigned");
                    console.send(frame("message", "conversationId", id, "clientMsgId", "a-" + r, "text", "Goedemiddag"));
                    first.next(f -> "message".equals(f.getString("type")) && "agent".equals(f.getString("from")));
                    first.send(frame("message", "clientMsgId", "m-" + r, "text", "Hallo"));
                    first.next(f -> "message".equals(f.getString("type")) && "resident".equals(f.getString("from")));
                }
                // the answer was lost with the socket: reconnect as if nothing was heard, and send again at once
                try (WsClient again = WsClient.connect(base, path + "?after=0", started.getString("token"))) {
                    again.send(frame("message", "clientMsgId", "m-" + r, "text", "Hallo"));
                    await().until(() -> again.frames("message").stream().anyMatch(f -> ("m-" + r).equals(f.getString("clientMsgId"))));
                    List<String> order = again.frames().stream()
                            .map(f -> f.getString("type") + (f.containsKey("seq") ? f.getInteger("seq") : "")).toList();
                    assertThat(order.get(0)).as("round %d: %s", r, order).isEqualTo("state");
                    List<Integer> seqs = again.frames("message").stream().map(f -> f.getInteger("seq")).toList();
                    assertThat(seqs).as("round %d: %s", r, order).isSorted().contains(1, 2);
                }
                // the agent's repeat is answered too, with the stored message (seq 1), once more
                console.send(frame("message", "conversationId", id, "clientMsgId", "a-" + r, "text", "Goedemiddag"));
                await().until(() -> console.frames("message").stream().filter(f -> ("a-" + r).equals(f.getString("clientMsgId"))).count() == 2);
                assertThat(console.frames("message").stream().filter(f -> ("a-" + r).equals(f.getString("clientMsgId"))))
                        .allSatisfy(f -> assertThat(f.getInteger("seq")).isEqualTo(1));
            }
        }
    }
}
