package nl.loket.topic;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The topic list says why a resident arriving now would be offered a callback
 * ({@code callbackReason}, docs/protocol.md §3), so the widget's callback form says "it is busy"
 * when it is busy, and "no agent is free" only when none is.
 */
@QuarkusTest
class TopicOfferReasonTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void theReasonIsTheOneAWaitingResidentWouldBeOffered() {
        // created as an administrator does, so the topic list knows it at once
        String topic = "reden-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Api.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("id", topic, "nameNl", "Reden", "nameEn", "Reason", "openingHours", Map.of(), "callbackThresholdSeconds", 60))
                .post("/api/v1/admin/topics").then().statusCode(201);
        // nobody on duty
        assertThat(seen(topic).getBoolean("callbackOffered")).isTrue();
        assertThat(seen(topic).getString("callbackReason")).isEqualTo("no_agents");

        Api.Agent agent = Api.agent("Jip", List.of(topic), 1);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            // a free slot: nothing to offer, and the field says so
            await().atMost(Duration.ofSeconds(5)).until(() -> !seen(topic).getBoolean("callbackOffered"));
            assertThat(seen(topic).containsKey("callbackReason")).isTrue();
            assertThat(seen(topic).getValue("callbackReason")).isNull();

            // the only slot taken: a newcomer would wait about 300 s, over the 60 s threshold, while an agent is on duty
            JsonObject first = Api.start(topic, null);
            ws.send(frame("claim", "conversationId", first.getString("id")));
            ws.next("assigned");
            await().atMost(Duration.ofSeconds(5)).until(() -> "long_wait".equals(seen(topic).getString("callbackReason")));
            assertThat(seen(topic).getBoolean("callbackOffered")).isTrue();

            String supervisor = Api.user("Lieke", List.of("supervisor"), List.of(topic), 1).token();
            given().auth().oauth2(supervisor).contentType(ContentType.JSON).body(Map.of("short", true))
                    .put("/api/v1/capacity/" + topic).then().statusCode(200);
            await().atMost(Duration.ofSeconds(5)).until(() -> "capacity_short".equals(seen(topic).getString("callbackReason")));
        }
    }

    private static JsonObject seen(String topic) {
        List<Map<String, Object>> topics = given().get("/api/v1/topics").then().statusCode(200).extract().jsonPath().getList("$");
        return new JsonObject(topics.stream().filter(t -> topic.equals(t.get("id"))).findFirst().orElseThrow());
    }
}
