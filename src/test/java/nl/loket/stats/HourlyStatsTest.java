package nl.loket.stats;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * A chosen day's waits and volumes per hour for the team lead's chart (issue 12), on Sunday
 * 25 October 2026: summer time ends at 03:00, so 02:00-03:00 happens twice and both count as hour 2.
 */
@QuarkusTest
class HourlyStatsTest {

    @Inject
    Db db;

    @Test
    void volumesAndWaitsPerAmsterdamHour() {
        String topic = TestTopics.create(db);
        conversation(topic, "2026-10-24T21:59:00Z", 5, "closed");      // 23:59 on the 24th: another day
        conversation(topic, "2026-10-24T22:30:00Z", 20, "closed");     // 00:30 CEST
        conversation(topic, "2026-10-25T00:30:00Z", 10, "closed");     // 02:30 CEST
        conversation(topic, "2026-10-25T01:30:00Z", 30, "closed");     // 02:30 CET, the second time
        conversation(topic, "2026-10-25T08:00:00Z", null, "abandoned"); // 09:00 CET
        conversation(topic, "2026-10-25T08:20:00Z", null, "callback");
        conversation(topic, "2026-10-25T08:40:00Z", 60, "closed");

        String supervisor = Api.user("Sanne", List.of("supervisor"), List.of(), 3).token();
        given().auth().oauth2(supervisor).queryParam("date", "2026-10-25").queryParam("topic", topic).get("/api/v1/stats/hourly")
                .then().statusCode(200)
                .body("date", equalTo("2026-10-25"))
                .body("topic", equalTo(topic))
                .body("hours.size()", equalTo(24))
                .body("hours.hour", equalTo(java.util.stream.IntStream.range(0, 24).boxed().toList()))
                .body("hours[0].offered", equalTo(1))
                .body("hours[0].medianWaitSeconds", equalTo(20.0f))
                .body("hours[1].offered", equalTo(0))
                .body("hours[1].medianWaitSeconds", nullValue())
                .body("hours[2].offered", equalTo(2))
                .body("hours[2].answered", equalTo(2))
                .body("hours[2].medianWaitSeconds", equalTo(20.0f))
                .body("hours[2].p90WaitSeconds", equalTo(28.0f))
                .body("hours[9].offered", equalTo(3))
                .body("hours[9].answered", equalTo(1))
                .body("hours[9].abandoned", equalTo(1))
                .body("hours[9].callbacks", equalTo(1))
                .body("hours[9].medianWaitSeconds", equalTo(60.0f))
                .body("hours[23].offered", equalTo(0));
        // all topics together include this one's
        given().auth().oauth2(supervisor).queryParam("date", "2026-10-25").get("/api/v1/stats/hourly")
                .then().statusCode(200).body("topic", nullValue()).body("hours[9].offered", greaterThanOrEqualTo(3));
    }

    @Test
    void badQueriesAreFieldErrorsAndOnlySupervisorsRead() {
        String supervisor = Api.user("Saar", List.of("supervisor"), List.of(), 3).token();
        given().auth().oauth2(supervisor).queryParam("date", "gisteren").get("/api/v1/stats/hourly")
                .then().statusCode(400).body("errors.field", hasItem("date"));
        given().auth().oauth2(supervisor).get("/api/v1/stats/hourly").then().statusCode(400).body("errors.field", hasItem("date"));
        given().auth().oauth2(supervisor).queryParam("date", "2026-10-25").queryParam("topic", "geen-onderwerp")
                .get("/api/v1/stats/hourly").then().statusCode(400).body("errors.field", hasItem("topic"));
        given().auth().oauth2(Api.agent("Bo", List.of("afval"), 3).token()).queryParam("date", "2026-10-25")
                .get("/api/v1/stats/hourly").then().statusCode(403);
    }

    private void conversation(String topic, String created, Integer answerAfter, String state) {
        db.query("""
                insert into conversation (id, topic, state, created_at, queued_at, first_assigned_at, assigned_at, closed_at, updated_at)
                values (gen_random_uuid(), $1, $2, $3::timestamptz, $3::timestamptz,
                        $3::timestamptz + make_interval(secs => $4), $3::timestamptz + make_interval(secs => $4),
                        $3::timestamptz + make_interval(secs => coalesce($4, 0) + 60), now())""",
                Tuple.tuple(java.util.Arrays.asList(topic, state, java.time.OffsetDateTime.parse(created),
                        answerAfter == null ? null : (double) answerAfter))).await().indefinitely();
    }
}
