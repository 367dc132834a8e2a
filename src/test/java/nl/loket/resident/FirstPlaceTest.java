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

/**
 * A resident's first {@code state} frame after connecting: the place counted when the
 * conversation was created, unless the queue moved in between, then the place as it is now.
 */
@QuarkusTest
class FirstPlaceTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void theFirstFrameSaysWhereTheResidentStandsWhenTheyConnect() {
        String topic = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        try (WsClient agent = WsClient.connect(base, "/ws/agent", anne.token())) {
            agent.next("hello");
            // (a resident who has not connected counts as gone: the steps below stay well inside the grace period)
            JsonObject first = Api.start(topic, "Eerste");
            JsonObject second = Api.start(topic, "Tweede");
            JsonObject third = Api.start(topic, "Derde");
            assertThat(List.of(first.getInteger("position"), second.getInteger("position"), third.getInteger("position")))
                    .containsExactly(1, 2, 3);
            firstFramesAfterCreation(agent, first, second, third);
        }
    }

    private void firstFramesAfterCreation(WsClient agent, JsonObject first, JsonObject second, JsonObject third) {
        try (WsClient two = WsClient.connect(base, "/ws/resident/" + second.getString("id"), second.getString("token"))) {
            // nothing moved since the creation counted them
            assertThat(two.next("state").getInteger("position")).isEqualTo(2);

            // the first is claimed before the third connects: the third is told 2, never 3
            agent.send(frame("claim", "ref", "c1"));
            assertThat(agent.next("assigned").getJsonObject("conversation").getString("id")).isEqualTo(first.getString("id"));
            two.next(f -> "state".equals(f.getString("type")) && Integer.valueOf(1).equals(f.getInteger("position")));
            try (WsClient three = WsClient.connect(base, "/ws/resident/" + third.getString("id"), third.getString("token"))) {
                JsonObject state = three.next("state");
                assertThat(state.getString("state")).isEqualTo("queued");
                assertThat(state.getInteger("position")).isEqualTo(2);
            }

            // a reconnect counts again: the second is claimed, the third reconnects as first
            agent.send(frame("claim", "ref", "c2"));
            assertThat(agent.next("assigned").getJsonObject("conversation").getString("id")).isEqualTo(second.getString("id"));
            try (WsClient three = WsClient.connect(base, "/ws/resident/" + third.getString("id"), third.getString("token"))) {
                assertThat(three.next("state").getInteger("position")).isEqualTo(1);
            }
        }
    }
}
