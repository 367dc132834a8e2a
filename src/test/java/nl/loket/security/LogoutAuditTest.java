package nl.loket.security;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Uitloggen" is in the audit log: who logged out and when, with the role they worked in. Never
 * the token, nor its id (with which nobody could do anything, but which is no one's business).
 */
@QuarkusTest
class LogoutAuditTest {

    @Test
    void aLogoutLeavesAnEntryWithWhoAndWhenButNotTheToken() {
        Instant start = Instant.now().minusSeconds(5);
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Lotte", List.of(topic), 3);
        Api.Agent lead = Api.user("Sanne", List.of("supervisor", "agent"), List.of(topic), 3);
        String jti = new JsonObject(new String(Base64.getUrlDecoder().decode(agent.token().split("\\.")[1]), StandardCharsets.UTF_8))
                .getString("jti");

        given().auth().oauth2(agent.token()).post("/api/v1/auth/logout").then().statusCode(204);
        given().auth().oauth2(lead.token()).post("/api/v1/auth/logout").then().statusCode(204);
        // a second logout with the same token is refused (401) and logs nothing more
        given().auth().oauth2(agent.token()).post("/api/v1/auth/logout").then().statusCode(401);
        Instant end = Instant.now().plusSeconds(5);

        String body = given().auth().oauth2(Api.adminToken()).queryParam("action", "logout").queryParam("since", start.toString())
                .queryParam("limit", 1000).get("/api/v1/admin/audit").then().statusCode(200).extract().asString();
        JsonArray items = new JsonObject(body).getJsonArray("items");
        List<JsonObject> mine = items.stream().map(JsonObject.class::cast)
                .filter(e -> agent.username().equals(e.getString("actor"))).toList();
        assertThat(mine).hasSize(1);
        assertThat(mine.get(0).getString("role")).isEqualTo("agent");
        assertThat(Instant.parse(mine.get(0).getString("at"))).isBetween(start, end);
        List<JsonObject> leads = items.stream().map(JsonObject.class::cast)
                .filter(e -> lead.username().equals(e.getString("actor"))).toList();
        assertThat(leads).hasSize(1);
        assertThat(leads.get(0).getString("role")).isEqualTo("supervisor");
        assertThat(body).doesNotContain(agent.token()).doesNotContain(jti).doesNotContain(lead.token());
    }
}
