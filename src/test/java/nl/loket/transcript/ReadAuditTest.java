package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11.12: the change feed and a single conversation show residents' names, so staff reads of
 * them are audited like transcript reads; a resident's read of their own conversation is not.
 */
@QuarkusTest
class ReadAuditTest {

    @Inject
    Db db;

    private static List<JsonObject> audit(String action, Instant since, String actor) {
        JsonArray items = new JsonObject(given().auth().oauth2(Api.adminToken()).queryParam("action", action)
                .queryParam("since", since.toString()).queryParam("limit", 1000)
                .get("/api/v1/admin/audit").then().statusCode(200).extract().asString()).getJsonArray("items");
        return items.stream().map(JsonObject.class::cast).filter(e -> actor.equals(e.getString("actor"))).toList();
    }

    @Test
    void staffReadsOfTheFeedAndOfOneConversationAreAudited() {
        Instant start = Instant.now().minusSeconds(5);
        String topic = TestTopics.create();
        Api.Agent crm = Api.user("CRM", List.of("integrator"), List.of(), 3);
        Api.Agent agent = Api.agent("Anne", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Jan");
        String id = started.getString("id");

        given().auth().oauth2(crm.token()).queryParam("topic", topic).queryParam("limit", 50)
                .get("/api/v1/conversations").then().statusCode(200);
        given().auth().oauth2(agent.token()).get("/api/v1/conversations/" + id).then().statusCode(200);
        given().auth().oauth2(started.getString("token")).get("/api/v1/conversations/" + id).then().statusCode(200);

        List<JsonObject> feed = audit("read_feed", start, crm.username());
        assertThat(feed).hasSize(1);
        assertThat(feed.get(0).getString("role")).isEqualTo("integrator");
        assertThat(feed.get(0).getJsonObject("detail").getString("topic")).isEqualTo(topic);
        assertThat(feed.get(0).getJsonObject("detail").getInteger("items")).isNotNull();

        List<JsonObject> one = audit("read_conversation", start, agent.username());
        assertThat(one).hasSize(1);
        assertThat(one.get(0).getString("role")).isEqualTo("agent");
        assertThat(one.get(0).getString("conversationId")).isEqualTo(id);
        // the resident's own read left no entry
        assertThat(audit("read_conversation", start, "resident:" + id)).isEmpty();
    }

    /**
     * A page read with the cursor alone is read with the cursor's filters: its entry says which,
     * not "none" (it recorded the request's query, empty, as if the whole feed had been read).
     */
    @Test
    void aReadWithTheCursorAloneIsAuditedWithTheCursorsFilters() {
        Instant start = Instant.now().minusSeconds(5);
        String topic = TestTopics.create(db);
        Api.Agent crm = Api.user("CRM", List.of("integrator"), List.of(), 3);
        for (int i = 0; i < 2; i++) {
            db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, closed_at, updated_at) "
                    + "values ($1, $2, 'closed', 'Jan', now() - interval '2 days', now() - interval '2 days', "
                    + "now() - interval '1 day', now() - interval '1 day')", Tuple.of(UUID.randomUUID(), topic)).await().indefinitely();
        }
        Instant since = Instant.now().minus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        String cursor = given().auth().oauth2(crm.token()).queryParam("topic", topic).queryParam("state", "closed")
                .queryParam("updatedSince", since.toString()).queryParam("limit", 1)
                .get("/api/v1/conversations").then().statusCode(200).extract().path("nextCursor");
        assertThat(cursor).as("a full first page has a next cursor").isNotNull();
        given().auth().oauth2(crm.token()).queryParam("cursor", cursor).queryParam("limit", 1)
                .get("/api/v1/conversations").then().statusCode(200);

        List<JsonObject> feed = audit("read_feed", start, crm.username());
        assertThat(feed).hasSize(2);
        for (JsonObject entry : feed) {
            JsonObject detail = entry.getJsonObject("detail");
            assertThat(detail.getString("topic")).as(detail.encode()).isEqualTo(topic);
            assertThat(detail.getString("state")).as(detail.encode()).isEqualTo("closed");
            assertThat(detail.getString("updatedSince")).as(detail.encode()).isEqualTo(since.toString());
            assertThat(detail.getInteger("items")).as(detail.encode()).isEqualTo(1);
        }
        assertThat(feed).extracting(e -> e.getJsonObject("detail").getBoolean("cursor")).containsExactlyInAnyOrder(false, true);
    }
}
