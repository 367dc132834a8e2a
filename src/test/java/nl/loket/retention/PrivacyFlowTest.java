package nl.loket.retention;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
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
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class PrivacyFlowTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Retention retention;

    @Test
    void aBsnInTheChatIsNeverStoredNorRelayedAndTheResidentHearsWhy() {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chat(base, topic, "Bea", 3, null);
        String id = chat.id();
        try (WsClient resident = chat.resident(); WsClient ws = chat.console()) {
            ws.send(frame("claim"));
            ws.next("assigned");
            resident.send(frame("message", "clientMsgId", "b1", "text", "Mijn BSN is 111222333 en IBAN NL91ABNA0417164300"));
            JsonObject own = resident.next("message");
            assertThat(own.getString("text")).isEqualTo("Mijn BSN is [BSN verwijderd] en IBAN [IBAN verwijderd]");
            JsonObject why = resident.next("message");
            assertThat(why.getString("from")).isEqualTo("system");
            assertThat(why.getString("text")).contains("burgerservicenummer");
            assertThat(ws.next("message").getString("text")).doesNotContain("111222333").doesNotContain("NL91");
            ws.send(frame("note", "conversationId", id, "clientMsgId", "n1", "text", "bsn 111 222 333 genoteerd"));
            assertThat(ws.next(f -> "note".equals(f.getString("from"))).getString("text")).isEqualTo("bsn [BSN verwijderd] genoteerd");
            ws.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "BSN 111222333 gecontroleerd"));
            ws.next("ended");
        }
        assertThat(texts(id)).noneMatch(t -> t.contains("111222333") || t.contains("111 222 333") || t.contains("NL91"));
        assertThat(db.query("select summary from conversation where id = $1::uuid", Tuple.of(id))
                .map(r -> r.iterator().next().getString("summary")).await().indefinitely()).isEqualTo("BSN [BSN verwijderd] gecontroleerd");
        // the note was redacted, and the resident got one explanation (for their own message), not one for the note
        assertThat(db.query("select count(*) as n from message where conversation_id = $1::uuid and sender = 'system' "
                        + "and text like '%burgerservicenummer%'", Tuple.of(id))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely()).isEqualTo(1);
    }

    @Test
    void retentionPurgesPersonalDataAfter28DaysAndKeepsCountsAndTimings() {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chat(base, topic, "Cas", 3, "Dina");
        Api.Agent agent = chat.agent();
        JsonObject started = chat.started();
        String id = chat.id();
        try (WsClient resident = chat.resident(); WsClient ws = chat.console()) {
            resident.send(frame("message", "clientMsgId", "r1", "text", "Ik wil verhuizen"));
            resident.next("message");
            ws.send(frame("claim"));
            ws.next("assigned");
            ws.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "Verhuizing uitgelegd"));
            ws.next("ended");
        }
        given().auth().oauth2(started.getString("token")).contentType(ContentType.JSON).body(Map.of("score", 4, "comment", "Snel geholpen"))
                .post("/api/v1/conversations/" + id + "/rating").then().statusCode(204);
        String callback = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0617171717", "name", "Dina"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString()).getString("id");
        given().auth().oauth2(agent.token()).post("/api/v1/callbacks/" + callback + "/claim").then().statusCode(200);
        given().auth().oauth2(agent.token()).contentType(ContentType.JSON).body(Map.of("result", "reached", "note", "Teruggebeld"))
                .post("/api/v1/callbacks/" + callback + "/attempts").then().statusCode(200);

        // 27 days on: nothing yet
        Retention.Run early = retention.purge(Instant.now().plus(Duration.ofDays(27))).await().indefinitely();
        assertThat(early.ran()).isTrue();
        assertThat(resident(id).getString("resident_name")).isEqualTo("Dina");
        assertThat(clientKey("conversation", id)).as("the conversation's client key, kept for its limits").isNotNull();
        assertThat(clientKey("callback_request", callback)).as("the callback request's client key").isNotNull();
        // 29 days on: gone, but the numbers stay
        Retention.Run run = retention.purge(Instant.now().plus(Duration.ofDays(29))).await().indefinitely();
        assertThat(run.conversations()).isGreaterThanOrEqualTo(1);
        assertThat(run.callbacks()).isGreaterThanOrEqualTo(1);
        JsonObject after = resident(id);
        assertThat(after.getString("resident_name")).isNull();
        assertThat(after.getString("summary")).isNull();
        assertThat(after.getString("rating_comment")).isNull();
        assertThat(after.getInteger("rating")).isEqualTo(4);
        assertThat(after.getString("outcome")).isEqualTo("answered");
        assertThat(after.getValue("closed_at")).isNotNull();
        assertThat(texts(id)).allMatch(t -> t == null || t.isEmpty());
        // the resident's message and the closing system message: rows stay, texts go
        assertThat(db.query("select count(*) as n from message where conversation_id = $1::uuid", Tuple.of(id))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely()).isEqualTo(2);
        JsonObject cb = new JsonObject(given().auth().oauth2(agent.token()).get("/api/v1/callbacks/" + callback).asString());
        assertThat(cb.getValue("phone")).isNull();
        assertThat(cb.getValue("name")).isNull();
        assertThat(cb.getJsonArray("attempts").getJsonObject(0).getString("result")).isEqualTo("reached");
        assertThat(cb.getJsonArray("attempts").getJsonObject(0).getValue("note")).isNull();
        // nor the client's keyed hash, by which its requests could be told from others'
        assertThat(clientKey("conversation", id)).as("the conversation's client key").isNull();
        assertThat(clientKey("callback_request", callback)).as("the callback request's client key").isNull();
        // the transcript still reads, with the texts marked removed
        assertThat(given().auth().oauth2(agent.token()).accept(ContentType.TEXT).get("/api/v1/conversations/" + id + "/transcript")
                .asString()).contains("(verwijderd)");
        // each run is audited
        given().auth().oauth2(Api.adminToken()).queryParam("action", "retention_run").get("/api/v1/admin/audit")
                .then().statusCode(200).body("items[0].detail.retentionDays", equalTo(28));
    }

    @Test
    void whileOneNodePurgesAnotherSkips() {
        var other = db.pool().getConnection().await().indefinitely();
        try {
            // another node is in the middle of a run: it holds the lock
            other.preparedQuery("select pg_advisory_lock($1)").execute(Tuple.of(Retention.LOCK)).await().indefinitely();
            assertThat(retention.purge(Instant.now()).await().indefinitely().ran()).isFalse();
            other.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(Retention.LOCK)).await().indefinitely();
            assertThat(retention.purge(Instant.now()).await().indefinitely().ran()).isTrue();
        } finally {
            other.close().await().indefinitely();
        }
    }

    @Test
    void anAdminForgetsAResidentOnRequestAndItIsAudited() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, "Eva");
        String admin = Api.adminToken();
        given().auth().oauth2(admin).delete("/api/v1/admin/conversations/" + started.getString("id") + "/personal-data")
                .then().statusCode(204);
        assertThat(resident(started.getString("id")).getString("resident_name")).isNull();
        given().auth().oauth2(admin).delete("/api/v1/admin/conversations/00000000-0000-4000-8000-000000000000/personal-data")
                .then().statusCode(404);

        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0618181818", "name", "Eva"))
                .post("/api/v1/callbacks").then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "06 18181818"))
                .post("/api/v1/admin/callbacks/forget").then().statusCode(200).body("removed", equalTo(1));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "nonsense"))
                .post("/api/v1/admin/callbacks/forget").then().statusCode(400);
        given().auth().oauth2(admin).queryParam("conversationId", started.getString("id")).get("/api/v1/admin/audit")
                .then().statusCode(200).body("items[0].action", equalTo("forget_conversation"));
    }

    /**
     * A request made while the chat still runs: what was written before goes now, what is written
     * after (a message, the closing summary, a rating comment) goes with the retention run after
     * the close. Was a bug: the request marked the conversation purged, and the run skipped it for
     * good, so the later texts stayed in every transcript.
     */
    @Test
    void aRequestWhileTheChatRunsAlsoCoversWhatIsWrittenAfterIt() {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chat(base, topic, "Fenna", 3, "Eva de Vries");
        JsonObject started = chat.started();
        String id = chat.id();
        String admin = Api.adminToken();
        try (WsClient resident = chat.resident(); WsClient ws = chat.console()) {
            resident.send(frame("message", "clientMsgId", "r0", "text", "Mijn naam is Eva de Vries"));
            resident.next("message");
            ws.send(frame("claim"));
            ws.next("assigned");
            given().auth().oauth2(admin).delete("/api/v1/admin/conversations/" + id + "/personal-data").then().statusCode(204);
            assertThat(texts(id)).doesNotContain("Mijn naam is Eva de Vries");
            resident.send(frame("message", "clientMsgId", "r1", "text", "Ik woon op Dorpsstraat 12 in Ons Dorp"));
            resident.next(f -> "message".equals(f.getString("type")) && "r1".equals(f.getString("clientMsgId")));
            ws.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "Adres Dorpsstraat 12 doorgegeven"));
            ws.next("ended");
        }
        given().auth().oauth2(started.getString("token")).contentType(ContentType.JSON)
                .body(Map.of("score", 5, "comment", "Groeten van Eva, Dorpsstraat 12"))
                .post("/api/v1/conversations/" + id + "/rating").then().statusCode(204);

        // the resident's socket closed above; the server records that in a transaction that updates the conversation's row
        // (resident_gone_at). A run leaves a row in use to the next run (purgeEndedBefore: skip locked), so purge once
        // that is committed, not while it may still hold the row: the purge came 20 ms after it, and once in CI during it
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> residentGoneRecorded(id));
        // and a run of our own: one the scheduler started at that moment holds the lock, and ours would skip everything
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> retention.purge(Instant.now().plus(Duration.ofDays(29))).await().indefinitely().ran());

        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        assertThat(given().auth().oauth2(integrator).accept(ContentType.TEXT).get("/api/v1/conversations/" + id + "/transcript")
                .then().statusCode(200).extract().asString()).doesNotContain("Dorpsstraat");
        JsonObject after = resident(id);
        assertThat(after.getString("summary")).isNull();
        assertThat(after.getString("rating_comment")).isNull();
        assertThat(after.getInteger("rating")).isEqualTo(5);
    }

    /** After a request for a chat that has ended, a rating still counts, but its comment is not kept. */
    @Test
    void aRatingCommentAfterTheRequestIsNotKept() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Gerrit", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Ids");
        String id = started.getString("id");
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            ws.send(frame("claim"));
            ws.next("assigned");
            ws.send(frame("close", "conversationId", id, "outcome", "answered"));
            ws.next("ended");
        }
        given().auth().oauth2(Api.adminToken()).delete("/api/v1/admin/conversations/" + id + "/personal-data").then().statusCode(204);
        given().auth().oauth2(started.getString("token")).contentType(ContentType.JSON)
                .body(Map.of("score", 2, "comment", "Groeten van Ids uit de Kerkstraat"))
                .post("/api/v1/conversations/" + id + "/rating").then().statusCode(204);
        assertThat(resident(id).getInteger("rating")).isEqualTo(2);
        assertThat(resident(id).getString("rating_comment")).isNull();
    }

    /** The callback request a chat was handed off to holds the same resident's number and name: it goes with the chat. */
    @Test
    void forgettingAChatAlsoForgetsTheCallbackRequestItBecame() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, "Hanna");
        String id = started.getString("id");
        String callbackId;
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            resident.next("callback_offer");
            resident.send(frame("request_callback", "phone", "06 12345678", "note", "Over mijn paspoort"));
            callbackId = resident.next("callback_created").getString("callbackId");
        }
        String admin = Api.adminToken();
        given().auth().oauth2(admin).delete("/api/v1/admin/conversations/" + id + "/personal-data").then().statusCode(204);

        String agent = Api.agent("Lotte", List.of(topic), 3).token();
        JsonObject request = new JsonObject(given().auth().oauth2(agent).get("/api/v1/callbacks/" + callbackId)
                .then().statusCode(200).extract().asString());
        assertThat(request.getValue("phone")).isNull();
        assertThat(request.getValue("name")).isNull();
        assertThat(request.getValue("note")).isNull();
        assertThat(request.getString("state")).isEqualTo("cancelled");
        // the agent's read of the request above is audited under the conversation too (read_callback): ask for the erasure's entry
        given().auth().oauth2(admin).queryParam("conversationId", id).queryParam("action", "forget_conversation").get("/api/v1/admin/audit")
                .then().statusCode(200).body("items.size()", equalTo(1))
                .body("items[0].action", equalTo("forget_conversation")).body("items[0].detail.callbacks", equalTo(1));
    }

    /**
     * An integrator who follows the feed learns of a purge, also of one that found its row in use.
     * Was a bug: the run waited for the row and then stamped its change with the time it began,
     * older than the feed's safety lag at its commit, behind what the integrator had already read.
     * Now a run leaves a row in use to the next run and stamps the change with the clock at the row.
     */
    @Test
    void theFeedShowsAPurgeOfAConversationThatWasInUse() throws Exception {
        String topic = TestTopics.create(db);
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        var other = db.pool().getConnection().await().indefinitely();
        try {
            // the node's own hourly run (its first 30 s after the start) may purge the row between its
            // insert and this lock: then it is gone before the test begins, and a fresh one is taken
            UUID found = null;
            for (int attempt = 0; found == null && attempt < 3; attempt++) {
                UUID candidate = UUID.randomUUID();
                db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, closed_at, updated_at) "
                        + "values ($1, $2, 'closed', 'Geheime Naam', now() - interval '40 days', now() - interval '40 days', "
                        + "now() - interval '30 days', now() - interval '30 days')", Tuple.of(candidate, topic)).await().indefinitely();
                other.query("begin").execute().await().indefinitely();
                boolean named = other.preparedQuery("select resident_name from conversation where id = $1 for update")
                        .execute(Tuple.of(candidate)).await().indefinitely().iterator().next().getString("resident_name") != null;
                if (named) {
                    found = candidate;
                } else {
                    other.query("rollback").execute().await().indefinitely();
                    db.query("delete from conversation where id = $1", Tuple.of(candidate)).await().indefinitely();
                }
            }
            assertThat(found).as("a row the node's own run had not purged yet").isNotNull();
            UUID old = found;
            CompletableFuture<Retention.Run> first = retention.purge(Instant.now()).subscribeAsCompletionStage().toCompletableFuture();
            Thread.sleep(500);
            db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, updated_at) "
                    + "values ($1, $2, 'queued', 'Ander', now(), now(), now())", Tuple.of(UUID.randomUUID(), topic)).await().indefinitely();
            Thread.sleep(1500); // past the tests' safety lag of 1 s
            // the integrator reads the feed to its end and keeps the last updatedAt, as docs/protocol.md says
            JsonArray items = new JsonObject(given().auth().oauth2(integrator).queryParam("topic", topic).get("/api/v1/conversations")
                    .then().statusCode(200).extract().asString()).getJsonArray("items");
            // "Ander" changed after the row was taken: the feed holds it back while that transaction may still commit
            assertThat(items).isNotEmpty();
            assertThat(items.getJsonObject(0).getString("residentName")).isEqualTo("Geheime Naam");
            String last = items.getJsonObject(items.size() - 1).getString("updatedAt");
            other.query("rollback").execute().await().indefinitely();
            first.get(30, TimeUnit.SECONDS);
            retention.purge(Instant.now()).await().indefinitely(); // the next run
            Thread.sleep(1500);

            JsonArray next = new JsonObject(given().auth().oauth2(integrator).queryParam("topic", topic).queryParam("updatedSince", last)
                    .get("/api/v1/conversations").then().statusCode(200).extract().asString()).getJsonArray("items");
            JsonObject purged = next.stream().map(JsonObject.class::cast).filter(c -> old.toString().equals(c.getString("id")))
                    .findFirst().orElse(null);
            assertThat(purged).as("the purged conversation in the next poll").isNotNull();
            assertThat(purged.getValue("residentName")).isNull();
        } finally {
            other.close().await().indefinitely();
        }
    }

    /** A backlog longer than one batch is purged in one run, a short transaction per batch, and counted. */
    @Test
    void aBacklogOfSeveralBatchesIsPurgedInOneRun() {
        String topic = TestTopics.create(db);
        int backlog = 2 * Retention.PURGE_BATCH + 50;
        db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, closed_at, updated_at) "
                + "select gen_random_uuid(), $1, 'closed', 'Naam ' || n, now() - interval '40 days', now() - interval '40 days', "
                + "now() - interval '30 days', now() - interval '30 days' from generate_series(1, $2) n", Tuple.of(topic, backlog))
                .await().indefinitely();
        Retention.Run run = retention.purge(Instant.now()).await().indefinitely();
        assertThat(run.conversations()).isGreaterThanOrEqualTo(backlog);
        assertThat(db.query("select count(*) as n from conversation where topic = $1 and resident_name is not null", Tuple.of(topic))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely()).as("names left").isZero();
    }

    private List<String> texts(String id) {
        return db.query("select text from message where conversation_id = $1::uuid order by seq", Tuple.of(id))
                .map(rows -> {
                    List<String> list = new java.util.ArrayList<>();
                    for (Row r : rows) {
                        list.add(r.getString("text"));
                    }
                    return list;
                }).await().indefinitely();
    }

    private boolean residentGoneRecorded(String id) {
        return db.query("select resident_gone_at is not null as gone from conversation where id = $1::uuid", Tuple.of(id))
                .map(r -> r.iterator().next().getBoolean("gone")).await().indefinitely();
    }

    private JsonObject resident(String id) {
        return db.query("select resident_name, summary, rating, rating_comment, outcome, closed_at from conversation where id = $1::uuid",
                Tuple.of(id)).map(r -> r.iterator().next().toJson()).await().indefinitely();
    }

    private String clientKey(String table, String id) {
        return db.query("select client_key from " + table + " where id = $1::uuid", Tuple.of(id))
                .map(r -> r.iterator().next().getString("client_key")).await().indefinitely();
    }
}
