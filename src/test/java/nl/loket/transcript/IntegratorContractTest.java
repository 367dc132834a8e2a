package nl.loket.transcript;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * What a CRM developer reads in the OpenAPI document of the integrator API matches what the
 * service answers (docs/protocol.md §1, §8): refusals are problem+json, the feed's parameters
 * say their type and range, and an offset mangled by URL encoding is named as such.
 */
@QuarkusTest
class IntegratorContractTest {

    private static final List<String> INTEGRATOR_READS = List.of("/api/v1/conversations", "/api/v1/conversations/{id}",
            "/api/v1/conversations/{id}/transcript", "/api/v1/conversations/{id}/transcript.txt",
            "/api/v1/conversations/{id}/klantcontact");

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @jakarta.inject.Inject
    nl.loket.platform.Db db;

    private JsonObject paths() {
        return new JsonObject(given().accept("application/json").get(openapi).then().statusCode(200).extract().asString())
                .getJsonObject("paths");
    }

    @Test
    void theRefusalsTheServiceAnswersAsProblemsAreDocumentedAsProblems() {
        // what the service answers: problem+json without a token and with a role that may not read
        String admin = Api.adminToken();
        String id = UUID.randomUUID().toString();
        for (String path : INTEGRATOR_READS) {
            String url = path.replace("{id}", id);
            given().get(url).then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("/problems/unauthorized"));
        }
        given().auth().oauth2(admin).get("/api/v1/conversations").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/forbidden"));
        given().auth().oauth2(admin).get("/api/v1/conversations/" + id + "/klantcontact").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("/problems/forbidden"));

        // and what the document says of them: a client generated from it must know the body (it said "Not Authorized", no content)
        JsonObject paths = paths();
        for (String path : INTEGRATOR_READS) {
            JsonObject responses = paths.getJsonObject(path).getJsonObject("get").getJsonObject("responses");
            for (String status : List.of("401", "403")) {
                JsonObject response = responses.getJsonObject(status);
                assertThat(response).as(path + " " + status).isNotNull();
                assertThat(response.getJsonObject("content")).as(path + " " + status + " content").isNotNull();
                assertThat(response.getJsonObject("content").fieldNames()).as(path + " " + status)
                        .containsExactly("application/problem+json");
                assertThat(response.getJsonObject("content").getJsonObject("application/problem+json").getJsonObject("schema")
                        .getString("$ref")).as(path + " " + status).isEqualTo("#/components/schemas/Problem");
            }
            assertThat(responses.getJsonObject("401").getString("description")).as(path).contains("expired");
        }
        // every refusal of every operation, not only the integrator's: the login's too, which keeps its own words
        paths.forEach(p -> ((JsonObject) p.getValue()).forEach(m -> {
            JsonObject responses = ((JsonObject) m.getValue()).getJsonObject("responses");
            responses.fieldNames().stream().filter(status -> status.startsWith("4") || status.startsWith("5")).forEach(status ->
                    assertThat(responses.getJsonObject(status).getJsonObject("content")).as(m.getKey() + " " + p.getKey() + " " + status)
                            .isNotNull());
        }));
        JsonObject login = paths.getJsonObject("/api/v1/auth/token").getJsonObject("post").getJsonObject("responses");
        assertThat(login.getJsonObject("401").getString("description")).startsWith("invalid-credentials");
        assertThat(login.getJsonObject("403").getString("description")).startsWith("password-change-required");
        assertThat(login.getJsonObject("400").getString("description")).isEqualTo("Invalid input: the problem lists every field that is wrong");
    }

    @Test
    void theFeedsParametersSayWhatTheyTake() {
        JsonArray parameters = paths().getJsonObject("/api/v1/conversations").getJsonObject("get").getJsonArray("parameters");
        JsonObject limit = parameter(parameters, "limit");
        assertThat(limit.getJsonObject("schema").getString("type")).isEqualTo("integer");
        assertThat(limit.getJsonObject("schema").getInteger("minimum")).isEqualTo(1);
        assertThat(limit.getJsonObject("schema").getInteger("maximum")).isEqualTo(ConversationReadResource.MAX_LIMIT);
        assertThat(limit.getJsonObject("schema").getValue("default")).isEqualTo(100);
        assertThat(parameter(parameters, "updatedSince").getJsonObject("schema").getString("format")).isEqualTo("date-time");
        assertThat(parameter(parameters, "state").getJsonObject("schema").getJsonArray("enum").getList())
                .containsExactlyInAnyOrder("queued", "active", "closed", "callback", "abandoned");
        for (String name : List.of("updatedSince", "state", "topic", "limit", "cursor")) {
            assertThat(parameter(parameters, name).getString("description")).as(name).isNotBlank();
        }
        assertThat(parameter(parameters, "updatedSince").getString("description")).contains("%2B");
    }

    @Test
    void anOffsetWhosePlusArrivedAsASpaceIsNamedAsSuch() {
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        // the integrator wrote ?updatedSince=2026-12-01T10:00:00+01:00 in the URL: the + reads as a space
        given().auth().oauth2(integrator).urlEncodingEnabled(false).get("/api/v1/conversations?updatedSince=2026-12-01T10:00:00+01:00")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors[0].field", equalTo("updatedSince"))
                .body("errors[0].message", equalTo("geen ISO-8601-tijdstip: de + van de tijdzone kwam als spatie aan; schrijf hem in "
                        + "de URL als %2B (…T10:00:00%2B01:00) / not an ISO-8601 instant: the offset's + arrived as a space; write it "
                        + "as %2B in the URL (…T10:00:00%2B01:00)"));
        // encoded, it is an instant
        given().auth().oauth2(integrator).urlEncodingEnabled(false).get("/api/v1/conversations?updatedSince=2026-12-01T10:00:00%2B01:00")
                .then().statusCode(200);
        // anything else that is no instant keeps the plain message
        for (String bad : List.of("yesterday", "2026-12-01", "2026-12-01T10:00:00", "2026-12-01 10:00:00Z")) {
            given().auth().oauth2(integrator).queryParam("updatedSince", bad).get("/api/v1/conversations")
                    .then().statusCode(400).body("errors[0].field", equalTo("updatedSince"))
                    .body("errors[0].message", equalTo("geen ISO-8601-tijdstip / not an ISO-8601 instant"));
        }
    }

    @Test
    void fieldsTheServiceAnswersAsNullAreNullableInTheDocument() {
        // what the service answers: a conversation whose resident gave no name, never taken, its message text purged
        String topic = nl.loket.TestTopics.create(db);
        UUID id = UUID.randomUUID();
        db.query("insert into conversation (id, topic, state, queued_at, created_at, updated_at, last_seq) "
                + "values ($1, $2, 'queued', now(), now(), now(), 1)", io.vertx.mutiny.sqlclient.Tuple.of(id, topic)).await().indefinitely();
        db.query("insert into message (conversation_id, seq, sender, sender_key, text, sent_at) values ($1, 1, 'resident', 'resident', null, now())",
                io.vertx.mutiny.sqlclient.Tuple.of(id)).await().indefinitely();
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        JsonObject transcript = new JsonObject(given().auth().oauth2(integrator).get("/api/v1/conversations/" + id + "/transcript")
                .then().statusCode(200).extract().asString());
        assertThat(transcript.getJsonObject("conversation").getMap()).containsEntry("residentName", null)
                .containsEntry("assignedAt", null).containsEntry("closedAt", null);
        assertThat(transcript.getJsonArray("messages").getJsonObject(0).getMap()).containsEntry("text", null);

        // and what the document says of them: a client generated from it must accept the null (it said "type": "string")
        JsonObject schemas = new JsonObject(given().accept("application/json").get(openapi).then().statusCode(200).extract().asString())
                .getJsonObject("components").getJsonObject("schemas");
        for (String field : List.of("residentName", "assignedAt", "closedAt")) {
            assertThat(allowsNull(schemas.getJsonObject("ConversationItem").getJsonObject("properties").getJsonObject(field)))
                    .as("ConversationItem." + field).isTrue();
        }
        assertThat(allowsNull(schemas.getJsonObject("TranscriptMessage").getJsonObject("properties").getJsonObject("text")))
                .as("TranscriptMessage.text").isTrue();
        assertThat(allowsNull(schemas.getJsonObject("ConversationItem").getJsonObject("properties").getJsonObject("id")))
                .as("ConversationItem.id").isFalse();
    }

    /** Whether an OpenAPI 3.1 property schema admits null: "type" ["string","null"], or a null among its anyOf/oneOf. */
    private static boolean allowsNull(JsonObject property) {
        Object type = property.getValue("type");
        if (type instanceof JsonArray types && types.contains("null")) {
            return true;
        }
        for (String combined : List.of("anyOf", "oneOf")) {
            JsonArray options = property.getJsonArray(combined);
            if (options != null && options.stream().anyMatch(o -> "null".equals(((JsonObject) o).getValue("type")))) {
                return true;
            }
        }
        return false;
    }

    private static JsonObject parameter(JsonArray parameters, String name) {
        for (int i = 0; i < parameters.size(); i++) {
            if (name.equals(parameters.getJsonObject(i).getString("name"))) {
                return parameters.getJsonObject(i);
            }
        }
        throw new AssertionError("no parameter " + name + " in " + parameters);
    }
}
