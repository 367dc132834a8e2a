package nl.loket.callback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A claimed request and the agent who holds it: told when it goes away under them, and never
 * stuck with someone who cannot call.
 */
@QuarkusTest
class CallbackClaimTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    /**
     * Was a bug: the agent's socket heard of callbacks only when an open count changed, and
     * cancelling a claimed request changes none, so it stayed in "Mijn terugbelverzoeken"; an
     * attempt then said "Pak het verzoek eerst op", though it had been cancelled.
     */
    @Test
    void theAgentHoldingARequestHearsOfItsCancelAndAnAttemptSaysItEnded() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Bas", List.of(topic), 3);
        JsonObject request = post(topic, "0617171701");
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            claim(agent, request.getString("id"), ws, topic);

            given().auth().oauth2(request.getString("token")).delete("/api/v1/callbacks/" + request.getString("id"))
                    .then().statusCode(204);
            // the console reads its lists again on every callbacks frame
            ws.next(callbacksOf(topic));
            assertThat(claimedBy(agent, topic)).isEmpty();
            given().auth().oauth2(agent.token()).contentType(ContentType.JSON).body(Map.of("result", "reached"))
                    .post("/api/v1/callbacks/" + request.getString("id") + "/attempts").then().statusCode(409)
                    .body("type", equalTo("/problems/already-ended"))
                    .body("detail", containsString("ingetrokken")).body("detail", containsString(" / "));
        }
    }

    /**
     * The resident who asked first cancels, a later request for the number takes the place of the
     * claimed one and stays with the agent: no count changes, yet the agent's list must show the
     * request they now hold.
     */
    @Test
    void theAgentHearsWhenARepeatTakesThePlaceOfTheRequestTheyHold() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Fleur", List.of(topic), 3);
        JsonObject first = post(topic, "0617171702");
        JsonObject repeat = post(topic, "06 1717 1702");
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            claim(agent, first.getString("id"), ws, topic);

            given().auth().oauth2(first.getString("token")).delete("/api/v1/callbacks/" + first.getString("id")).then().statusCode(204);
            ws.next(callbacksOf(topic));
            assertThat(claimedBy(agent, topic)).containsExactly(repeat.getString("id"));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------

    static JsonObject post(String topic, String phone) {
        return new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", phone))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString());
    }

    /** Claims over REST and takes the callbacks frame that follows, so the next one is news. */
    private static void claim(Api.Agent agent, String id, WsClient ws, String topic) {
        ws.next(f -> "callbacks".equals(f.getString("type")));
        given().auth().oauth2(agent.token()).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200);
        ws.next(f -> "callbacks".equals(f.getString("type")) && f.getJsonArray("topics").stream()
                .anyMatch(t -> topic.equals(((JsonObject) t).getString("id")) && ((JsonObject) t).getInteger("open") == 0));
    }

    private static java.util.function.Predicate<JsonObject> callbacksOf(String topic) {
        return f -> "callbacks".equals(f.getString("type"))
                && f.getJsonArray("topics").stream().anyMatch(t -> topic.equals(((JsonObject) t).getString("id")));
    }

    /** The ids in the agent's "Mijn terugbelverzoeken": the claimed list, those claimed by them. */
    static List<String> claimedBy(Api.Agent agent, String topic) {
        List<Map<String, Object>> items = given().auth().oauth2(agent.token()).get("/api/v1/callbacks?state=claimed&topic=" + topic)
                .then().statusCode(200).extract().jsonPath().getList("items");
        return items.stream().filter(r -> agent.username().equals(r.get("claimedBy"))).map(r -> (String) r.get("id")).toList();
    }
}
