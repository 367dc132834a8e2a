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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A claim in one topic takes a slot from agents who serve another too: the residents waiting in
 * the other topic keep their place, and their estimate drifts by AHT / slots. They hear it once
 * the drift adds up to something a resident would notice, not at every claim.
 *
 * <p>Two agents with 13 slots each serve topics A and B; nobody has handled anything yet, so the
 * handle time is the default 300 s and each slot taken adds 300 / 26 ≈ 11.5 s to the wait of
 * everyone beyond the free slots.
 */
@QuarkusTest
class EstimateDriftTest {

    static final int SLOTS = 26;
    static final int IN_B = 30;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void aSmallDriftIsNotToldAndOnceItAddsUpItIsAtTheSamePlace() throws InterruptedException {
        String a = TestTopics.create(db);
        String b = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(a, b), SLOTS / 2);
        Api.Agent bert = Api.agent("Bert", List.of(a, b), SLOTS / 2);
        List<WsClient> inA = new ArrayList<>();
        List<WsClient> inB = new ArrayList<>();
        try (WsClient agentA = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient agentB = WsClient.connect(base, "/ws/agent", bert.token())) {
            agentA.next("hello");
            agentB.next("hello");
            List<String> idsA = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                JsonObject started = Api.start(a, null);
                idsA.add(started.getString("id"));
                inA.add(WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token")));
            }
            for (int i = 0; i < IN_B; i++) {
                JsonObject started = Api.start(b, null);
                inB.add(WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token")));
            }
            // everyone in B told their place with all 26 slots free
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int i = 0; i < IN_B; i++) {
                    assertThat(last(inB.get(i))).as("resident %d in B", i + 1).isNotNull();
                    assertThat(last(inB.get(i)).getInteger("position")).isEqualTo(i + 1);
                    assertThat(last(inB.get(i)).getInteger("estimatedWaitSeconds")).isEqualTo(estimate(i + 1, SLOTS));
                }
            });
            int[] before = counts(inB);

            // one slot taken in A: residents in B stay where they are, their estimate drifts by ~11.5 s
            agentA.send(frame("claim", "conversationId", idsA.get(0)));
            agentA.next("assigned");
            await().atMost(Duration.ofSeconds(10)).until(() -> Integer.valueOf(2).equals(last(inA.get(2)).getInteger("position")));
            // the tick that told A told B what it had to; give it time to show anything it should not
            Thread.sleep(1000);
            assertThat(counts(inB)).as("state frames in B after one slot taken").containsExactly(before);

            // a second slot taken: the drift adds up to ~23 s for those beyond the free slots
            agentB.send(frame("claim", "conversationId", idsA.get(1)));
            agentB.next("assigned");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (int i = 25; i < IN_B; i++) {
                    assertThat(inB.get(i).frames("state")).as("resident %d in B", i + 1).hasSize(before[i] + 1);
                    assertThat(last(inB.get(i)).getInteger("position")).isEqualTo(i + 1);
                    assertThat(last(inB.get(i)).getInteger("estimatedWaitSeconds")).isEqualTo(estimate(i + 1, SLOTS - 2));
                }
            });
            // those within the free slots, or whose estimate moved less than 15 s (position 25: 0 → 12 s), heard nothing
            int[] after = counts(inB);
            for (int i = 0; i < 25; i++) {
                assertThat(after[i]).as("state frames of resident %d in B", i + 1).isEqualTo(before[i]);
            }
        } finally {
            inA.forEach(WsClient::close);
            inB.forEach(WsClient::close);
        }
    }

    /** The model's estimate (WaitEstimate): the positions beyond the free slots, AHT / all slots each. */
    static int estimate(int position, int free) {
        return (int) Math.ceil(Math.max(0, position - free) * 300.0 / SLOTS);
    }

    static JsonObject last(WsClient resident) {
        List<JsonObject> states = resident.frames("state");
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    static int[] counts(List<WsClient> residents) {
        return residents.stream().mapToInt(r -> r.frames("state").size()).toArray();
    }
}
