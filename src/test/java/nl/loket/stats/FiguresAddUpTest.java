package nl.loket.stats;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.conversation.ConversationState;
import nl.loket.conversation.Move;
import nl.loket.platform.Db;
import nl.loket.topic.OpeningHours;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each conversation counts once, by its outcome: offered = answered + abandoned + callbacks + waiting,
 * per topic, per day and per hour. Answered wins: a conversation an agent claimed stays answered
 * whatever happens to it later (requeued and left, handed off to a callback, transferred).
 */
@QuarkusTest
class FiguresAddUpTest {

    @Inject
    Db db;

    @TestHTTPResource("/")
    URI base;

    /** The walk's case through the sockets: claimed, the agent's socket gone past the grace (3 s), requeued, then left. */
    @Test
    void aConversationRequeuedByTheAgentsDropAndThenLeftCountsAsAnsweredOnly() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Paula", List.of(topic), 3);
        LocalDate first = today();

        // the walk's case: claimed, the agent drops, back in the queue, the resident leaves
        JsonObject walk = Api.start(topic, "Wessel");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + walk.getString("id"), walk.getString("token"))) {
            resident.next("state");
            WsClient ws = WsClient.connect(base, "/ws/agent", agent.token());
            ws.next("hello");
            ws.send(frame("claim", "topic", topic));
            ws.next("assigned");
            resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));
            ws.close();
            resident.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")), Duration.ofSeconds(15));
            resident.send(frame("leave"));
            resident.next(f -> "state".equals(f.getString("type")) && "abandoned".equals(f.getString("state")));
        }
        // a plain answered one
        JsonObject answered = Api.start(topic, "Anna");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + answered.getString("id"), answered.getString("token"));
             WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            resident.next("state");
            ws.next("hello");
            ws.send(frame("claim", "topic", topic));
            ws.next("assigned");
            ws.send(frame("close", "conversationId", answered.getString("id"), "outcome", "answered", "summary", "Geholpen"));
            resident.next(f -> "state".equals(f.getString("type")) && "closed".equals(f.getString("state")));
        }
        // a plain abandoned one
        JsonObject abandoned = Api.start(topic, "Bram");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + abandoned.getString("id"), abandoned.getString("token"))) {
            resident.next("state");
            resident.send(frame("leave"));
            resident.next(f -> "state".equals(f.getString("type")) && "abandoned".equals(f.getString("state")));
        }
        // a callback instead of waiting
        JsonObject callback = Api.start(topic, "Cor");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + callback.getString("id"), callback.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "06 12345678"));
            resident.next(f -> "state".equals(f.getString("type")) && "callback".equals(f.getString("state")));
        }
        // one still waiting while the figures are read
        JsonObject waiting = Api.start(topic, "Dirk");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + waiting.getString("id"), waiting.getString("token"))) {
            resident.next("state");
            LocalDate last = today();
            String supervisor = Api.user("Tessa", List.of("supervisor"), List.of(), 3).token();

            Map<String, Integer> day = topicFigures(supervisor, topic, first, last);
            assertThat(day).containsEntry("offered", 5).containsEntry("answered", 2).containsEntry("abandoned", 1)
                    .containsEntry("callbacks", 1).containsEntry("waiting", 1);
            assertAddsUp(day, "the day's figures");

            Map<String, Integer> hours = hourlySums(supervisor, topic, first, last);
            assertThat(hours).isEqualTo(day);
        }
    }

    /**
     * Every path a conversation can take, on a fixed day (25 October 2026), in two topics: each lands
     * in one figure of the topic the resident chose, per day and per hour.
     */
    @Test
    void everyPathLandsInOneFigureOfTheTopicTheResidentChose() {
        String chosen = TestTopics.create(db);
        String other = TestTopics.create(db);
        // started (UTC; 09:xx and 10:xx in Amsterdam), first claim after (null: never), state, topic now, topic chosen when transferred
        row(chosen, "2026-10-25T08:00:00Z", 20, "closed", null);            // answered and closed
        row(chosen, "2026-10-25T08:05:00Z", 30, "abandoned", null);         // answered, the agent dropped, requeued, then left (the walk)
        row(chosen, "2026-10-25T08:10:00Z", 90, "callback", null);          // answered, then handed off to a callback by the agent
        row(chosen, "2026-10-25T08:15:00Z", 10, "queued", null);            // answered, requeued, waiting again
        row(chosen, "2026-10-25T08:20:00Z", 40, "active", null);            // answered, in the chat now
        row(other, "2026-10-25T08:25:00Z", 15, "abandoned", chosen);        // answered, transferred to the other topic, left while queued there
        row(other, "2026-10-25T08:30:00Z", 15, "closed", chosen);           // answered, transferred, answered there and closed
        row(chosen, "2026-10-25T09:00:00Z", null, "abandoned", null);       // left while waiting
        row(chosen, "2026-10-25T09:05:00Z", null, "callback", null);        // a callback instead of waiting
        row(chosen, "2026-10-25T09:10:00Z", null, "queued", null);          // still waiting, never answered

        String supervisor = Api.user("Tijn", List.of("supervisor"), List.of(), 3).token();
        LocalDate day = LocalDate.parse("2026-10-25");
        Map<String, Integer> a = topicFigures(supervisor, chosen, day, day);
        assertThat(a).containsEntry("offered", 10).containsEntry("answered", 7).containsEntry("abandoned", 1)
                .containsEntry("callbacks", 1).containsEntry("waiting", 1);
        assertAddsUp(a, "the chosen topic");
        Map<String, Integer> b = topicFigures(supervisor, other, day, day);
        assertThat(b).containsEntry("offered", 0).containsEntry("answered", 0).containsEntry("abandoned", 0)
                .containsEntry("callbacks", 0).containsEntry("waiting", 0);

        // per hour, for the chosen topic, for the other one, and for all topics together
        for (String topic : Arrays.asList(chosen, other, null)) {
            var request = given().auth().oauth2(supervisor).queryParam("date", "2026-10-25");
            if (topic != null) {
                request = request.queryParam("topic", topic);
            }
            JsonPath hours = request.get("/api/v1/stats/hourly").then().statusCode(200).extract().jsonPath();
            for (int h = 0; h < 24; h++) {
                assertAddsUp(figures(hours, "hours[" + h + "]."), "hour " + h + " of " + (topic == null ? "all topics" : topic));
            }
            if (chosen.equals(topic)) {
                assertThat(figures(hours, "hours[9].")).containsEntry("offered", 7).containsEntry("answered", 7)
                        .containsEntry("abandoned", 0).containsEntry("callbacks", 0).containsEntry("waiting", 0);
                assertThat(figures(hours, "hours[10].")).containsEntry("offered", 3).containsEntry("answered", 0)
                        .containsEntry("abandoned", 1).containsEntry("callbacks", 1).containsEntry("waiting", 1);
            }
            if (other.equals(topic)) {
                assertThat(figures(hours, "hours[9].")).containsEntry("offered", 0).containsEntry("abandoned", 0);
            }
        }
    }

    /**
     * Random paths through {@link Move}'s table (seeded, so a failure repeats), on Friday 23 October
     * 2026: each topic and each hour adds up, and lands where the rule says: answered once claimed,
     * else by how it ended.
     */
    @Test
    void randomPathsThroughTheMovesAddUpPerTopicAndPerHour() {
        List<String> topics = List.of(TestTopics.create(db), TestTopics.create(db), TestTopics.create(db));
        java.util.Random random = new java.util.Random(20261023L);
        Map<String, Map<String, Integer>> expected = new java.util.HashMap<>();
        for (int i = 0; i < 120; i++) {
            String chosen = topics.get(random.nextInt(topics.size()));
            String topic = chosen;
            ConversationState state = ConversationState.QUEUED;
            Integer claimedAfter = null;
            // walk until the conversation ends, or stop while it is still open
            while (!state.ended() && random.nextInt(5) > 0) {
                ConversationState from = state;
                List<Move> allowed = Arrays.stream(Move.values()).filter(m -> m.allowedFrom(from)).toList();
                Move move = allowed.get(random.nextInt(allowed.size()));
                if (move == Move.CLAIM && claimedAfter == null) {
                    claimedAfter = 1 + random.nextInt(300);
                }
                if (move == Move.TRANSFER_TO_TOPIC) {
                    topic = topics.get(random.nextInt(topics.size()));
                }
                state = move.to();
            }
            String created = "2026-10-23T%02d:%02d:00Z".formatted(6 + random.nextInt(12), random.nextInt(60));
            row(topic, created, claimedAfter, state.wire(), topic.equals(chosen) ? null : chosen);
            String outcome = claimedAfter != null ? "answered"
                    : state == ConversationState.ABANDONED ? "abandoned"
                    : state == ConversationState.CALLBACK ? "callbacks" : "waiting";
            Map<String, Integer> f = expected.computeIfAbsent(chosen, t -> new java.util.TreeMap<>(Map.of(
                    "offered", 0, "answered", 0, "abandoned", 0, "callbacks", 0, "waiting", 0)));
            f.merge("offered", 1, Integer::sum);
            f.merge(outcome, 1, Integer::sum);
        }
        String supervisor = Api.user("Tamara", List.of("supervisor"), List.of(), 3).token();
        LocalDate day = LocalDate.parse("2026-10-23");
        for (String topic : topics) {
            Map<String, Integer> figures = topicFigures(supervisor, topic, day, day);
            assertAddsUp(figures, topic);
            assertThat(figures).as(topic).isEqualTo(expected.getOrDefault(topic, Map.of(
                    "offered", 0, "answered", 0, "abandoned", 0, "callbacks", 0, "waiting", 0)));
            assertThat(hourlySums(supervisor, topic, day, day)).as("hours of " + topic).isEqualTo(figures);
        }
    }

    private static void assertAddsUp(Map<String, Integer> f, String what) {
        assertThat(f.get("answered") + f.get("abandoned") + f.get("callbacks") + f.get("waiting"))
                .as("answered + abandoned + callbacks + waiting = offered, " + what).isEqualTo(f.get("offered"));
    }

    private static final List<String> FIGURES = List.of("offered", "answered", "abandoned", "callbacks", "waiting");

    private static Map<String, Integer> figures(JsonPath json, String prefix) {
        Map<String, Integer> out = new java.util.TreeMap<>();
        for (String f : FIGURES) {
            Integer v = json.get(prefix + f);
            out.put(f, v == null ? -1 : v);
        }
        return out;
    }

    private static Map<String, Integer> topicFigures(String supervisor, String topic, LocalDate first, LocalDate last) {
        JsonPath json = given().auth().oauth2(supervisor).queryParam("from", first.toString()).queryParam("to", last.toString())
                .get("/api/v1/stats").then().statusCode(200).extract().jsonPath();
        return figures(json, "topics.find { it.topic == '" + topic + "' }.");
    }

    /** Each figure summed over the hours of the days {@code first} to {@code last}, each hour checked to add up on the way. */
    private static Map<String, Integer> hourlySums(String supervisor, String topic, LocalDate first, LocalDate last) {
        Map<String, Integer> sum = new java.util.TreeMap<>();
        for (LocalDate day = first; !day.isAfter(last); day = day.plusDays(1)) {
            JsonPath json = given().auth().oauth2(supervisor).queryParam("date", day.toString()).queryParam("topic", topic)
                    .get("/api/v1/stats/hourly").then().statusCode(200).extract().jsonPath();
            for (int h = 0; h < 24; h++) {
                Map<String, Integer> hour = figures(json, "hours[" + h + "].");
                assertAddsUp(hour, "hour " + h + " of " + day);
                hour.forEach((k, v) -> sum.merge(k, v, Integer::sum));
            }
        }
        return sum;
    }

    private static LocalDate today() {
        return LocalDate.now(OpeningHours.ZONE);
    }

    private void row(String topic, String created, Integer answerAfter, String state, String startedTopic) {
        db.query("""
                insert into conversation (id, topic, started_topic, state, created_at, queued_at, first_assigned_at, assigned_at, closed_at, updated_at)
                values (gen_random_uuid(), $1, $5, $2, $3::timestamptz, $3::timestamptz,
                        $3::timestamptz + make_interval(secs => $4),
                        case when $2 = 'active' then $3::timestamptz + make_interval(secs => $4) end,
                        case when $2 in ('closed', 'abandoned', 'callback') then $3::timestamptz + make_interval(secs => coalesce($4, 0) + 60) end,
                        now())""",
                Tuple.tuple(Arrays.asList(topic, state, java.time.OffsetDateTime.parse(created),
                        answerAfter == null ? null : (double) answerAfter, startedTopic))).await().indefinitely();
    }
}
