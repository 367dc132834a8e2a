package nl.loket.callback;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Callback requests hold residents' phone numbers: every staff read of them leaves an entry in
 * the audit log, as transcript reads do (the list, one request, and the request a claim, a
 * release or an attempt answers with). A resident reading their own request leaves none. No
 * entry holds the number.
 */
@QuarkusTest
class CallbackReadAuditTest {

    private static final String PHONE = "0612345678";

    private static List<JsonObject> audit(String action, Instant since, String actor) {
        JsonArray items = new JsonObject(given().auth().oauth2(Api.adminToken()).queryParam("action", action)
                .queryParam("since", since.toString()).queryParam("limit", 1000)
                .get("/api/v1/admin/audit").then().statusCode(200).extract().asString()).getJsonArray("items");
        return items.stream().map(JsonObject.class::cast).filter(e -> actor == null || actor.equals(e.getString("actor"))).toList();
    }

    @Test
    void staffReadsOfCallbackRequestsAreAuditedWithoutTheNumber() {
        Instant start = Instant.now().minusSeconds(5);
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Anne", List.of(topic), 3);
        Api.Agent crm = Api.user("CRM", List.of("integrator"), List.of(), 3);
        JsonObject created = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", PHONE))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString());
        String id = created.getString("id");

        given().auth().oauth2(agent.token()).queryParam("state", "open").get("/api/v1/callbacks").then().statusCode(200);
        given().auth().oauth2(crm.token()).queryParam("topic", topic).get("/api/v1/callbacks").then().statusCode(200);
        given().auth().oauth2(agent.token()).get("/api/v1/callbacks/" + id).then().statusCode(200);
        given().auth().oauth2(agent.token()).post("/api/v1/callbacks/" + id + "/claim").then().statusCode(200);
        // the resident reading their own request is no staff read
        given().auth().oauth2(created.getString("token")).get("/api/v1/callbacks/" + id).then().statusCode(200);

        List<JsonObject> agentLists = audit("read_callbacks", start, agent.username());
        assertThat(agentLists).hasSize(1);
        assertThat(agentLists.get(0).getString("role")).isEqualTo("agent");
        assertThat(agentLists.get(0).getJsonObject("detail").getString("state")).isEqualTo("open");
        assertThat(agentLists.get(0).getJsonObject("detail").getInteger("items")).isEqualTo(1);

        List<JsonObject> crmLists = audit("read_callbacks", start, crm.username());
        assertThat(crmLists).hasSize(1);
        assertThat(crmLists.get(0).getString("role")).isEqualTo("integrator");
        assertThat(crmLists.get(0).getJsonObject("detail").getString("topic")).isEqualTo(topic);

        // of this request: the agent's read and the claim's answer; the resident's read left none
        List<JsonObject> ones = audit("read_callback", start, null).stream()
                .filter(e -> e.getJsonObject("detail") != null && id.equals(e.getJsonObject("detail").getString("callbackId"))).toList();
        assertThat(ones).hasSize(2);
        assertThat(ones).allSatisfy(e -> {
            assertThat(e.getString("actor")).isEqualTo(agent.username());
            assertThat(e.getString("role")).isEqualTo("agent");
        });
        assertThat(ones).extracting(e -> e.getJsonObject("detail").getString("via")).containsExactlyInAnyOrder("get", "claim");
        // the number itself is in no entry
        String all = given().auth().oauth2(Api.adminToken()).queryParam("since", start.toString()).queryParam("limit", 1000)
                .get("/api/v1/admin/audit").then().statusCode(200).extract().asString();
        assertThat(all).doesNotContain(PHONE).doesNotContain("+31612345678");
    }

    /**
     * The console reads the callback lists again on every change and every 30 s while the tab is
     * open: one entry per read would be thousands a day per agent, and the log that must show who
     * saw residents' numbers would drown. A list read again by the same person with the same filter
     * within ten minutes is not recorded again; another filter, or another person, is.
     */
    @Test
    void aListReadAgainWithinTenMinutesIsNotRecordedAgain() {
        Instant start = Instant.now().minusSeconds(5);
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Bram", List.of(topic), 3);
        Api.Agent colleague = Api.agent("Carla", List.of(topic), 3);
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(agent.token()).queryParam("state", "open").get("/api/v1/callbacks").then().statusCode(200);
        }
        given().auth().oauth2(agent.token()).queryParam("state", "claimed").get("/api/v1/callbacks").then().statusCode(200);
        given().auth().oauth2(colleague.token()).queryParam("state", "open").get("/api/v1/callbacks").then().statusCode(200);

        assertThat(audit("read_callbacks", start, agent.username()))
                .extracting(e -> e.getJsonObject("detail").getString("state")).containsExactlyInAnyOrder("open", "claimed");
        assertThat(audit("read_callbacks", start, colleague.username())).hasSize(1);
    }

    /**
     * The quiet ten minutes hold only while the list shows nothing new: a request that came in
     * since the last entry (a new resident's number on the agent's screen) is a read of its own.
     * Before, the poll that first showed it was not recorded, and an agent who left within ten
     * minutes had no entry from after the request existed: the log said nobody had seen that number.
     */
    @Test
    void aListThatShowsANewRequestIsRecordedAgain() {
        Instant start = Instant.now().minusSeconds(5);
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Daan", List.of(topic), 3);
        given().auth().oauth2(agent.token()).queryParam("topic", topic).get("/api/v1/callbacks").then().statusCode(200);
        String first = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", PHONE))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString()).getString("id");
        given().auth().oauth2(agent.token()).queryParam("topic", topic).get("/api/v1/callbacks").then().statusCode(200);
        // the same list again: nothing new on the screen, nothing recorded
        given().auth().oauth2(agent.token()).queryParam("topic", topic).get("/api/v1/callbacks").then().statusCode(200);

        List<JsonObject> lists = audit("read_callbacks", start, agent.username());
        assertThat(lists).extracting(e -> e.getJsonObject("detail").getInteger("items")).containsExactlyInAnyOrder(0, 1);
        assertThat(lists).filteredOn(e -> e.getJsonObject("detail").getInteger("items") == 1).singleElement()
                .satisfies(e -> assertThat(e.getJsonObject("detail").getJsonArray("shown")).containsExactly(first));

        // a request that leaves the list is no new read either
        given().auth().oauth2(agent.token()).post("/api/v1/callbacks/" + first + "/claim").then().statusCode(200);
        given().auth().oauth2(agent.token()).queryParam("topic", topic).queryParam("state", "open").get("/api/v1/callbacks").then().statusCode(200);
        given().auth().oauth2(agent.token()).queryParam("topic", topic).get("/api/v1/callbacks").then().statusCode(200);
        assertThat(audit("read_callbacks", start, agent.username())).hasSize(3);
    }
}
