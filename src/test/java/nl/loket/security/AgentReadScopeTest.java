package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Issue 11.4: an agent reads conversations and callback requests of the topics they serve (and
 * conversations they held); anything else is 403. Supervisors and integrators read everything.
 */
@QuarkusTest
class AgentReadScopeTest {

    @TestHTTPResource("/")
    URI base;

    private static void forbidden(String token, String method, String path) {
        given().auth().oauth2(token).contentType(ContentType.JSON).body(method.equals("POST") && path.endsWith("attempts")
                        ? Map.of("result", "no_answer") : Map.of())
                .request(method, path).then().statusCode(403)
                .contentType(startsWith("application/problem+json")).body("status", equalTo(403));
    }

    private static String callback(String topic, String phone) {
        return given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", phone, "name", "Bewoner"))
                .post("/api/v1/callbacks").then().statusCode(201).extract().path("id");
    }

    @Test
    void anAgentReadsOnlyConversationsOfTheirTopicsAndThoseTheyHeld() {
        String mine = TestTopics.create();
        String theirs = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(mine), 3);
        Api.Agent supervisor = Api.user("Sanne", List.of("supervisor"), List.of(mine), 3);
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        String own = Api.start(mine, "Jan").getString("id");
        String other = Api.start(theirs, "Piet").getString("id");

        for (String path : List.of("/api/v1/conversations/" + other, "/api/v1/conversations/" + other + "/transcript",
                "/api/v1/conversations/" + other + "/klantcontact")) {
            forbidden(anne.token(), "GET", path);
            given().auth().oauth2(supervisor.token()).get(path).then().statusCode(200);
            given().auth().oauth2(integrator).get(path).then().statusCode(200);
            given().auth().oauth2(anne.token()).get(path.replace(other, own)).then().statusCode(200);
        }
        given().auth().oauth2(anne.token()).accept(ContentType.TEXT).get("/api/v1/conversations/" + other + "/transcript")
                .then().statusCode(403);
        // an unknown id stays 404
        given().auth().oauth2(anne.token()).get("/api/v1/conversations/" + java.util.UUID.randomUUID()).then().statusCode(404);

        // the feed leaves out what is not hers (once both are past the feed's safety lag)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(feedIds(integrator, theirs)).contains(other);
            assertThat(feedIds(anne.token(), mine)).contains(own);
        });
        assertThat(feedIds(anne.token(), theirs)).isEmpty();
        assertThat(feedIds(anne.token(), null)).contains(own).doesNotContain(other);
    }

    private static List<String> feedIds(String token, String topic) {
        var request = given().auth().oauth2(token).queryParam("limit", 500)
                .queryParam("updatedSince", Instant.now().minusSeconds(600).toString());
        if (topic != null) {
            request = request.queryParam("topic", topic);
        }
        return request.get("/api/v1/conversations").then().statusCode(200).extract().jsonPath().getList("items.id");
    }

    @Test
    void aConversationAnAgentHeldStaysReadableAfterTheyLeftItsTopic() {
        String first = TestTopics.create();
        String second = TestTopics.create();
        Api.Agent bram = Api.agent("Bram", List.of(first, second), 3);
        JsonObject started = Api.start(second, "Kees");
        String id = started.getString("id");
        try (WsClient ws = WsClient.connect(base, "/ws/agent", bram.token())) {
            ws.next("hello");
            ws.send(frame("claim", "conversationId", id));
            ws.next("assigned");
            ws.send(frame("close", "conversationId", id, "outcome", "answered"));
            ws.next("ended");
        }
        given().auth().oauth2(Api.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", bram.username(), "displayName", "Bram", "roles", List.of("agent"), "topics", List.of(first)))
                .put("/api/v1/admin/users/" + bram.id()).then().statusCode(200);
        String token = Api.login(bram.username(), "password-" + bram.username());

        given().auth().oauth2(token).get("/api/v1/conversations/" + id).then().statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(token).accept(ContentType.JSON).get("/api/v1/conversations/" + id + "/transcript").then().statusCode(200);
        // another conversation of that topic, which he never held, is not his to read
        String unheld = Api.start(second, "Els").getString("id");
        forbidden(token, "GET", "/api/v1/conversations/" + unheld);
    }

    @Test
    void anAgentSeesClaimsAndCancelsOnlyCallbacksOfTheirTopics() {
        String mine = TestTopics.create();
        String theirs = TestTopics.create();
        Api.Agent anne = Api.agent("Anne", List.of(mine), 3);
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        String own = callback(mine, "06 11111111");
        String other = callback(theirs, "06 22222222");

        List<String> listed = given().auth().oauth2(anne.token()).get("/api/v1/callbacks").then().statusCode(200)
                .extract().jsonPath().getList("items.id");
        assertThat(listed).contains(own).doesNotContain(other);
        assertThat(given().auth().oauth2(anne.token()).queryParam("topic", theirs).get("/api/v1/callbacks").then().statusCode(200)
                .extract().jsonPath().<String>getList("items.id")).isEmpty();
        assertThat(given().auth().oauth2(integrator).queryParam("topic", theirs).get("/api/v1/callbacks").then().statusCode(200)
                .extract().jsonPath().<String>getList("items.id")).contains(other);

        forbidden(anne.token(), "GET", "/api/v1/callbacks/" + other);
        forbidden(anne.token(), "POST", "/api/v1/callbacks/" + other + "/claim");
        forbidden(anne.token(), "POST", "/api/v1/callbacks/" + other + "/attempts");
        forbidden(anne.token(), "DELETE", "/api/v1/callbacks/" + other);
        // nothing happened to it
        given().auth().oauth2(integrator).get("/api/v1/callbacks/" + other).then().statusCode(200).body("state", equalTo("open"));

        given().auth().oauth2(anne.token()).get("/api/v1/callbacks/" + own).then().statusCode(200);
        given().auth().oauth2(anne.token()).post("/api/v1/callbacks/" + own + "/claim").then().statusCode(200)
                .body("state", equalTo("claimed"));
        given().auth().oauth2(anne.token()).contentType(ContentType.JSON).body(Map.of("result", "reached"))
                .post("/api/v1/callbacks/" + own + "/attempts").then().statusCode(200).body("state", equalTo("done"));
    }
}
