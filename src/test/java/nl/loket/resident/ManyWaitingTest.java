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
 * More residents wait than a tick hands their place to in one go ({@link WaitingRoom#SLICE}):
 * after a claim every one of them, in every slice, hears their new place.
 */
@QuarkusTest
class ManyWaitingTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void everyResidentBehindAClaimHearsTheirNewPlace() {
        String topic = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        int n = 2 * WaitingRoom.SLICE + 50;
        List<WsClient> residents = new ArrayList<>();
        try (WsClient agent = WsClient.connect(base, "/ws/agent", anne.token())) {
            agent.next("hello");
            String firstId = null;
            for (int i = 0; i < n; i++) {
                JsonObject started = Api.start(topic, null);
                firstId = firstId == null ? started.getString("id") : firstId;
                // connected at once: a resident who has not connected within the grace counts as gone
                WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"));
                residents.add(resident);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> residents.stream().allMatch(r -> !r.frames("state").isEmpty()));
            for (int i = 0; i < n; i++) {
                assertThat(residents.get(i).frames("state").get(0).getInteger("position")).isEqualTo(i + 1);
            }

            agent.send(frame("claim", "conversationId", firstId));
            agent.next("assigned");

            // one place less for everyone behind the claimed one, in every slice
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                for (int i = 1; i < n; i++) {
                    List<JsonObject> states = residents.get(i).frames("state");
                    assertThat(states.get(states.size() - 1).getInteger("position")).as("resident %d of %d", i + 1, n).isEqualTo(i);
                }
            });
        } finally {
            residents.forEach(WsClient::close);
        }
    }
}
