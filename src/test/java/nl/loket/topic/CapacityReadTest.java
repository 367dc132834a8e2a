package nl.loket.topic;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** A team lead reads back the capacity flag they set (issue 12), and the board shows who is away or full. */
@QuarkusTest
class CapacityReadTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aFlagReadsBackAsSetAndClearedAndEveryTopicIsListed() {
        String topic = TestTopics.create();
        Api.Agent sara = Api.user("Sara", List.of("supervisor"), List.of(topic), 3);
        // never flagged: normal
        given().auth().oauth2(sara.token()).get("/api/v1/capacity/" + topic).then().statusCode(200)
                .body("topic", equalTo(topic)).body("short", equalTo(false)).body("until", nullValue()).body("setBy", nullValue());

        String until = Instant.now().plusSeconds(3600).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        given().auth().oauth2(sara.token()).contentType(ContentType.JSON)
                .body(Map.of("short", true, "until", until, "reason", "Ziekte in het team"))
                .put("/api/v1/capacity/" + topic).then().statusCode(200)
                .body("topic", equalTo(topic)).body("short", equalTo(true)).body("reason", equalTo("Ziekte in het team"))
                .body("setBy", equalTo(sara.username())).body("updatedAt", notNullValue());

        given().auth().oauth2(sara.token()).get("/api/v1/capacity/" + topic).then().statusCode(200)
                .body("short", equalTo(true)).body("reason", equalTo("Ziekte in het team"))
                .body("until", equalTo(until)).body("setBy", equalTo(sara.username()));
        given().auth().oauth2(sara.token()).get("/api/v1/capacity").then().statusCode(200)
                .body("find { it.topic == '" + topic + "' }.short", equalTo(true))
                .body("find { it.topic == 'paspoort-id' }.topic", equalTo("paspoort-id"));

        // cleared: normal again, without the old reason
        given().auth().oauth2(sara.token()).contentType(ContentType.JSON).body(Map.of("short", false))
                .put("/api/v1/capacity/" + topic).then().statusCode(200).body("short", equalTo(false)).body("reason", nullValue());
        given().auth().oauth2(sara.token()).get("/api/v1/capacity/" + topic).then().statusCode(200)
                .body("short", equalTo(false)).body("reason", nullValue());

        given().auth().oauth2(sara.token()).get("/api/v1/capacity/geen-onderwerp").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(Api.agent("Ed", List.of(topic), 3).token()).get("/api/v1/capacity").then().statusCode(403);
        given().get("/api/v1/capacity").then().statusCode(401);
    }

    @Test
    void theSupervisorsBoardCountsAgentsAwayAndAtCapacity() {
        String topic = TestTopics.create();
        Api.Agent sara = Api.user("Sara", List.of("supervisor"), List.of(), 3);
        Api.Agent ada = Api.agent("Ada", List.of(topic), 3);
        Api.Agent fleur = Api.agent("Fleur", List.of(topic), 1);
        JsonObject waiting = Api.start(topic, "Jan");
        try (WsClient board = WsClient.connect(base, "/ws/agent", sara.token());
             WsClient a = WsClient.connect(base, "/ws/agent", ada.token());
             WsClient f = WsClient.connect(base, "/ws/agent", fleur.token())) {
            board.next("hello");
            a.next("hello");
            f.next("hello");
            a.send(frame("status", "status", "away"));
            f.send(frame("claim", "conversationId", waiting.getString("id")));
            f.next("assigned");
            JsonObject row = board.next(x -> "queues".equals(x.getString("type")) && x.getJsonArray("topics").stream()
                    .map(JsonObject.class::cast).anyMatch(t -> topic.equals(t.getString("id"))
                            && t.getInteger("agentsAway") == 1 && t.getInteger("agentsAtCapacity") == 1))
                    .getJsonArray("topics").stream().map(JsonObject.class::cast).filter(t -> topic.equals(t.getString("id")))
                    .findFirst().orElseThrow();
            assertThat(row.getInteger("agentsAvailable")).isEqualTo(1);
        }
    }

    @Test
    void theBoardShowsAnAwayAgentLeavingThoughNothingElseChanged() {
        String topic = TestTopics.create();
        // an agent of the topic alone: their board has that topic only, which nothing else changes meanwhile
        Api.Agent olga = Api.agent("Olga", List.of(topic), 2);
        Api.Agent xander = Api.agent("Xander", List.of(topic), 2);
        try (WsClient board = WsClient.connect(base, "/ws/agent", olga.token())) {
            board.next("hello");
            WsClient x = WsClient.connect(base, "/ws/agent", xander.token());
            x.next("hello");
            x.send(frame("status", "status", "away"));
            board.next(f -> "queues".equals(f.getString("type")) && row(f, topic).getInteger("agentsAway") == 1);
            x.close();
            // only agentsAway changes (waiting, available, estimate as they were): a board compared without it kept 1
            board.next(f -> "queues".equals(f.getString("type")) && row(f, topic).getInteger("agentsAway") == 0);
        }
    }

    private static JsonObject row(JsonObject queues, String topic) {
        return queues.getJsonArray("topics").stream().map(JsonObject.class::cast).filter(t -> topic.equals(t.getString("id")))
                .findFirst().orElseThrow();
    }
}
