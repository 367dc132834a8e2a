package nl.loket.callback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.events.EventDrainer;
import nl.loket.events.EventLog;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

/** The callback hand-off end to end: offers, requests from three doors, and working the list. */
@QuarkusTest
class CallbackFlowTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    EventLog events;

    @Inject
    EventDrainer drainer;

    @Test
    void aResidentWithNoAgentAroundIsOfferedACallbackOnceAndAcceptsIt() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, "Hanna");
        assertThat(started.getValue("estimatedWaitSeconds")).isNull();
        String id = started.getString("id");
        Instant queuedAt;
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            JsonObject state = resident.next("state");
            assertThat(state.getValue("estimatedWaitSeconds")).isNull();
            JsonObject offer = resident.next("callback_offer");
            assertThat(offer.getString("reason")).isEqualTo("no_agents");
            // the offer comes right after the state, once: not again on the next queue change
            assertThat(resident.frames().indexOf(offer)).isEqualTo(resident.frames().indexOf(state) + 1);
            Api.start(topic, null);
            Api.start(topic, null);
            resident.send(frame("message", "clientMsgId", "m1", "text", "Is er iemand?"));
            resident.next("message");
            assertThat(resident.frames("callback_offer")).hasSize(1);

            // a bad number is a field error and nothing changes
            resident.send(frame("request_callback", "phone", "12345"));
            JsonObject error = resident.next("error");
            assertThat(error.getString("code")).isEqualTo("invalid_callback");
            assertThat(error.getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("phone");

            resident.send(frame("request_callback", "phone", "06 12345678", "window", "morning", "note", "Over mijn paspoort"));
            JsonObject handedOff = resident.next(f -> "state".equals(f.getString("type")) && "callback".equals(f.getString("state")));
            assertThat(handedOff.getString("reason")).isEqualTo("callback");
            String callbackId = resident.next("callback_created").getString("callbackId");
            assertThat(resident.next("message").getString("from")).isEqualTo("system");

            queuedAt = db.query("select queued_at from conversation where id = $1::uuid", Tuple.of(id))
                    .map(r -> r.iterator().next().getOffsetDateTime("queued_at").toInstant()).await().indefinitely();
            String agent = Api.agent("Lotte", List.of(topic), 3).token();
            JsonObject request = new JsonObject(given().auth().oauth2(agent).get("/api/v1/callbacks/" + callbackId)
                    .then().statusCode(200).extract().asString());
            assertThat(request.getString("conversationId")).isEqualTo(id);
            assertThat(request.getString("phone")).isEqualTo("+31612345678");
            assertThat(request.getString("name")).isEqualTo("Hanna");
            assertThat(request.getString("window")).isEqualTo("morning");
            assertThat(Instant.parse(request.getString("priorityAt"))).isEqualTo(queuedAt);
            // the resident can read their own request with the conversation token
            given().auth().oauth2(started.getString("token")).get("/api/v1/callbacks/" + callbackId).then().statusCode(200);
            // once claimed and tried: how it went, not who on the staff has it nor what they noted for colleagues
            given().auth().oauth2(agent).post("/api/v1/callbacks/" + callbackId + "/claim").then().statusCode(200);
            given().auth().oauth2(agent).contentType(ContentType.JSON).body(Map.of("result", "no_answer", "note", "voicemail, klonk gehaast"))
                    .post("/api/v1/callbacks/" + callbackId + "/attempts").then().statusCode(200);
            JsonObject seen = new JsonObject(given().auth().oauth2(started.getString("token")).get("/api/v1/callbacks/" + callbackId)
                    .then().statusCode(200).extract().asString());
            assertThat(seen.getJsonArray("attempts")).hasSize(1);
            JsonObject attempt = seen.getJsonArray("attempts").getJsonObject(0);
            assertThat(attempt.getString("result")).isEqualTo("no_answer");
            assertThat(attempt.getString("at")).isNotNull();
            assertThat(attempt.getValue("note")).isNull();
            assertThat(attempt.getValue("by")).isNull();
            assertThat(seen.getValue("claimedBy")).isNull();
            assertThat(seen.encode()).doesNotContain("klonk gehaast").doesNotContain("lotte");
            JsonObject staff = new JsonObject(given().auth().oauth2(agent).get("/api/v1/callbacks/" + callbackId).asString());
            assertThat(staff.getJsonArray("attempts").getJsonObject(0).getString("note")).isEqualTo("voicemail, klonk gehaast");
            // the transcript stays attached
            assertThat(db.query("select count(*) as n from message where conversation_id = $1::uuid and sender = 'resident'", Tuple.of(id))
                    .map(r -> r.iterator().next().getLong("n")).await().indefinitely()).isEqualTo(1);
        }
    }

    @Test
    void aLongWaitIsOfferedWhenTheEstimatePassesTheThreshold() {
        String topic = TestTopics.create(db);
        db.query("update topic set callback_threshold_seconds = 60 where id = $1", Tuple.of(topic)).await().indefinitely();
        Api.Agent agent = Api.agent("Mo", List.of(topic), 1);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            JsonObject first = Api.start(topic, null);
            try (WsClient r1 = WsClient.connect(base, "/ws/resident/" + first.getString("id"), first.getString("token"))) {
                r1.next("state");
                ws.send(frame("claim"));
                ws.next("assigned");
                // the only slot is taken: the next resident waits about one handle time (300 s by default) > 60 s
                JsonObject second = Api.start(topic, null);
                assertThat(second.getInteger("estimatedWaitSeconds")).isEqualTo(300);
                try (WsClient r2 = WsClient.connect(base, "/ws/resident/" + second.getString("id"), second.getString("token"))) {
                    assertThat(r2.next("state").getInteger("estimatedWaitSeconds")).isEqualTo(300);
                    JsonObject offer = r2.next("callback_offer");
                    assertThat(offer.getString("reason")).isEqualTo("long_wait");
                    assertThat(offer.getInteger("estimatedWaitSeconds")).isEqualTo(300);
                    // the agent closes: the slot is free, the wait is short, and no new offer follows
                    ws.send(frame("close", "conversationId", first.getString("id"), "outcome", "answered"));
                    r2.next(f -> "state".equals(f.getString("type")) && Integer.valueOf(0).equals(f.getInteger("estimatedWaitSeconds")));
                    assertThat(r2.frames("callback_offer")).hasSize(1);
                }
            }
        }
    }

    @Test
    void aCapacityFlagOffersCallbacksUntilItExpires() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Sam", List.of(topic), 3);
        String supervisor = Api.user("Sanne", List.of("supervisor"), List.of(topic), 3).token();
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            JsonObject started = Api.start(topic, null);
            try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
                resident.next("state");
                assertThat(offered(topic)).isFalse();

                // agents may not flag; a supervisor may
                given().auth().oauth2(agent.token()).contentType(ContentType.JSON).body(Map.of("short", true))
                        .put("/api/v1/capacity/" + topic).then().statusCode(403);
                given().auth().oauth2(supervisor).contentType(ContentType.JSON)
                        .body(Map.of("short", true, "until", Instant.now().plusSeconds(4).toString(), "reason", "storing"))
                        .put("/api/v1/capacity/" + topic).then().statusCode(200).body("short", equalTo(true));
                assertThat(resident.next("callback_offer").getString("reason")).isEqualTo("capacity_short");
                assertThat(offered(topic)).isTrue();
                await().atMost(Duration.ofSeconds(10)).until(() -> !offered(topic));
            }
        }
        given().auth().oauth2(supervisor).contentType(ContentType.JSON).body(Map.of("short", true, "until", "2020-01-01T00:00:00Z"))
                .put("/api/v1/capacity/" + topic).then().statusCode(400).body("errors.field", hasItem("until"));
        given().auth().oauth2(supervisor).contentType(ContentType.JSON).body(Map.of("short", true))
                .put("/api/v1/capacity/geen-onderwerp").then().statusCode(400);
    }

    @Test
    void anAgentHandsAnActiveConversationOffToACallback() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Iris", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Kim");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"));
             WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            resident.next("state");
            ws.next("hello");
            ws.send(frame("claim"));
            ws.next("assigned");
            ws.send(frame("callback", "conversationId", started.getString("id"), "phone", "nope", "ref", "c1"));
            JsonObject bad = ws.next("error");
            assertThat(bad.getString("code")).isEqualTo("invalid_callback");
            assertThat(bad.getString("ref")).isEqualTo("c1");
            ws.send(frame("callback", "conversationId", started.getString("id"), "phone", "+31 20 1234567", "window", "afternoon"));
            assertThat(ws.next("ended").getString("reason")).isEqualTo("callback");
            resident.next(f -> "state".equals(f.getString("type")) && "callback".equals(f.getString("state")));
            String callbackId = resident.next("callback_created").getString("callbackId");
            JsonObject request = new JsonObject(given().auth().oauth2(agent.token()).get("/api/v1/callbacks/" + callbackId).asString());
            assertThat(request.getString("phone")).isEqualTo("+31201234567");
            assertThat(request.getString("name")).isEqualTo("Kim");
            assertThat(ws.next("callbacks").getJsonArray("topics").getJsonObject(0).getInteger("open")).isEqualTo(1);
        }
    }

    @Test
    void theDirectRequestValidatesAndProtectsAgainstDuplicates() {
        String topic = TestTopics.create(db);
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "06 1234", "window", "evening"))
                .post("/api/v1/callbacks").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("phone")).body("errors.field", hasItem("window"));
        given().contentType(ContentType.JSON).body(Map.of("topic", "nergens", "phone", "0612345678"))
                .post("/api/v1/callbacks").then().statusCode(400).body("errors.field", hasItem("topic"));

        JsonObject first = new JsonObject(given().contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "phone", "06-12345678", "name", "Ali")).post("/api/v1/callbacks")
                .then().statusCode(201).extract().asString());
        // the same number again is answered like a new request, with its own id (see CallbackRepeatTest)
        JsonObject again = new JsonObject(given().contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "phone", "+31612345678")).post("/api/v1/callbacks")
                .then().statusCode(201).extract().asString());
        assertThat(again.getString("id")).isNotEqualTo(first.getString("id"));
        // another topic is another request
        given().contentType(ContentType.JSON).body(Map.of("topic", TestTopics.create(db), "phone", "0612345678"))
                .post("/api/v1/callbacks").then().statusCode(201);

        // the resident reads and cancels their own, and nobody else's
        JsonObject other = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0201234567"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString());
        given().auth().oauth2(first.getString("token")).get("/api/v1/callbacks/" + first.getString("id"))
                .then().statusCode(200).body("state", equalTo("open")).body("name", equalTo("Ali"));
        given().auth().oauth2(first.getString("token")).get("/api/v1/callbacks/" + other.getString("id")).then().statusCode(403);
        given().auth().oauth2(first.getString("token")).delete("/api/v1/callbacks/" + other.getString("id")).then().statusCode(403);
        given().auth().oauth2(first.getString("token")).contentType(ContentType.JSON).body(Map.of("reason", "al geregeld"))
                .delete("/api/v1/callbacks/" + first.getString("id")).then().statusCode(204);
        given().auth().oauth2(first.getString("token")).delete("/api/v1/callbacks/" + first.getString("id")).then().statusCode(409);
        // cancelled, so the number may ask again
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0612345678"))
                .post("/api/v1/callbacks").then().statusCode(201);
    }

    @Test
    void twoAgentsClaimingOneRequestAtOnceGetItOnce() throws Exception {
        String topic = TestTopics.create(db);
        String a = Api.agent("Evi", List.of(topic), 3).token();
        String b = Api.agent("Finn", List.of(topic), 3).token();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int i = 0; i < 20; i++) {
                String id = new JsonObject(given().contentType(ContentType.JSON)
                        .body(Map.of("topic", topic, "phone", "06" + (20000000 + i))).post("/api/v1/callbacks")
                        .then().statusCode(201).extract().asString()).getString("id");
                CompletableFuture<Integer> ca = CompletableFuture.supplyAsync(() ->
                        given().auth().oauth2(a).post("/api/v1/callbacks/" + id + "/claim").statusCode(), pool);
                CompletableFuture<Integer> cb = CompletableFuture.supplyAsync(() ->
                        given().auth().oauth2(b).post("/api/v1/callbacks/" + id + "/claim").statusCode(), pool);
                assertThat(List.of(ca.get(), cb.get())).containsExactlyInAnyOrder(200, 409);
            }
        } finally {
            pool.shutdown();
        }
        given().auth().oauth2(a).get("/api/v1/callbacks?state=claimed&topic=" + topic).then().statusCode(200).body("items", hasSize(20));
    }

    @Test
    void noAnswerRetriesLaterAndFailsAfterTheLastAttempt() {
        String topic = TestTopics.create(db);
        String agent = Api.agent("Gijs", List.of(topic), 3).token();
        String other = Api.agent("Hein", List.of(topic), 3).token();
        String id = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0612121212"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString()).getString("id");

        given().auth().oauth2(agent).contentType(ContentType.JSON).body(Map.of("result", "no_answer"))
                .post("/api/v1/callbacks/" + id + "/attempts").then().statusCode(409);
        for (int attempt = 1; attempt <= 3; attempt++) {
            given().auth().oauth2(agent).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200).body("state", equalTo("claimed"));
            given().auth().oauth2(other).contentType(ContentType.JSON).body(Map.of("result", "reached"))
                    .post("/api/v1/callbacks/" + id + "/attempts").then().statusCode(409);
            var response = given().auth().oauth2(agent).contentType(ContentType.JSON)
                    .body(Map.of("result", "no_answer", "note", "voicemail"))
                    .post("/api/v1/callbacks/" + id + "/attempts").then().statusCode(200).body("attempts", hasSize(attempt));
            if (attempt < 3) {
                response.body("state", equalTo("open"));
                // not claimable before its next attempt time, and not listed as open now
                given().auth().oauth2(agent).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(409);
                given().auth().oauth2(agent).get("/api/v1/callbacks?state=open&topic=" + topic).then().body("items", hasSize(0));
                db.query("update callback_request set next_attempt_at = now() - interval '1 second' where id = $1::uuid", Tuple.of(id))
                        .await().indefinitely();
                given().auth().oauth2(agent).get("/api/v1/callbacks?state=open&topic=" + topic).then().body("items", hasSize(1));
            } else {
                response.body("state", equalTo("failed"));
            }
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> events.recent().stream().anyMatch(e ->
                "callback.failed".equals(e.getString("type")) && id.equals(e.getJsonObject("data").getString("callbackId"))));

        // reached → done
        String second = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0613131313"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString()).getString("id");
        given().auth().oauth2(agent).post("/api/v1/callbacks/" + second + "/claim").then().statusCode(200);
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(Map.of("result", "reached"))
                .post("/api/v1/callbacks/" + second + "/attempts").then().statusCode(200).body("state", equalTo("done"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(Map.of("result", "maybe"))
                .post("/api/v1/callbacks/" + second + "/attempts").then().statusCode(400);
    }

    @Test
    void eventsLeaveOnlyForCommittedChanges() {
        String topic = TestTopics.create(db);
        String marker = "rollback-" + System.nanoTime();
        try {
            db.tx(tx -> nl.loket.events.DomainEvents.record(tx, "callback.requested", new JsonObject().put("callbackId", marker))
                    .chain(() -> io.smallrye.mutiny.Uni.createFrom().failure(new IllegalStateException("boom")))).await().indefinitely();
        } catch (IllegalStateException expected) {
            // the change failed, so must its event
        }
        String id = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0614141414"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString()).getString("id");
        drainer.drainOnce().await().indefinitely();
        await().atMost(Duration.ofSeconds(5)).until(() -> events.recent().stream().anyMatch(e ->
                "callback.requested".equals(e.getString("type")) && id.equals(e.getJsonObject("data").getString("callbackId"))));
        assertThat(events.recent()).noneMatch(e -> marker.equals(e.getJsonObject("data").getString("callbackId")));
        assertThat(db.query("select count(*) as n from outbox where payload->>'callbackId' = $1", Tuple.of(marker))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely()).isZero();
    }

    private boolean offered(String topic) {
        List<Map<String, Object>> topics = given().get("/api/v1/topics").then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> mine = new HashMap<>(topics.stream().filter(t -> topic.equals(t.get("id"))).findFirst().orElseThrow());
        return (Boolean) mine.get("callbackOffered");
    }
}
