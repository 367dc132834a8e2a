package nl.loket.topic;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import nl.loket.Api;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * An administrator closes a topic for today: it reads closed with its next opening, for residents
 * and in the admin list, although the test profile opens every topic around the clock
 * (LOKET_ALWAYS_OPEN): a closed day wins. And the urgent notice has an English version.
 */
@QuarkusTest
class ClosedDayTest {

    @Test
    void aClosedDayWinsOverAlwaysOpenAndTellsTheNextOpening() {
        String admin = Api.adminToken();
        String id = "dicht-" + UUID.randomUUID().toString().substring(0, 6);
        LocalDate today = LocalDate.now(OpeningHours.ZONE);
        Map<String, Object> topic = new HashMap<>(Map.of("id", id, "nameNl", "Dicht", "nameEn", "Closed",
                "openingHours", Map.of("mon", List.of(List.of("08:30", "17:00"))),
                "notice", "Vandaag gesloten", "noticeEn", "Closed today"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics").then().statusCode(201)
                .body("openNow", equalTo(true)).body("nextOpenAt", nullValue()).body("noticeEn", equalTo("Closed today"));

        // today and tomorrow: should midnight pass during the test, the day it then reads is closed
        // too, and the next opening is the same
        topic.put("closedDates", List.of(today.toString(), today.plusDays(1).toString()));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).put("/api/v1/admin/topics/" + id).then().statusCode(200)
                .body("openNow", equalTo(false)).body("nextOpenAt", notNullValue());

        // open around the clock apart from the closed days: it opens at the start of the day after tomorrow
        String reopens = today.plusDays(2).atStartOfDay(OpeningHours.ZONE).toInstant().toString();
        given().auth().oauth2(admin).get("/api/v1/admin/topics").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.openNow", equalTo(false))
                .body("find { it.id == '" + id + "' }.nextOpenAt", equalTo(reopens));
        given().get("/api/v1/topics").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.open", equalTo(false))
                .body("find { it.id == '" + id + "' }.nextOpenAt", equalTo(reopens))
                .body("find { it.id == '" + id + "' }.notice", equalTo("Vandaag gesloten"));
        given().queryParam("lang", "en").get("/api/v1/topics").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.notice", equalTo("Closed today"));
        // a resident cannot start a chat on it
        given().contentType(ContentType.JSON).body(Map.of("topic", id)).post("/api/v1/conversations").then().statusCode(409)
                .body("type", equalTo("/problems/topic-closed")).body("nextOpenAt", equalTo(reopens));

        // open again
        topic.put("closedDates", List.of());
        topic.put("noticeEn", "");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).put("/api/v1/admin/topics/" + id).then().statusCode(200)
                .body("openNow", equalTo(true)).body("noticeEn", nullValue());
        given().queryParam("lang", "en").get("/api/v1/topics").then()
                .body("find { it.id == '" + id + "' }.open", equalTo(true))
                .body("find { it.id == '" + id + "' }.notice", equalTo("Vandaag gesloten"));
    }

    @Test
    void openingHoursSkipClosedDatesForTheNextOpening() {
        ZonedDateTime monday = ZonedDateTime.of(2026, 12, 21, 18, 0, 0, 0, OpeningHours.ZONE);
        OpeningHours hours = new OpeningHours(Map.of(java.time.DayOfWeek.TUESDAY, List.of(new OpeningHours.Period(
                java.time.LocalTime.of(9, 0), java.time.LocalTime.of(12, 0)))), java.util.Set.of(LocalDate.of(2026, 12, 22)));
        // Tuesday the 22nd is closed: the next opening is Tuesday the 29th
        assertThat(hours.nextOpening(monday.toInstant())).contains(ZonedDateTime.of(2026, 12, 29, 9, 0, 0, 0, OpeningHours.ZONE).toInstant());
        assertThat(hours.closedDay(monday.plusDays(1).toInstant())).isTrue();
        assertThat(hours.nextOpenDay(monday.toInstant())).contains(ZonedDateTime.of(2026, 12, 23, 0, 0, 0, 0, OpeningHours.ZONE).toInstant());
    }
}
