package nl.loket.callback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.retention.Retention;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static nl.loket.Api.frame;
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

    @Inject
    Retention retention;

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

    /** Was a bug: a claim could only end in an attempt; an agent who could not call kept the request from everyone. */
    @Test
    void theAgentWhoHoldsARequestGivesItBackToTheirColleagues() {
        String topic = TestTopics.create(db);
        Api.Agent holder = Api.agent("Ilse", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Joost", List.of(topic), 3);
        String id = post(topic, "0617171703").getString("id");
        given().auth().oauth2(holder.token()).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200);

        // a colleague cannot take it from them
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + id + "/release").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("/problems/forbidden"));
        assertThat(claimedBy(holder, topic)).containsExactly(id);

        given().auth().oauth2(holder.token()).post("/api/v1/callbacks/" + id + "/release").then().statusCode(200)
                .body("state", equalTo("open")).body("claimedBy", equalTo(null)).body("claimedAt", equalTo(null));
        assertThat(claimedBy(holder, topic)).isEmpty();
        assertThat(openIds(colleague, topic)).containsExactly(id);
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200);
        // what is not one's own to give back, or no longer claimed, says so
        given().auth().oauth2(holder.token()).post("/api/v1/callbacks/" + id + "/release").then().statusCode(403);
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + id + "/release").then().statusCode(200);
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + id + "/release").then().statusCode(409)
                .body("type", equalTo("/problems/not-claimed"));
        given().auth().oauth2(colleague.token()).delete("/api/v1/callbacks/" + id).then().statusCode(204);
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + id + "/release").then().statusCode(409)
                .body("type", equalTo("/problems/already-ended"));
    }

    /** A team lead sees who holds which request since when, and frees one, e.g. of a colleague who went home ill. */
    @Test
    void aTeamLeadSeesWhoHoldsARequestSinceWhenAndFreesIt() {
        String topic = TestTopics.create(db);
        Api.Agent holder = Api.agent("Sara", List.of(topic), 3);
        Api.Agent lead = Api.user("Wim", List.of("supervisor"), List.of(), 3);
        String id = post(topic, "0617171704").getString("id");
        java.time.Instant before = java.time.Instant.now().minusSeconds(1);
        given().auth().oauth2(holder.token()).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200);

        List<Map<String, Object>> claimed = given().auth().oauth2(lead.token()).get("/api/v1/callbacks?state=claimed&topic=" + topic)
                .then().statusCode(200).extract().jsonPath().getList("items");
        assertThat(claimed).hasSize(1);
        JsonObject entry = new JsonObject(claimed.get(0));
        assertThat(entry.getString("claimedBy")).isEqualTo(holder.username());
        assertThat(entry.getString("claimedByName")).isEqualTo("Sara");
        assertThat(java.time.Instant.parse(entry.getString("claimedAt"))).isAfter(before).isBefore(java.time.Instant.now().plusSeconds(1));
        // a resident never sees who on the staff holds it, nor since when
        JsonObject request = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0617171705"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString());
        given().auth().oauth2(holder.token()).post("/api/v1/callbacks/" + request.getString("id") + "/claim").then().statusCode(200);
        given().auth().oauth2(request.getString("token")).get("/api/v1/callbacks/" + request.getString("id")).then().statusCode(200)
                .body("state", equalTo("claimed")).body("claimedBy", equalTo(null)).body("claimedByName", equalTo(null))
                .body("claimedAt", equalTo(null));

        given().auth().oauth2(lead.token()).post("/api/v1/callbacks/" + id + "/release").then().statusCode(200)
                .body("state", equalTo("open"));
        assertThat(claimedBy(holder, topic)).containsExactly(request.getString("id"));
        assertThat(openIds(holder, topic)).containsExactly(id);
    }

    /**
     * Was a bug: an agent who left was disabled with requests claimed, and nobody could ever call
     * those residents. Disabling the account, or taking away the role that works callbacks, gives
     * them back; another change of the account does not.
     */
    @Test
    void disablingAnAgentGivesTheirRequestsBack() {
        String topic = TestTopics.create(db);
        Api.Agent leaving = Api.agent("Ilse", List.of(topic), 3);
        Api.Agent promoted = Api.agent("Kees", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Joost", List.of(topic), 3);
        String first = post(topic, "0617171706").getString("id");
        String second = post(topic, "0617171707").getString("id");
        String third = post(topic, "0617171708").getString("id");
        given().auth().oauth2(leaving.token()).post("/api/v1/callbacks/" + first + "/claim").then().statusCode(200);
        given().auth().oauth2(leaving.token()).post("/api/v1/callbacks/" + second + "/claim").then().statusCode(200);
        given().auth().oauth2(promoted.token()).post("/api/v1/callbacks/" + third + "/claim").then().statusCode(200);

        // a new display name changes nothing
        saveUser(leaving, "Ilse de Vries", List.of("agent"), true);
        assertThat(openIds(colleague, topic)).isEmpty();

        try (WsClient ws = WsClient.connect(base, "/ws/agent", colleague.token())) {
            ws.next("hello");
            ws.next("callbacks");
            saveUser(leaving, "Ilse de Vries", List.of("agent"), false);
            ws.next(callbacksOf(topic));
            assertThat(openIds(colleague, topic)).containsExactlyInAnyOrder(first, second);
        }
        // an account that no longer works callbacks (here: only administration) gives them back too
        saveUser(promoted, "Kees", List.of("admin"), true);
        assertThat(openIds(colleague, topic)).containsExactlyInAnyOrder(first, second, third);
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + first + "/claim").then().statusCode(200);
    }

    /**
     * Was a bug: an administrator renamed and disabled an agent while that agent's claim of a
     * request was on its way. The save gave back what the account held as far as it could see,
     * the claim committed after it, and the request stayed with an account nobody can log in to:
     * no colleague could claim it, and the resident was never called. Now a claim takes the
     * account before the request, as the save does (account, then the requests it gives back):
     * the save waits for the claim and gives that request back too, or the claim waits for the
     * save and is refused with a 409.
     */
    @Test
    void aRequestClaimedWhileTheAdministratorDisablesTheAgentDoesNotStayWithTheDisabledAccount() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent leaving = Api.agent("Ilse", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Joost", List.of(topic), 3);
        String id = post(topic, "0617171709").getString("id");

        // the request's row busy for a moment (the test holds it), so that the claim waits in the database, past its checks
        HeldRow row = holdRequestRow(id);
        CompletableFuture<Response> claim = CompletableFuture.supplyAsync(() -> given().auth().oauth2(leaving.token())
                .post("/api/v1/callbacks/" + id + "/claim").then().extract().response());
        await().atMost(Duration.ofSeconds(10)).until(() -> waitingFor("update callback_request") > 0);
        // meanwhile the administrator saves the account: another name, and disabled
        CompletableFuture<Void> save = CompletableFuture.runAsync(() -> saveUser(leaving, "Ilse de Vries", List.of("agent"), false));
        // the save has ended (it saw nothing to give back), or it waits for the claim
        await().atMost(Duration.ofSeconds(10)).until(() -> save.isDone() || waitingFor("update app_user") > 0);
        row.release();

        save.get(10, TimeUnit.SECONDS);
        Response claimed = claim.get(10, TimeUnit.SECONDS);
        assertThat(claimed.statusCode()).as("the claim: %s", claimed.asString()).isIn(200, 409);
        if (claimed.statusCode() == 409) {
            assertThat(claimed.contentType()).startsWith("application/problem+json");
            assertThat(claimed.jsonPath().getString("type")).isEqualTo("/problems/agent-unavailable");
        }
        // whichever came first, the request is open for the colleagues, not held by an account nobody can log in to
        assertThat(db.query("select state, claimed_by from callback_request where id = $1", Tuple.of(UUID.fromString(id)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().toJson().getMap())
                .containsEntry("state", "open").containsEntry("claimed_by", null);
        assertThat(openIds(colleague, topic)).containsExactly(id);
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200);
    }

    /**
     * Was a bug: the resident who asked first cancelled the request an agent held while an
     * administrator disabled that agent. The cancel handed the claim to the later request for the
     * number after the save had given back what the account held, and that request stayed with an
     * account nobody can log in to: no colleague could claim it and the resident was never called.
     */
    @Test
    void aRepeatTakingTheCancelledRequestsPlaceWhileTheAgentIsDisabledIsOpenForColleagues() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent leaving = Api.agent("Ilse", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Joost", List.of(topic), 3);
        JsonObject first = post(topic, "0617171710");
        JsonObject repeat = post(topic, "06 1717 1710");
        given().auth().oauth2(leaving.token()).post("/api/v1/callbacks/" + first.getString("id") + "/claim").then().statusCode(200);

        disableWhileTheClaimPassesOn(leaving, repeat.getString("id"), () -> given().auth().oauth2(first.getString("token"))
                .delete("/api/v1/callbacks/" + first.getString("id")).then().statusCode(204));

        assertOpenForColleagues(repeat, colleague, topic);
    }

    /** As above, when retention expires the request the agent held and a younger repeat takes its place. */
    @Test
    void aRepeatTakingTheExpiredRequestsPlaceWhileTheAgentIsDisabledIsOpenForColleagues() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent leaving = Api.agent("Ilse", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Joost", List.of(topic), 3);
        JsonObject old = post(topic, "0617171711");
        JsonObject again = post(topic, "06 1717 1711");
        // nobody finished it for four weeks; the resident asked again today
        db.query("update callback_request set created_at = now() - interval '28 days' + interval '1 hour', "
                + "priority_at = now() - interval '28 days' where id = $1::uuid", Tuple.of(old.getString("id"))).await().indefinitely();
        given().auth().oauth2(leaving.token()).post("/api/v1/callbacks/" + old.getString("id") + "/claim").then().statusCode(200);

        disableWhileTheClaimPassesOn(leaving, again.getString("id"),
                () -> assertThat(retention.purge(Instant.now().plus(Duration.ofHours(2))).await().atMost(Duration.ofSeconds(30)).ran())
                        .isTrue());

        given().auth().oauth2(old.getString("token")).get("/api/v1/callbacks/" + old.getString("id"))
                .then().statusCode(200).body("state", equalTo("cancelled"));
        assertOpenForColleagues(again, colleague, topic);
    }

    /** As above, when the chat a request came from is forgotten on request and a later request of the number takes its place. */
    @Test
    void aRepeatTakingTheForgottenRequestsPlaceWhileTheAgentIsDisabledIsOpenForColleagues() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent leaving = Api.agent("Ilse", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Joost", List.of(topic), 3);
        JsonObject chat = Api.start(topic, "Hanna");
        String fromChat;
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + chat.getString("id"), chat.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "06 1717 1712"));
            fromChat = resident.next("callback_created").getString("callbackId");
        }
        JsonObject later = post(topic, "0617171712");
        given().auth().oauth2(leaving.token()).post("/api/v1/callbacks/" + fromChat + "/claim").then().statusCode(200);

        disableWhileTheClaimPassesOn(leaving, later.getString("id"), () -> given().auth().oauth2(Api.adminToken())
                .delete("/api/v1/admin/conversations/" + chat.getString("id") + "/personal-data").then().statusCode(204));

        assertOpenForColleagues(later, colleague, topic);
    }

    /**
     * A request left with a disabled account (as the races above did before they were fixed) is
     * not handed on with its claim: the repeat that takes its place is open for every colleague.
     */
    @Test
    void aRequestLeftWithADisabledAccountIsNotHandedOnWithItsClaim() {
        String topic = TestTopics.create(db);
        Api.Agent leaving = Api.agent("Ilse", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Joost", List.of(topic), 3);
        JsonObject first = post(topic, "0617171713");
        JsonObject repeat = post(topic, "06 1717 1713");
        given().auth().oauth2(leaving.token()).post("/api/v1/callbacks/" + first.getString("id") + "/claim").then().statusCode(200);
        // disabled without the save's give-back, as a lost race left it
        db.query("update app_user set active = false where id = $1::uuid", Tuple.of(leaving.id())).await().indefinitely();

        given().auth().oauth2(first.getString("token")).delete("/api/v1/callbacks/" + first.getString("id")).then().statusCode(204);

        assertOpenForColleagues(repeat, colleague, topic);
    }

    /**
     * The cancel looks at who holds the request before it locks it, to take that account first; a
     * colleague who claims it in between still has the repeat that takes its place: the cancel
     * takes the new holder's account and tries again, rather than leaving the repeat open.
     */
    @Test
    void aRequestClaimedJustBeforeItsResidentCancelsPassesToTheRepeatWithTheClaim() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Fleur", List.of(topic), 3);
        JsonObject first = post(topic, "0617171714");
        JsonObject repeat = post(topic, "06 1717 1714");

        // the request's row held by the test: the claim waits for it, then the cancel, which found nobody holding it, behind the claim
        CompletableFuture<Void> held = new CompletableFuture<>();
        CompletableFuture<Void> free = new CompletableFuture<>();
        CompletableFuture<Void> busy = db.tx(tx -> tx.query("select 1 from callback_request where id = $1 for update",
                                Tuple.of(UUID.fromString(first.getString("id"))))
                        .invoke(() -> held.complete(null))
                        .chain(() -> Uni.createFrom().completionStage(free)))
                .subscribeAsCompletionStage().toCompletableFuture();
        try {
            held.get(10, TimeUnit.SECONDS);
            CompletableFuture<Response> claim = CompletableFuture.supplyAsync(() -> given().auth().oauth2(agent.token())
                    .post("/api/v1/callbacks/" + first.getString("id") + "/claim").then().extract().response());
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingFor("update callback_request r set state") > 0);
            CompletableFuture<Response> cancel = CompletableFuture.supplyAsync(() -> given().auth().oauth2(first.getString("token"))
                    .delete("/api/v1/callbacks/" + first.getString("id")).then().extract().response());
            await().atMost(Duration.ofSeconds(10)).until(() -> waitingFor("select state, topic, claimed_by") > 0);
            free.complete(null);
            busy.get(10, TimeUnit.SECONDS);

            assertThat(claim.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            assertThat(cancel.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(204);
        } finally {
            free.complete(null);
        }
        assertThat(claimedBy(agent, topic)).containsExactly(repeat.getString("id"));
        assertThat(openIds(agent, topic)).isEmpty();
    }

    /**
     * Runs {@code passOn}, a move that hands the claim of the request {@code holder} holds to its
     * repeat {@code repeatId}, while the administrator disables {@code holder}: the test holds the
     * repeat's row, so that the move has taken the request and waits just before the repeat gets
     * the claim when the save comes.
     */
    private void disableWhileTheClaimPassesOn(Api.Agent holder, String repeatId, Runnable passOn) throws Exception {
        HeldRow row = holdRequestRow(repeatId);
        try {
            CompletableFuture<Void> move = CompletableFuture.runAsync(passOn);
            // the statement that gives the repeat the request's place (promoteRepeat) waits for the test
            await().atMost(Duration.ofSeconds(10)).until(() -> move.isDone() || waitingFor("with next as") > 0);
            assertThat(move).as("the move waits for the repeat's row").isNotDone();
            CompletableFuture<Void> save = CompletableFuture.runAsync(() -> saveUser(holder, "Ilse de Vries", List.of("agent"), false));
            // the save has ended, or it waits: for the account (taken by the move) or for the request (ditto)
            await().atMost(Duration.ofSeconds(10)).until(() -> save.isDone() || waitingFor("update app_user") > 0
                    || waitingFor("update callback_request set state = $2, claimed_by = null") > 0);
            row.release();
            move.get(30, TimeUnit.SECONDS);
            save.get(30, TimeUnit.SECONDS);
        } finally {
            row.free().complete(null);
        }
    }

    /** A request's row locked by the test (select ... for update) until {@link #release()}: what waits for it waits in the database. */
    private record HeldRow(CompletableFuture<Void> free, CompletableFuture<Void> busy) {
        /** Lets the row go and waits for the test's transaction to end. */
        void release() throws Exception {
            free.complete(null);
            busy.get(10, TimeUnit.SECONDS);
        }
    }

    /** Locks the request's row in a transaction of the test's own and returns once it holds it. */
    private HeldRow holdRequestRow(String requestId) throws Exception {
        CompletableFuture<Void> held = new CompletableFuture<>();
        CompletableFuture<Void> free = new CompletableFuture<>();
        CompletableFuture<Void> busy = db.tx(tx -> tx.query("select 1 from callback_request where id = $1 for update",
                                Tuple.of(UUID.fromString(requestId)))
                        .invoke(() -> held.complete(null))
                        .chain(() -> Uni.createFrom().completionStage(free)))
                .subscribeAsCompletionStage().toCompletableFuture();
        try {
            held.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            free.complete(null);
            throw e;
        }
        return new HeldRow(free, busy);
    }

    /** The repeat is open, for every colleague of the topic, its maker reads it open, and a colleague can claim it. */
    private void assertOpenForColleagues(JsonObject repeat, Api.Agent colleague, String topic) {
        String id = repeat.getString("id");
        assertThat(db.query("select state, claimed_by, merged_into from callback_request where id = $1", Tuple.of(UUID.fromString(id)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().toJson().getMap())
                .containsEntry("state", "open").containsEntry("claimed_by", null).containsEntry("merged_into", null);
        given().auth().oauth2(repeat.getString("token")).get("/api/v1/callbacks/" + id).then().statusCode(200)
                .body("state", equalTo("open"));
        assertThat(openIds(colleague, topic)).containsExactly(id);
        given().auth().oauth2(colleague.token()).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200);
    }

    /** How many statements beginning with {@code start} wait for a lock now. */
    private long waitingFor(String start) {
        return db.query("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' "
                        + "and query like $1", Tuple.of(start + "%"))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
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

    private static void saveUser(Api.Agent user, String displayName, List<String> roles, boolean active) {
        given().auth().oauth2(Api.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", user.username(), "displayName", displayName, "roles", roles, "topics",
                        given().auth().oauth2(Api.adminToken()).get("/api/v1/admin/users/" + user.id()).then().statusCode(200)
                                .extract().jsonPath().getList("topics"), "maxConcurrent", 3, "active", active))
                .put("/api/v1/admin/users/" + user.id()).then().statusCode(200);
    }

    static List<String> openIds(Api.Agent agent, String topic) {
        List<Map<String, Object>> items = given().auth().oauth2(agent.token()).get("/api/v1/callbacks?state=open&topic=" + topic)
                .then().statusCode(200).extract().jsonPath().getList("items");
        return items.stream().map(r -> (String) r.get("id")).toList();
    }

    /** The ids in the agent's "Mijn terugbelverzoeken": the claimed list, those claimed by them. */
    static List<String> claimedBy(Api.Agent agent, String topic) {
        List<Map<String, Object>> items = given().auth().oauth2(agent.token()).get("/api/v1/callbacks?state=claimed&topic=" + topic)
                .then().statusCode(200).extract().jsonPath().getList("items");
        return items.stream().filter(r -> agent.username().equals(r.get("claimedBy"))).map(r -> (String) r.get("id")).toList();
    }
}
