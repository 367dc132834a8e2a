package nl.loket.platform;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * An integrator's client that asks for a format Loket does not give (XML) gets 406
 * {@code not-acceptable}; the OpenAPI document lists it where it can come, so a generated client
 * knows it, and not where the answer is the same whatever the Accept header says.
 */
@QuarkusTest
class OpenApiNotAcceptableTest {

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Inject
    Db db;

    @Test
    void theDocumentListsNotAcceptableWhereTheApiAnswersIt() {
        String topic = TestTopics.create(db);
        UUID id = UUID.randomUUID();
        db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, closed_at, updated_at) "
                + "values ($1, $2, 'closed', 'Jan', now() - interval '2 hours', now() - interval '2 hours', now() - interval '1 hour', "
                + "now() - interval '1 hour')", Tuple.of(id, topic)).await().indefinitely();
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        Map<String, String> refused = Map.of(
                "/api/v1/conversations", "/api/v1/conversations",
                "/api/v1/conversations/{id}", "/api/v1/conversations/" + id,
                "/api/v1/conversations/{id}/transcript", "/api/v1/conversations/" + id + "/transcript",
                "/api/v1/conversations/{id}/klantcontact", "/api/v1/conversations/" + id + "/klantcontact",
                "/api/v1/ratings", "/api/v1/ratings");
        String admin = Api.adminToken();
        JsonObject paths = new JsonObject(given().accept("application/json").get(openapi).then().statusCode(200).extract().asString())
                .getJsonObject("paths");
        refused.forEach((path, url) -> {
            // the ratings are a team lead's read; the others an integrator's
            given().auth().oauth2(path.equals("/api/v1/ratings") ? admin : integrator).accept("application/xml").get(url)
                    .then().statusCode(406)
                    .contentType("application/problem+json").body("type", equalTo("/problems/not-acceptable"));
            JsonObject responses = paths.getJsonObject(path).getJsonObject("get").getJsonObject("responses");
            assertThat(responses.fieldNames()).as(path).contains("406");
            assertThat(responses.getJsonObject("406").getJsonObject("content").fieldNames()).as(path)
                    .containsExactly("application/problem+json");
        });
        // the text transcript's own address answers text whatever the client accepts: no 406 to list
        given().auth().oauth2(integrator).accept("application/xml").get("/api/v1/conversations/" + id + "/transcript.txt")
                .then().statusCode(200).contentType("text/plain");
        assertThat(paths.getJsonObject("/api/v1/conversations/{id}/transcript.txt").getJsonObject("get").getJsonObject("responses")
                .fieldNames()).doesNotContain("406");
    }
}
