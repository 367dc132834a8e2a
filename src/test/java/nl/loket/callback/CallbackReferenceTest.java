package nl.loket.callback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
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
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resident who phones the contact centre about their callback request quotes a short reference
 * from the widget's confirmation; the agent finds the request by it in the callback list.
 */
@QuarkusTest
class CallbackReferenceTest {

    /** Two groups of four, Crockford's base 32: no I, L, O or U to mistake for 1, 0 or V when read out. */
    private static final String SHAPE = "[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void theReferenceIsShortReadableAndTheSameForTheSameRequest() {
        UUID id = UUID.fromString("0f8e4d2c-1b3a-4c5d-8e6f-708192a3b4c5");
        assertThat(CallbackReference.of(id)).matches(SHAPE).isEqualTo(CallbackReference.of(id));
        assertThat(CallbackReference.of(id)).isNotEqualTo(CallbackReference.of(UUID.fromString("0f8e4d2d-1b3a-4c5d-8e6f-708192a3b4c5")));
    }

    @Test
    void aDirectRequestAnswersWithItsReferenceAndTheAgentsListShowsTheSame() {
        String topic = TestTopics.create(db);
        JsonObject created = new JsonObject(given().contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "phone", "06 12345678")).post("/api/v1/callbacks")
                .then().statusCode(201).extract().asString());
        String reference = created.getString("reference");
        assertThat(reference).matches(SHAPE).isEqualTo(CallbackReference.of(UUID.fromString(created.getString("id"))));

        String agent = Api.agent("Noor", List.of(topic), 1).token();
        JsonArray items = new JsonObject(given().auth().oauth2(agent).get("/api/v1/callbacks?topic=" + topic)
                .then().statusCode(200).extract().asString()).getJsonArray("items");
        assertThat(items).hasSize(1);
        assertThat(items.getJsonObject(0).getString("reference")).isEqualTo(reference);
        // the resident reads it back with their token, as after a reload
        given().auth().oauth2(created.getString("token")).get("/api/v1/callbacks/" + created.getString("id"))
                .then().statusCode(200).body("reference", org.hamcrest.Matchers.equalTo(reference));

        // the same number again: the caller's own reference, found among the open request's repeats
        JsonObject again = new JsonObject(given().contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "phone", "0612345678")).post("/api/v1/callbacks")
                .then().statusCode(201).extract().asString());
        assertThat(again.getString("reference")).matches(SHAPE).isNotEqualTo(reference);
        JsonObject open = new JsonObject(given().auth().oauth2(agent).get("/api/v1/callbacks?topic=" + topic)
                .then().statusCode(200).extract().asString()).getJsonArray("items").getJsonObject(0);
        assertThat(open.getJsonArray("repeats").getJsonObject(0).getString("reference")).isEqualTo(again.getString("reference"));
    }

    @Test
    void aRequestFromTheChatTellsTheResidentItsReference() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, null);
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "06 12345678"));
            JsonObject created = resident.next("callback_created");
            assertThat(created.getString("reference"))
                    .matches(SHAPE).isEqualTo(CallbackReference.of(UUID.fromString(created.getString("callbackId"))));
        }
    }
}
