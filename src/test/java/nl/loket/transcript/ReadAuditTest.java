package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 11.12: the change feed and a single conversation show residents' names, so staff reads of
 * them are audited like transcript reads; a resident's read of their own conversation is not.
 */
@QuarkusTest
class ReadAuditTest {

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
}
