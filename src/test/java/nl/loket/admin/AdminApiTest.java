package nl.loket.admin;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

@QuarkusTest
class AdminApiTest {

    /** The OpenAPI document is served on the management port, not the public one. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/openapi", management = true)
    java.net.URL openapi;

    @Test
    void topicsAreManagedWithFieldErrors() {
        String admin = Api.adminToken();
        String id = "parkeren-" + UUID.randomUUID().toString().substring(0, 6);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", "Bad Id", "nameNl", "", "nameEn", "Parking", "openingHours",
                        Map.of("mon", List.of(List.of("17:00", "08:30")), "xyz", List.of()),
                        "closedDates", List.of("morgen"), "callbackThresholdSeconds", -1,
                        "digitalAlternatives", List.of(Map.of("title", "Vergunning", "url", "javascript:alert(1)"))))
                .post("/api/v1/admin/topics").then().statusCode(400)
                .body("errors.field", hasItems("id", "nameNl", "callbackThresholdSeconds"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", id, "nameNl", "Parkeren", "nameEn", "Parking", "openingHours",
                        Map.of("mon", List.of(List.of("17:00", "08:30")), "xyz", List.of()),
                        "closedDates", List.of("morgen"),
                        "digitalAlternatives", List.of(Map.of("title", "Vergunning", "url", "javascript:alert(1)"))))
                .post("/api/v1/admin/topics").then().statusCode(400)
                .body("errors.field", hasItems("openingHours.mon", "openingHours.xyz", "closedDates", "digitalAlternatives.url"));

        Map<String, Object> topic = Map.of("id", id, "nameNl", "Parkeren", "nameEn", "Parking", "sortOrder", 8,
                "openingHours", Map.of("mon", List.of(List.of("09:00", "12:00"), List.of("13:00", "16:00"))),
                "closedDates", List.of("2026-12-25"), "callbackThresholdSeconds", 300,
                "digitalAlternatives", List.of(Map.of("title", "Parkeervergunning aanvragen", "url", "https://www.gemeente.example/parkeren")),
                "notice", "Door een storing kunnen wij geen vergunningen uitgeven");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics")
                .then().statusCode(201).body("openingHours.mon[1][0]", equalTo("13:00")).body("closedDates[0]", equalTo("2026-12-25"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics")
                .then().statusCode(400).body("errors.field", hasItem("id"));
        // residents see it at once, with its notice and alternative
        given().get("/api/v1/topics").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.notice", equalTo("Door een storing kunnen wij geen vergunningen uitgeven"))
                .body("find { it.id == '" + id + "' }.digitalAlternatives[0].url", equalTo("https://www.gemeente.example/parkeren"));

        Map<String, Object> changed = new java.util.HashMap<>(topic);
        changed.put("notice", "");
        changed.put("nameEn", "Parking permits");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(changed).put("/api/v1/admin/topics/" + id)
                .then().statusCode(200).body("nameEn", equalTo("Parking permits")).body("notice", org.hamcrest.Matchers.nullValue());
        given().header("Accept-Language", "en").get("/api/v1/topics").then()
                .body("find { it.id == '" + id + "' }.name", equalTo("Parking permits"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("id", "nope", "nameNl", "x", "nameEn", "x", "openingHours", Map.of()))
                .put("/api/v1/admin/topics/nope").then().statusCode(404);
        given().auth().oauth2(Api.agent("Ed", List.of("afval"), 3).token()).get("/api/v1/admin/topics").then().statusCode(403);
    }

    @Test
    void anEveningToMidnightReadsBackAs2400AndSavesAgainUnchanged() {
        String admin = Api.adminToken();
        String id = "avond-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> topic = Map.of("id", id, "nameNl", "Avond", "nameEn", "Evening",
                "openingHours", Map.of("fri", List.of(List.of("18:00", "24:00")), "sat", List.of(List.of("00:00", "02:00"))));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics")
                .then().statusCode(201).body("openingHours.fri[0][1]", equalTo("24:00")).body("openingHours.sat[0]", equalTo(List.of("00:00", "02:00")));
        // what the console's form is filled with: the list, as it reads it before an edit
        Map<String, List<List<String>>> hours = given().auth().oauth2(admin).get("/api/v1/admin/topics").then().statusCode(200)
                .extract().jsonPath().getMap("find { it.id == '" + id + "' }.openingHours");
        assertThat(hours.get("fri")).containsExactly(List.of("18:00", "24:00"));
        // sent back as read, with a closed date added, it is accepted and still ends at midnight
        Map<String, Object> again = new java.util.HashMap<>(topic);
        again.put("openingHours", hours);
        again.put("closedDates", List.of("2026-12-25"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(again).put("/api/v1/admin/topics/" + id)
                .then().statusCode(200).body("openingHours.fri[0][1]", equalTo("24:00")).body("closedDates[0]", equalTo("2026-12-25"));
    }

    @Test
    void aUsernameThatDiffersOnlyInCaseIsTaken() {
        String admin = Api.adminToken();
        String name = "casus-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> user = Map.of("username", name, "displayName", "Casus", "password", "casus-password",
                "roles", List.of("agent"), "topics", List.of("afval"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(user).post("/api/v1/admin/users").then().statusCode(201);
        Map<String, Object> shouting = new java.util.HashMap<>(user);
        shouting.put("username", name.toUpperCase(java.util.Locale.ROOT));
        shouting.put("displayName", "Casus 2");
        // two accounts "bart" and "Bart" would be one actor in the audit log (its filter ignores case) and one person to everyone
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(shouting).post("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", hasItem("username")).body("errors.message", hasItem("bestaat al / already exists"));
        assertThat(given().auth().oauth2(admin).get("/api/v1/admin/users").then().statusCode(200).extract().<String>jsonPath()
                .getList("username", String.class)).filteredOn(u -> u.equalsIgnoreCase(name)).containsExactly(name);
    }

    @Test
    void cannedRepliesNameOnlyTopicsThatExist() {
        String admin = Api.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("title", "Afval", "text", "Zet de container buiten.", "topics", List.of("paspoort-id", "geen-onderwerp")))
                .post("/api/v1/admin/canned-replies").then().statusCode(400)
                .body("type", equalTo("/problems/validation")).body("errors.field", hasItem("topics"))
                .body("errors.message", hasItem(org.hamcrest.Matchers.containsString("geen-onderwerp")));
        String id = new JsonObject(given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("title", "Paspoort", "text", "Maak een afspraak.", "topics", List.of("paspoort-id")))
                .post("/api/v1/admin/canned-replies").then().statusCode(201).extract().asString()).getString("id");
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("title", "Paspoort", "text", "Maak een afspraak.", "topics", List.of("verzonnen")))
                .put("/api/v1/admin/canned-replies/" + id).then().statusCode(400).body("errors.field", hasItem("topics"));
    }

    @Test
    void cannedRepliesAreManagedByAdminsAndReadByAgents() {
        String admin = Api.adminToken();
        String agent = Api.agent("Fee", List.of("afval"), 3).token();
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("title", "", "text", "x"))
                .post("/api/v1/admin/canned-replies").then().statusCode(400).body("errors.field", hasItem("title"));
        String id = new JsonObject(given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("title", "Afspraak online", "text", "U kunt online een afspraak maken.", "topics", List.of("paspoort-id")))
                .post("/api/v1/admin/canned-replies").then().statusCode(201).extract().asString()).getString("id");
        given().auth().oauth2(agent).get("/api/v1/canned-replies").then().statusCode(200).body("title", hasItem("Afspraak online"));
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(Map.of("title", "x", "text", "y"))
                .post("/api/v1/admin/canned-replies").then().statusCode(403);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("title", "Afspraak maken", "text", "Maak een afspraak."))
                .put("/api/v1/admin/canned-replies/" + id).then().statusCode(200).body("title", equalTo("Afspraak maken"));
        given().auth().oauth2(admin).delete("/api/v1/admin/canned-replies/" + id).then().statusCode(204);
        given().auth().oauth2(admin).delete("/api/v1/admin/canned-replies/" + id).then().statusCode(404);
    }

    @Test
    void supervisorsSeeEveryAgentAndTheirStatus() {
        Api.Agent agent = Api.agent("Gerrit", List.of("afval"), 2);
        String supervisor = Api.user("Hilde", List.of("supervisor"), List.of("afval"), 3).token();
        given().auth().oauth2(supervisor).get("/api/v1/agents").then().statusCode(200)
                .body("find { it.id == '" + agent.id() + "' }.status", equalTo("offline"))
                .body("find { it.id == '" + agent.id() + "' }.maxConcurrent", equalTo(2))
                .body("find { it.id == '" + agent.id() + "' }.openConversations", equalTo(0));
        // agents read it too, to pick a colleague to transfer to; integrators do not
        given().auth().oauth2(agent.token()).get("/api/v1/agents").then().statusCode(200);
        given().auth().oauth2(Api.user("Ivo", List.of("integrator"), List.of(), 3).token()).get("/api/v1/agents").then().statusCode(403);
        given().redirects().follow(false).get("/console").then().statusCode(302).header("Location", "/console/");
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URI base;

    @Test
    void aSupervisorWatchesEveryTopicsBoardLive() {
        Api.Agent supervisor = Api.user("Jet", List.of("supervisor"), List.of("afval"), 3);
        try (nl.loket.WsClient ws = nl.loket.WsClient.connect(base, "/ws/agent", supervisor.token())) {
            ws.next("hello");
            JsonObject board = ws.next("queues");
            org.assertj.core.api.Assertions.assertThat(board.getJsonArray("topics").stream().map(t -> ((JsonObject) t).getString("id")))
                    .contains("afval", "paspoort-id", "belastingen");
        }
    }

    @Test
    void theOpenApiDocumentDescribesEveryEndpointWithItsSecurity() {
        String doc = given().accept("application/json").get(openapi).then().statusCode(200).extract().asString();
        JsonObject openapi = new JsonObject(doc);
        JsonObject paths = openapi.getJsonObject("paths");
        for (String path : List.of("/api/v1/topics", "/api/v1/conversations", "/api/v1/conversations/{id}/transcript",
                "/api/v1/conversations/{id}/klantcontact", "/api/v1/callbacks", "/api/v1/callbacks/{id}/claim", "/api/v1/callbacks/{id}/release",
                "/api/v1/capacity/{topic}", "/api/v1/stats", "/api/v1/admin/topics", "/api/v1/admin/users", "/api/v1/admin/audit",
                "/api/v1/auth/token", "/api/v1/queue", "/api/v1/agents", "/api/v1/canned-replies")) {
            org.assertj.core.api.Assertions.assertThat(paths.containsKey(path)).as(path).isTrue();
        }
        // the status each call really answers on success, so a generated client does not treat a 201 or 204 as unexpected
        Map<String, String> success = Map.of(
                "post /api/v1/conversations", "201", "post /api/v1/callbacks", "201", "post /api/v1/admin/users", "201",
                "post /api/v1/admin/topics", "201", "post /api/v1/admin/canned-replies", "201",
                "delete /api/v1/admin/canned-replies/{id}", "204", "delete /api/v1/admin/conversations/{id}/personal-data", "204",
                "post /api/v1/admin/users/{id}/reset-password", "204", "delete /api/v1/callbacks/{id}", "204",
                "post /api/v1/conversations/{id}/rating", "204");
        success.forEach((call, status) -> {
            String[] mp = call.split(" ");
            assertThat(paths.getJsonObject(mp[1]).getJsonObject(mp[0]).getJsonObject("responses").fieldNames()).as(call)
                    .contains(status).doesNotContain("200");
        });
        // a login refused: wrong password (401), or a password an administrator reset (403)
        assertThat(paths.getJsonObject("/api/v1/auth/token").getJsonObject("post").getJsonObject("responses").fieldNames())
                .contains("200", "401", "403", "429");
        assertThat(paths.getJsonObject("/api/v1/admin/callbacks").getJsonObject("delete").getJsonObject("responses").fieldNames())
                .contains("410").doesNotContain("200");
        JsonObject feed = paths.getJsonObject("/api/v1/conversations").getJsonObject("get");
        org.assertj.core.api.Assertions.assertThat(feed.getJsonArray("security")).isNotNull();
        org.assertj.core.api.Assertions.assertThat(feed.getJsonObject("responses").fieldNames()).contains("200", "400", "401", "403");
        // the logout answers 204, and 401 to a token already logged out
        JsonObject logout = paths.getJsonObject("/api/v1/auth/logout").getJsonObject("post");
        org.assertj.core.api.Assertions.assertThat(logout.getJsonArray("security")).isNotNull();
        org.assertj.core.api.Assertions.assertThat(logout.getJsonObject("responses").fieldNames()).contains("204", "401", "403");
    }
}
