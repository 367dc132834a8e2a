package nl.loket.topic;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
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
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** With real opening hours (not LOKET_ALWAYS_OPEN): closed topics refuse chats, closing ones offer callbacks. */
@QuarkusTest
@TestProfile(OpeningHoursFlowTest.RealHours.class)
class OpeningHoursFlowTest {

    public static class RealHours implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.always-open", "false");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    TopicCatalog catalog;

    @Test
    void aClosedTopicSaysWhenItOpensAndRefusesAConversation() {
        String topic = TestTopics.create(db);
        ZonedDateTime tomorrow = ZonedDateTime.now(OpeningHours.ZONE).plusDays(1);
        String day = tomorrow.getDayOfWeek().name().substring(0, 3).toLowerCase();
        hours(topic, "{\"" + day + "\":[[\"09:00\",\"12:00\"]]}");
        String expected = tomorrow.toLocalDate().atTime(9, 0).atZone(OpeningHours.ZONE).toInstant().toString();

        given().get("/api/v1/topics").then().statusCode(200)
                .body("find { it.id == '" + topic + "' }.open", equalTo(false))
                .body("find { it.id == '" + topic + "' }.nextOpenAt", equalTo(expected))
                .body("find { it.id == '" + topic + "' }.callbackOffered", equalTo(true))
                .body("find { it.id == '" + topic + "' }.estimatedWaitSeconds", nullValue());
        given().contentType(ContentType.JSON).body(Map.of("topic", topic)).post("/api/v1/conversations")
                .then().statusCode(409).contentType("application/problem+json")
                .body("nextOpenAt", equalTo(expected)).body("type", equalTo("/problems/topic-closed"));
        // a callback can still be requested
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0615151515")).post("/api/v1/callbacks")
                .then().statusCode(201).body("id", notNullValue());
    }

    @Test
    void aResidentWhoWouldNotBeServedBeforeClosingIsOfferedACallback() {
        String topic = TestTopics.create(db);
        ZonedDateTime now = ZonedDateTime.now(OpeningHours.ZONE);
        LocalTime until = now.toLocalTime().plusMinutes(2).isBefore(now.toLocalTime()) ? LocalTime.of(23, 59, 59)
                : now.toLocalTime().plusMinutes(2);
        String day = now.getDayOfWeek().name().substring(0, 3).toLowerCase();
        hours(topic, "{\"" + day + "\":[[\"00:00\",\"" + until.format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "\"]]}");

        Api.Agent agent = Api.agent("Olga", List.of(topic), 1);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            Api.start(topic, null);
            ws.send(frame("claim"));
            ws.next("assigned");
            // the only slot is taken for about 300 s, and the topic closes in 2 minutes
            JsonObject started = Api.start(topic, null);
            try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
                resident.next("state");
                assertThat(resident.next("callback_offer").getString("reason")).isEqualTo("closing");
            }
        }
    }

    @Test
    void aWaitingResidentHearsTheTopicCloseThoughNothingElseHappens() {
        String topic = TestTopics.create(db);
        ZonedDateTime now = ZonedDateTime.now(OpeningHours.ZONE);
        assumeTrue(now.toLocalTime().isBefore(LocalTime.of(23, 59)), "the topic must close today");
        LocalTime until = now.toLocalTime().plusSeconds(8);
        String day = now.getDayOfWeek().name().substring(0, 3).toLowerCase();
        hours(topic, "{\"" + day + "\":[[\"00:00\",\"" + until.format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "\"]]}");

        Api.Agent agent = Api.agent("Piet", List.of(topic), 1);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            // first in line, a free agent: no reason to offer a callback until the topic closes
            JsonObject started = Api.start(topic, null);
            try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
                assertThat(resident.next("state").getInteger("position")).isEqualTo(1);
                assertThat(resident.frames("callback_offer")).isEmpty();
                // nothing is signalled when the clock passes closing time: before, only a new connection heard the offer
                assertThat(resident.next(f -> "callback_offer".equals(f.getString("type")), Duration.ofSeconds(25))
                        .getString("reason")).isEqualTo("closing");
            }
        }
    }

    private void hours(String topic, String json) {
        db.query("update topic set opening_hours = $2 where id = $1", Tuple.of(topic, new JsonObject(json))).await().indefinitely();
        catalog.invalidate();
    }
}
