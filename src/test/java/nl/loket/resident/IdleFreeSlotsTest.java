package nl.loket.resident;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
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

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agents pull conversations: an agent who is available but busy elsewhere leaves free slots that
 * nobody takes. Once the head of the queue has waited longer than the grace
 * ({@code WaitEstimate.IDLE_GRACE_SECONDS}) the free slots are not counted, so nobody who has
 * waited minutes is told "minder dan 1 minuut"; a claim moves the queue and the estimates fall.
 *
 * <p>One agent with 2 slots (S = 2, both free), a team lead without topics online too (no
 * capacity of the topic: they cannot claim its conversations), nothing handled yet (AHT 300 s):
 * with the free slots counted, positions 1 and 2 would be told 0 s.
 */
@QuarkusTest
class IdleFreeSlotsTest {

    static final int SLOTS = 2;
    static final double AHT = 300;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void freeSlotsNobodyTakesAreNotPromisedAndAClaimMovesTheQueue() {
        String topic = TestTopics.create(db);
        Api.Agent idle = Api.agent("Iris", List.of(topic), SLOTS);
        Api.Agent lead = Api.user("Lotte", List.of("supervisor"), List.of(), 3);
        List<JsonObject> started = new ArrayList<>();
        List<WsClient> residents = new ArrayList<>();
        try (WsClient agent = WsClient.connect(base, "/ws/agent", idle.token());
             WsClient board = WsClient.connect(base, "/ws/agent", lead.token())) {
            agent.next("hello");
            board.next("hello");
            for (int i = 0; i < 3; i++) {
                JsonObject s = Api.start(topic, null);
                started.add(s);
                residents.add(WsClient.connect(base, "/ws/resident/" + s.getString("id"), s.getString("token")));
            }
            // the queue just formed: the free slots count (the agent may be on their way)
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(told(residents.get(0))).isEqualTo(0);
                assertThat(told(residents.get(2))).isEqualTo(estimate(3, SLOTS));
            });

            // five minutes on (and more for those ahead), nobody claimed: the free slots evidently go unused
            for (int i = 0; i < 3; i++) {
                backdate(started.get(i).getString("id"), 7 - i);
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (int i = 0; i < 3; i++) {
                    assertThat(told(residents.get(i))).as("resident %d", i + 1).isEqualTo(estimate(i + 1, 0));
                }
                assertThat(listed(topic)).as("GET /api/v1/topics for a new arrival").isEqualTo(estimate(4, 0));
                assertThat(onBoard(board, topic)).as("the team lead's board").isEqualTo(estimate(4, 0));
            });
            assertThat(told(residents.get(0))).as("waited 7 minutes").isGreaterThanOrEqualTo(60);

            // the agent claims: everyone moves up a place, and hears a lower estimate
            agent.send(frame("claim", "topic", topic));
            agent.next("assigned");
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(told(residents.get(1))).isEqualTo(estimate(1, 0));
                assertThat(told(residents.get(2))).isEqualTo(estimate(2, 0));
                assertThat(listed(topic)).isEqualTo(estimate(3, 0));
                assertThat(onBoard(board, topic)).isEqualTo(estimate(3, 0));
            });
        } finally {
            residents.forEach(WsClient::close);
        }
    }

    /** EWT(p) = max(0, p − F) × AHT / S with the free slots F that count. */
    static int estimate(int position, int free) {
        return (int) Math.ceil(Math.max(0, position - free) * AHT / SLOTS);
    }

    private void backdate(String id, int minutes) {
        db.query("update conversation set queued_at = now() - make_interval(mins => $2), created_at = now() - make_interval(mins => $2) "
                        + "where id = $1::uuid", Tuple.of(id, minutes))
                .await().atMost(Duration.ofSeconds(5));
    }

    /** The estimate in the resident's latest place. */
    private static Integer told(WsClient resident) {
        List<JsonObject> states = resident.frames("state");
        return states.isEmpty() ? null : states.get(states.size() - 1).getInteger("estimatedWaitSeconds");
    }

    private static Integer listed(String topic) {
        return given().get("/api/v1/topics").then().statusCode(200).extract().jsonPath()
                .getInt("find { it.id == '" + topic + "' }.estimatedWaitSeconds");
    }

    private static Integer onBoard(WsClient console, String topic) {
        List<JsonObject> boards = console.frames("queues");
        if (boards.isEmpty()) {
            return null;
        }
        return boards.get(boards.size() - 1).getJsonArray("topics").stream().map(JsonObject.class::cast)
                .filter(t -> topic.equals(t.getString("id"))).findFirst().map(t -> t.getInteger("estimatedWaitSeconds")).orElse(null);
    }
}
