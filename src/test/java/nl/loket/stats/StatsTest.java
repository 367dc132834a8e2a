package nl.loket.stats;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.topic.OpeningHours;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.LocalDate;
import java.util.List;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * A fixture day with known answers: Sunday 25 October 2026, when summer time ends in the
 * Netherlands and the day lasts 25 hours (22:00 UTC on the 24th to 23:00 UTC on the 25th).
 */
@QuarkusTest
class StatsTest {

    @Inject
    Db db;

    @TestHTTPResource("/")
    URI base;

    @Test
    void perTopicFiguresForADayInAmsterdamTime() {
        String topic = TestTopics.create(db);
        // created (UTC), seconds to answer (null: never), handle seconds, state, rating
        conversation(topic, "2026-10-24T21:59:59Z", 5, 100, "closed", 5);     // 23:59:59 on the 24th: not counted
        conversation(topic, "2026-10-24T22:00:00Z", 30, 300, "closed", 4);    // 00:00 on the 25th (CEST)
        conversation(topic, "2026-10-25T10:00:00Z", 90, 600, "closed", 2);
        conversation(topic, "2026-10-25T12:00:00Z", null, null, "abandoned", null);
        conversation(topic, "2026-10-25T15:00:00Z", null, null, "callback", null);
        conversation(topic, "2026-10-25T22:59:59Z", 10, null, "active", null);  // 23:59:59 on the 25th (CET)
        conversation(topic, "2026-10-25T23:00:00Z", 5, 100, "closed", 1);     // the 26th: not counted

        String supervisor = Api.user("Sofie", List.of("supervisor"), List.of(), 3).token();
        String path = "topics.find { it.topic == '" + topic + "' }.";
        given().auth().oauth2(supervisor).queryParam("from", "2026-10-25").queryParam("to", "2026-10-25").get("/api/v1/stats")
                .then().statusCode(200)
                .body("serviceLevelSeconds", equalTo(60))
                .body(path + "offered", equalTo(5))
                .body(path + "answered", equalTo(3))
                .body(path + "abandoned", equalTo(1))
                .body(path + "callbacks", equalTo(1))
                .body(path + "serviceLevel", equalTo(40.0f))
                .body(path + "medianWaitSeconds", equalTo(30.0f))
                .body(path + "p90WaitSeconds", equalTo(78.0f))
                .body(path + "averageHandleSeconds", equalTo(450.0f))
                .body(path + "averageRating", equalTo(3.0f));
        // the 24th through the 26th: all seven
        given().auth().oauth2(supervisor).queryParam("from", "2026-10-24").queryParam("to", "2026-10-26").get("/api/v1/stats")
                .then().statusCode(200).body(path + "offered", equalTo(7));
        // an empty day
        given().auth().oauth2(supervisor).queryParam("from", "2026-10-20").queryParam("to", "2026-10-20").get("/api/v1/stats")
                .then().statusCode(200).body(path + "offered", equalTo(0)).body(path + "serviceLevel", nullValue());
    }

    @Test
    void callbackRequestsCountOnceEachOnTheAmsterdamDayTheyWereMade() {
        String topic = TestTopics.create(db);
        // created (UTC), merged into the one before (a repeat of the same number while that one is open)
        String first = callbackRequest(topic, "2026-10-24T21:59:59Z", null);  // 23:59:59 on the 24th: not counted
        callbackRequest(topic, "2026-10-24T22:00:00Z", null);                 // 00:00 on the 25th (CEST)
        String open = callbackRequest(topic, "2026-10-25T12:00:00Z", null);
        callbackRequest(topic, "2026-10-25T12:05:00Z", open);                 // a repeat: the same request
        callbackRequest(topic, "2026-10-25T22:59:59Z", null);                 // 23:59:59 on the 25th (CET)
        callbackRequest(topic, "2026-10-25T23:00:00Z", first);                // the 26th, and a repeat besides

        String supervisor = Api.user("Sanne", List.of("supervisor"), List.of(), 3).token();
        String path = "topics.find { it.topic == '" + topic + "' }.";
        given().auth().oauth2(supervisor).queryParam("from", "2026-10-25").queryParam("to", "2026-10-25").get("/api/v1/stats")
                .then().statusCode(200).body(path + "callbackRequests", equalTo(3)).body(path + "offered", equalTo(0));
        given().auth().oauth2(supervisor).queryParam("from", "2026-10-24").queryParam("to", "2026-10-26").get("/api/v1/stats")
                .then().statusCode(200).body(path + "callbackRequests", equalTo(4));
    }

    @Test
    void callbackRequestsMadeFromTheTopicListShowInTheDaysFigures() {
        String topic = TestTopics.create(db);
        // the requests count on the day they were made: read before and after, both days if midnight came in between
        LocalDate first = today();
        // three residents go straight to the callback form; two of them give the same number
        for (String phone : List.of("0612345678", "0612345678", "0201234567")) {
            given().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("topic", topic, "phone", phone, "name", "Bewoner"))
                    .post("/api/v1/callbacks").then().statusCode(201);
        }
        LocalDate last = today();
        String path = "topics.find { it.topic == '" + topic + "' }.";
        given().auth().oauth2(Api.user("Saar", List.of("supervisor"), List.of(), 3).token())
                .queryParam("from", first.toString()).queryParam("to", last.toString()).get("/api/v1/stats")
                .then().statusCode(200).body(path + "callbackRequests", equalTo(2)).body(path + "callbacks", equalTo(0));
    }

    @Test
    void aTransferredConversationIsOfferedWhereTheResidentChoseItAndEndsWhereItWasTransferredTo() {
        String chosen = TestTopics.create(db);
        String other = TestTopics.create(db);
        Api.Agent kees = Api.agent("Kees", List.of(chosen), 3);
        Api.Agent mila = Api.agent("Mila", List.of(other), 3);
        // the conversation counts on the day it started, not the day of the check: a run that crosses midnight
        // in between reads the day of the start (both days if midnight came during the start itself)
        LocalDate first = today();
        JsonObject chat = Api.start(chosen, "Jan");
        LocalDate last = today();
        String id = chat.getString("id");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, chat.getString("token"))) {
            resident.next("state");
            try (WsClient ws = WsClient.connect(base, "/ws/agent", kees.token())) {
                ws.next("hello");
                ws.send(frame("claim", "topic", chosen));
                ws.next("assigned");
                ws.send(frame("transfer", "conversationId", id, "topic", other));
                ws.next("ended");
            }
            try (WsClient ws = WsClient.connect(base, "/ws/agent", mila.token())) {
                ws.next("hello");
                ws.send(frame("claim", "topic", other));
                ws.next("assigned");
                ws.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "Doorverbonden en geholpen"));
                resident.next(f -> "state".equals(f.getString("type")) && "closed".equals(f.getString("state")));
            }
        }
        given().auth().oauth2(chat.getString("token")).contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("score", 5))
                .post("/api/v1/conversations/" + id + "/rating").then().statusCode(204);

        String supervisor = Api.user("Sam", List.of("supervisor"), List.of(), 3).token();
        String a = "topics.find { it.topic == '" + chosen + "' }.";
        String b = "topics.find { it.topic == '" + other + "' }.";
        // offered and answered (and how fast) where the resident chose; handled and rated where it ended
        given().auth().oauth2(supervisor).queryParam("from", first.toString()).queryParam("to", last.toString()).get("/api/v1/stats")
                .then().statusCode(200)
                .body(a + "offered", equalTo(1)).body(a + "answered", equalTo(1)).body(a + "serviceLevel", equalTo(100.0f))
                .body(a + "averageRating", nullValue()).body(a + "averageHandleSeconds", nullValue())
                .body(b + "offered", equalTo(0)).body(b + "answered", equalTo(0))
                .body(b + "averageRating", equalTo(5.0f)).body(b + "averageHandleSeconds", org.hamcrest.Matchers.notNullValue());
        assertThat(hourly(supervisor, chosen, first, last, "offered")).as("offered per hour where the resident chose").isEqualTo(1);
        assertThat(hourly(supervisor, chosen, first, last, "answered")).as("answered per hour where the resident chose").isEqualTo(1);
        assertThat(hourly(supervisor, other, first, last, "offered")).as("offered per hour where it was transferred to").isZero();
    }

    @Test
    void theHandleTimeIsTheTimeAgentsHeldItNotTheSecondWaitInTheQueue() {
        String topic = TestTopics.create(db);
        Api.Agent kees = Api.agent("Kees", List.of(topic), 3);
        Api.Agent mila = Api.agent("Mila", List.of(topic), 3);
        JsonObject chat = Api.start(topic, "Jan");
        String id = chat.getString("id");
        // claimed by Kees, handed back to the queue, claimed again by Mila, closed
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, chat.getString("token"))) {
            resident.next("state");
            try (WsClient ws = WsClient.connect(base, "/ws/agent", kees.token())) {
                ws.next("hello");
                ws.send(frame("claim", "topic", topic));
                ws.next("assigned");
                ws.send(frame("transfer", "conversationId", id, "topic", topic));
                ws.next("ended");
            }
            resident.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")));
            try (WsClient ws = WsClient.connect(base, "/ws/agent", mila.token())) {
                ws.next("hello");
                ws.send(frame("claim", "topic", topic));
                ws.next("assigned");
                ws.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "Geholpen"));
                resident.next(f -> "state".equals(f.getString("type")) && "closed".equals(f.getString("state")));
            }
        }
        // the same path on a fixture day, timed to the second: waited 10 s, Kees 60 s, waited again
        // 600 s, Mila 120 s. The agents handled it for 180 s; the 600 s in the queue is waiting
        String start = "2026-03-10T09:00:00Z";
        db.query("""
                update conversation set created_at = $2::timestamptz, queued_at = $2::timestamptz,
                       first_assigned_at = $2::timestamptz + interval '10 seconds',
                       requeued_at = $2::timestamptz + interval '70 seconds',
                       assigned_at = $2::timestamptz + interval '670 seconds',
                       closed_at = $2::timestamptz + interval '790 seconds'
                where id = $1::uuid""", Tuple.of(id, java.time.OffsetDateTime.parse(start))).await().indefinitely();
        List<Long> held = new java.util.ArrayList<>();
        db.query("select id from assignment where conversation_id = $1::uuid order by id", Tuple.of(id)).await().indefinitely()
                .forEach(r -> held.add(r.getLong("id")));
        assertThat(held).hasSize(2);
        setHeld(held.get(0), start, 10, 70);
        setHeld(held.get(1), start, 670, 790);

        String supervisor = Api.user("Saar", List.of("supervisor"), List.of(), 3).token();
        String path = "topics.find { it.topic == '" + topic + "' }.";
        given().auth().oauth2(supervisor).queryParam("from", "2026-03-10").queryParam("to", "2026-03-10").get("/api/v1/stats")
                .then().statusCode(200)
                .body(path + "answered", equalTo(1))
                .body(path + "medianWaitSeconds", equalTo(10.0f))
                .body(path + "averageHandleSeconds", equalTo(180.0f));
    }

    private void setHeld(long assignment, String start, int fromSecond, int toSecond) {
        db.query("update assignment set assigned_at = $2::timestamptz + make_interval(secs => $3), "
                        + "ended_at = $2::timestamptz + make_interval(secs => $4) where id = $1",
                Tuple.of(assignment, java.time.OffsetDateTime.parse(start), (double) fromSecond, (double) toSecond)).await().indefinitely();
    }

    /** The day now, in the time zone the figures count days in. */
    private static LocalDate today() {
        return LocalDate.now(OpeningHours.ZONE);
    }

    /** The sum of one figure over the hours of the days {@code first} to {@code last}, one day's hours at a time. */
    private static int hourly(String supervisor, String topic, LocalDate first, LocalDate last, String figure) {
        int sum = 0;
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            sum += given().auth().oauth2(supervisor).queryParam("date", day.toString()).queryParam("topic", topic).get("/api/v1/stats/hourly")
                    .then().statusCode(200).extract().<Integer>path("hours." + figure + ".sum()");
        }
        return sum;
    }

    @Test
    void badRangesAreFieldErrors() {
        String supervisor = Api.user("Siem", List.of("supervisor"), List.of(), 3).token();
        given().auth().oauth2(supervisor).queryParam("from", "2026-10-25").queryParam("to", "2026-10-24").get("/api/v1/stats")
                .then().statusCode(400).body("errors.field", hasItem("to"));
        given().auth().oauth2(supervisor).queryParam("from", "gisteren").get("/api/v1/stats")
                .then().statusCode(400).body("errors.field", hasItem("from")).body("errors.field", hasItem("to"));
        given().auth().oauth2(Api.agent("Ab", List.of("afval"), 3).token()).queryParam("from", "2026-10-25").queryParam("to", "2026-10-25")
                .get("/api/v1/stats").then().statusCode(403);
    }

    /** A callback request made at {@code created}; a repeat when {@code mergedInto} is given. Its id. */
    private String callbackRequest(String topic, String created, String mergedInto) {
        String id = java.util.UUID.randomUUID().toString();
        db.query("""
                insert into callback_request (id, topic, phone, state, priority_at, created_at, merged_into)
                values ($1::uuid, $2, '+31612345678', case when $4::uuid is null then 'done' else 'merged' end, $3::timestamptz, $3::timestamptz, $4::uuid)""",
                Tuple.tuple(java.util.Arrays.asList(id, topic, java.time.OffsetDateTime.parse(created), mergedInto))).await().indefinitely();
        return id;
    }

    /** A conversation, and when an agent answered it, that agent's assignment (ended when it was closed). */
    private void conversation(String topic, String created, Integer answerAfter, Integer handle, String state, Integer rating) {
        db.query("""
                with c as (
                    insert into conversation (id, topic, state, created_at, queued_at, first_assigned_at, assigned_at, closed_at, rating, updated_at)
                    values (gen_random_uuid(), $1, $2, $3::timestamptz, $3::timestamptz,
                            $3::timestamptz + make_interval(secs => $4), $3::timestamptz + make_interval(secs => $4),
                            case when $2 = 'active' then null
                                 else $3::timestamptz + make_interval(secs => coalesce($4, 0) + coalesce($5, 0)) end,
                            $6, now())
                    returning id, assigned_at, closed_at
                )
                insert into assignment (conversation_id, agent_id, assigned_at, ended_at)
                select c.id, (select id from app_user order by username limit 1), c.assigned_at, c.closed_at
                from c where c.assigned_at is not null""",
                Tuple.tuple(java.util.Arrays.asList(topic, state, java.time.OffsetDateTime.parse(created), answerAfter == null ? null : (double) answerAfter,
                        handle == null ? null : (double) handle, rating))).await().indefinitely();
    }
}
