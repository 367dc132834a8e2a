package nl.loket.transcript;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class IntegratorApiTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    private String integrator() {
        return Api.user("CRM", List.of("integrator"), List.of(), 3).token();
    }

    @Test
    void pagingThroughTwelveHundredConversationsWhileSomeChangeSkipsNone() throws Exception {
        String topic = TestTopics.create(db);
        db.query("insert into conversation (id, topic, state, queued_at, created_at, updated_at, closed_at) "
                + "select gen_random_uuid(), $1, 'closed', now() - interval '2 hours', now() - interval '2 hours', "
                + "now() - interval '1 hour' + (g * interval '1 millisecond'), now() - interval '1 hour' "
                + "from generate_series(1, 1200) g", Tuple.of(topic)).await().indefinitely();
        Set<String> all = new HashSet<>();
        db.query("select id from conversation where topic = $1", Tuple.of(topic)).await().indefinitely()
                .forEach(r -> all.add(r.getUUID("id").toString()));
        List<String> ids = new ArrayList<>(all);

        // while the integrator pages, conversations keep changing (and committing) underneath
        Set<String> touched = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicBoolean paging = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
            while (paging.get()) {
                String id = ids.get(ThreadLocalRandom.current().nextInt(ids.size()));
                touched.add(id);
                db.query("update conversation set updated_at = now(), rating = 4 where id = $1::uuid", Tuple.of(id)).await().indefinitely();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        writer.start();
        String token = integrator();
        Map<String, List<String>> seen = new HashMap<>();
        int pages;
        String last;
        try {
            pages = pass(token, topic, null, seen);
            last = lastUpdatedAt(seen);
        } finally {
            paging.set(false);
            writer.join();
        }
        for (String id : all) {
            if (!touched.contains(id)) {
                assertThat(seen.get(id)).as("unchanged conversation %s", id).hasSize(1);
            }
        }
        // changes younger than the safety lag wait for the next poll, which resumes from the last updatedAt seen
        Thread.sleep(1500);
        pass(token, topic, last, seen);
        assertThat(seen.keySet()).containsAll(all);
        for (Map.Entry<String, List<String>> e : seen.entrySet()) {
            // a conversation that changed during the pass may come again, each time with a newer updatedAt
            assertThat(e.getValue()).as("sightings of %s", e.getKey()).doesNotHaveDuplicates();
        }
        assertThat(pages).isGreaterThanOrEqualTo(10);
        assertThat(touched).isNotEmpty();
    }

    /** Follows nextCursor until it is null; the number of pages. */
    private static int pass(String token, String topic, String updatedSince, Map<String, List<String>> seen) throws InterruptedException {
        String cursor = null;
        int pages = 0;
        do {
            var request = given().auth().oauth2(token).queryParam("topic", topic).queryParam("limit", 97);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            if (updatedSince != null) {
                request.queryParam("updatedSince", updatedSince);
            }
            JsonObject page = new JsonObject(request.get("/api/v1/conversations").then().statusCode(200).extract().asString());
            for (Object o : page.getJsonArray("items")) {
                JsonObject item = (JsonObject) o;
                List<String> sightings = seen.computeIfAbsent(item.getString("id"), k -> new ArrayList<>());
                // resuming from the last updatedAt may show that one item again, unchanged: not a new sighting
                if (updatedSince == null || !sightings.contains(item.getString("updatedAt"))) {
                    sightings.add(item.getString("updatedAt"));
                }
            }
            cursor = page.getString("nextCursor");
            pages++;
            if (pages == 5 && updatedSince == null) {
                Thread.sleep(1500);
            }
        } while (cursor != null);
        return pages;
    }

    private static String lastUpdatedAt(Map<String, List<String>> seen) {
        return seen.values().stream().flatMap(List::stream).max((a, b) -> java.time.Instant.parse(a).compareTo(java.time.Instant.parse(b)))
                .orElseThrow();
    }

    @Test
    void feedParametersAreChecked() {
        String token = integrator();
        given().auth().oauth2(token).queryParam("limit", 501).get("/api/v1/conversations")
                .then().statusCode(400).body("errors.field", hasItem("limit"));
        // not a number at all: the same field error, where JAX-RS answered 404 "no such resource"
        for (String limit : List.of("abc", "99999999999")) {
            given().auth().oauth2(token).queryParam("limit", limit).get("/api/v1/conversations")
                    .then().statusCode(400).contentType("application/problem+json").body("errors.field", hasItem("limit"));
        }
        given().auth().oauth2(token).queryParam("cursor", "bm90LW91cnM").get("/api/v1/conversations")
                .then().statusCode(400).body("errors.field", hasItem("cursor"));
        given().auth().oauth2(token).queryParam("updatedSince", "gisteren").get("/api/v1/conversations")
                .then().statusCode(400).body("errors.field", hasItem("updatedSince"));
        given().auth().oauth2(token).queryParam("state", "weird").get("/api/v1/conversations").then().statusCode(400);
        // an instant PostgreSQL cannot hold was a 500; one it can but no feed ever has (year 1, year 300000) is as wrong
        for (String since : List.of("+1000000000-01-01T00:00:00Z", "+300000-01-01T00:00:00Z", "-5000-01-01T00:00:00Z",
                "1899-12-31T23:59:59Z", "+10000-01-01T00:00:00Z")) {
            given().auth().oauth2(token).queryParam("updatedSince", since).get("/api/v1/conversations")
                    .then().statusCode(400).contentType("application/problem+json").body("type", equalTo("/problems/validation"))
                    .body("errors.field", hasItem("updatedSince"));
        }
        // an offset is converted, as ISO-8601 allows
        given().auth().oauth2(token).queryParam("updatedSince", "2026-12-01T10:00:00+01:00").get("/api/v1/conversations")
                .then().statusCode(200);
        // a topic id with a typo answered an empty feed, page after page, as if nothing ever happened
        given().auth().oauth2(token).queryParam("topic", "paspoort").get("/api/v1/conversations").then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItem("topic"))
                .body("errors.message", hasItem("onbekend onderwerp / unknown topic"));
        given().auth().oauth2(token).queryParam("topic", "paspoort-id").get("/api/v1/conversations").then().statusCode(200);
    }

    /** A blank topic is no filter, as an empty one is: it filtered on the topic " " and answered an empty feed. */
    @Test
    void aBlankTopicIsNoFilter() {
        String topic = TestTopics.create(db);
        UUID id = UUID.randomUUID();
        Instant at = Instant.parse("2001-02-03T04:05:06Z");
        db.query("insert into conversation (id, topic, state, queued_at, created_at, updated_at) values ($1, $2, 'queued', $3, $3, $3)",
                Tuple.of(id, topic, at.atOffset(java.time.ZoneOffset.UTC))).await().indefinitely();
        given().auth().oauth2(integrator()).queryParam("topic", " ").queryParam("updatedSince", at.toString()).queryParam("limit", 500)
                .get("/api/v1/conversations").then().statusCode(200).body("items.id", hasItem(id.toString()));
    }

    /** An empty or blank state or updatedSince counts as not given, as the docs say; both answered 400. */
    @Test
    void aBlankStateOrUpdatedSinceIsNoFilter() {
        String topic = TestTopics.create(db);
        UUID id = UUID.randomUUID();
        Instant at = Instant.parse("2001-02-03T04:05:07Z");
        db.query("insert into conversation (id, topic, state, queued_at, created_at, updated_at) values ($1, $2, 'queued', $3, $3, $3)",
                Tuple.of(id, topic, at.atOffset(java.time.ZoneOffset.UTC))).await().indefinitely();
        for (String blank : new String[] {"", " "}) {
            given().auth().oauth2(integrator()).queryParam("topic", topic).queryParam("state", blank).queryParam("updatedSince", at.toString())
                    .get("/api/v1/conversations").then().statusCode(200).body("items.id", hasItem(id.toString()));
            given().auth().oauth2(integrator()).queryParam("topic", topic).queryParam("updatedSince", blank).queryParam("limit", 500)
                    .get("/api/v1/conversations").then().statusCode(200).body("items.id", hasItem(id.toString()));
        }
    }

    @Test
    void transcriptsForStaffResidentsAndTheAuditLog() {
        String topic = TestTopics.create(db);
        // an English name that differs from the Dutch one, before anything reads the topic
        db.query("update topic set name_en = $2 where id = $1", Tuple.of(topic, "Passport " + topic)).await().indefinitely();
        Api.Chat chat = Api.chat(base, topic, "Anne", 3, "Jan");
        JsonObject started = chat.started();
        String id = chat.id();
        try (WsClient resident = chat.resident(); WsClient ws = chat.console()) {
            resident.send(frame("message", "clientMsgId", "m1", "text", "Mijn paspoort is verlopen"));
            resident.next("message");
            ws.send(frame("claim"));
            ws.next("assigned");
            ws.send(frame("note", "conversationId", id, "clientMsgId", "n1", "text", "Vriendelijke meneer"));
            ws.send(frame("message", "conversationId", id, "clientMsgId", "a1", "text", "U kunt online een afspraak maken.\nTot ziens!"));
            resident.next("message");
            ws.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "Verwezen naar online afspraak"));
            resident.next(f -> "closed".equals(f.getString("state")));
        }
        String token = integrator();
        JsonObject transcript = new JsonObject(given().auth().oauth2(token).accept(ContentType.JSON)
                .get("/api/v1/conversations/" + id + "/transcript").then().statusCode(200).extract().asString());
        assertThat(transcript.getJsonObject("conversation").getString("state")).isEqualTo("closed");
        assertThat(transcript.getJsonObject("conversation").getJsonObject("agent").getString("name")).isEqualTo("Anne");
        JsonArray messages = transcript.getJsonArray("messages");
        assertThat(messages).hasSize(4);
        assertThat(messages.getJsonObject(3).getString("from")).isEqualTo("system");
        assertThat(messages.getJsonObject(1).getString("from")).isEqualTo("note");
        assertThat(messages.getJsonObject(1).getBoolean("internal")).isTrue();

        String text = given().auth().oauth2(token).accept(ContentType.TEXT).get("/api/v1/conversations/" + id + "/transcript")
                .then().statusCode(200).contentType(ContentType.TEXT).extract().asString();
        assertThat(text).startsWith("Gesprek " + id + "\n");
        assertThat(text).contains("Onderwerp:   Test " + topic).contains("Inwoner:     Jan").contains("Medewerker:  Anne")
                .contains("(beantwoord)").contains("Samenvatting: Verwezen naar online afspraak");
        assertThat(text).containsPattern("\\n\\[\\d\\d:\\d\\d:\\d\\d] Inwoner \\(Jan\\): Mijn paspoort is verlopen\\n");
        assertThat(text).containsPattern("\\n\\[\\d\\d:\\d\\d:\\d\\d] Interne notitie van Anne: Vriendelijke meneer\\n");
        assertThat(text).containsPattern("\\n\\[\\d\\d:\\d\\d:\\d\\d] Anne: U kunt online een afspraak maken.\\n    Tot ziens!\\n");

        // the resident reads their own, without the note, and not somebody else's
        JsonObject own = new JsonObject(given().auth().oauth2(started.getString("token")).accept(ContentType.JSON)
                .get("/api/v1/conversations/" + id + "/transcript").then().statusCode(200).extract().asString());
        assertThat(own.getJsonArray("messages")).hasSize(3).noneMatch(m -> "note".equals(((JsonObject) m).getString("from")));
        // the English widget's download: English labels, the English topic name, words for the outcome, no note, no summary
        String english = given().auth().oauth2(started.getString("token")).accept(ContentType.TEXT).queryParam("lang", "en")
                .get("/api/v1/conversations/" + id + "/transcript").then().statusCode(200).extract().asString();
        assertThat(english).startsWith("Conversation " + id + "\n")
                .contains("Topic:       Passport " + topic + " (" + topic + ")").contains("Resident:    Jan")
                .contains("Agent:       Anne").containsPattern("\\nEnded: +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\(answered\\)\\n")
                .contains("Times in Europe/Amsterdam.").doesNotContain("Summary", "Verwezen naar online afspraak");
        assertThat(english).containsPattern("\\n\\[\\d\\d:\\d\\d:\\d\\d] Resident \\(Jan\\): Mijn paspoort is verlopen\\n")
                .containsPattern("\\n\\[\\d\\d:\\d\\d:\\d\\d] Municipality: ");
        assertThat(english).doesNotContain("Gesprek", "Onderwerp", "Inwoner", "Medewerker", "Beëindigd", "Tijden", "Interne notitie",
                "Internal note", "Vriendelijke meneer", "Loket:");
        // the Dutch one names the Dutch topic; a language Loket does not speak is refused, in both languages
        assertThat(given().auth().oauth2(started.getString("token")).accept(ContentType.TEXT).queryParam("lang", "nl")
                .get("/api/v1/conversations/" + id + "/transcript").then().statusCode(200).extract().asString())
                .startsWith("Gesprek " + id + "\n").contains("Onderwerp:   Test " + topic + " (" + topic + ")")
                .containsPattern("\\n\\[\\d\\d:\\d\\d:\\d\\d] Gemeente: ");
        for (String lang : List.of("xx", "EN", "de")) {
            given().auth().oauth2(started.getString("token")).accept(ContentType.TEXT).queryParam("lang", lang)
                    .get("/api/v1/conversations/" + id + "/transcript").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem("lang"));
        }
        JsonObject other = Api.start(topic, null);
        given().auth().oauth2(other.getString("token")).get("/api/v1/conversations/" + id + "/transcript").then().statusCode(403);
        given().auth().oauth2(other.getString("token")).get("/api/v1/conversations/" + id).then().statusCode(403);

        JsonObject klantcontact = new JsonObject(given().auth().oauth2(token).get("/api/v1/conversations/" + id + "/klantcontact")
                .then().statusCode(200).extract().asString());
        assertThat(klantcontact.getString("inhoud")).isEqualTo("Verwezen naar online afspraak");
        assertThat(klantcontact.getString("onderwerp")).isEqualTo("Test " + topic);

        // two staff reads audited (JSON and text transcript) plus the klantcontact; the resident's read is not
        JsonArray audit = new JsonObject(given().auth().oauth2(Api.adminToken()).queryParam("conversationId", id)
                .get("/api/v1/admin/audit").then().statusCode(200).extract().asString()).getJsonArray("items");
        assertThat(audit).hasSize(3);
        assertThat(audit.getJsonObject(0).getString("role")).isEqualTo("integrator");
        assertThat(audit.stream().map(a -> ((JsonObject) a).getString("action")))
                .containsExactlyInAnyOrder("read_klantcontact", "read_transcript", "read_transcript");

        // the bijlage says text/plain: its URL answers the text transcript whatever the CRM sends as Accept,
        // not the JSON a plain GET of /transcript gives; and that read is audited like any transcript read
        JsonObject bijlage = klantcontact.getJsonArray("omvatteBijlagen").getJsonObject(0);
        assertThat(bijlage.getString("formaat")).isEqualTo("text/plain");
        for (String accept : List.of("*/*", "application/json", "text/plain")) {
            var fetched = given().auth().oauth2(token).header("Accept", accept).get(bijlage.getString("url")).then().statusCode(200)
                    .extract();
            assertThat(fetched.contentType()).as("Accept: " + accept).startsWith("text/plain");
            assertThat(fetched.asString()).startsWith("Gesprek " + id + "\n").contains("Samenvatting: Verwezen naar online afspraak");
        }
        assertThat(new JsonObject(given().auth().oauth2(Api.adminToken()).queryParam("conversationId", id)
                .get("/api/v1/admin/audit").then().statusCode(200).extract().asString()).getJsonArray("items")).hasSize(6);
    }

    @Test
    void everyEndpointChecksItsRoles() {
        String resident = Api.start("afval", null).getString("token");
        String agent = Api.agent("Rolf", List.of("afval"), 3).token();
        String integrator = integrator();
        String admin = Api.adminToken();
        String someId = "00000000-0000-4000-8000-000000000000";
        record Check(String method, String path, String wrongRole) {
        }
        List<Check> checks = List.of(
                new Check("GET", "/api/v1/conversations", resident),
                new Check("GET", "/api/v1/conversations/" + someId + "/klantcontact", resident),
                new Check("GET", "/api/v1/admin/users", agent),
                new Check("POST", "/api/v1/admin/users", integrator),
                new Check("GET", "/api/v1/admin/audit", integrator),
                new Check("GET", "/api/v1/queue", integrator),
                new Check("GET", "/api/v1/callbacks", resident),
                new Check("POST", "/api/v1/callbacks/" + someId + "/claim", integrator),
                new Check("POST", "/api/v1/callbacks/" + someId + "/attempts", integrator),
                new Check("PUT", "/api/v1/capacity/afval", agent),
                new Check("POST", "/api/v1/conversations/" + someId + "/rating", agent));
        for (Check c : checks) {
            given().contentType(ContentType.JSON).body("{}").request(c.method(), c.path())
                    .then().statusCode(401);
            given().auth().oauth2(c.wrongRole()).contentType(ContentType.JSON).body("{}").request(c.method(), c.path())
                    .then().statusCode(403);
        }
        given().auth().oauth2(admin).get("/api/v1/admin/audit").then().statusCode(200);
        given().auth().oauth2(integrator).get("/api/v1/conversations/" + someId).then().statusCode(404).body("status", equalTo(404));
    }
}
