package nl.loket.topic;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

/**
 * A topic's "Dit kunt u ook online regelen" links have an optional English title: residents who
 * read English get it, and the Dutch title when there is none (like the topic's notice).
 */
@QuarkusTest
class AlternativeTitlesTest {

    /** The OpenAPI document is served on the management port. */
    @io.quarkus.test.common.http.TestHTTPResource(value = "/openapi", management = true)
    java.net.URL openapi;

    private static Map<String, Object> topic(String id, List<Map<String, String>> alternatives) {
        return new HashMap<>(Map.of("id", id, "nameNl", "Afspraken", "nameEn", "Appointments",
                "openingHours", Map.of("mon", List.of(List.of("08:30", "17:00"))), "digitalAlternatives", alternatives));
    }

    @Test
    void residentsReadTheLinkTitleInTheirLanguage() {
        String admin = Api.adminToken();
        String id = "online-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> topic = topic(id, List.of(
                Map.of("title", "Afspraak maken", "titleEn", "Make an appointment", "url", "https://www.gemeente.example/afspraak"),
                Map.of("title", "Verhuizing doorgeven", "url", "https://www.gemeente.example/verhuizen"),
                Map.of("title", "Uittreksel aanvragen", "titleEn", "  ", "url", "https://www.gemeente.example/uittreksel")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics").then().statusCode(201)
                .body("digitalAlternatives[0].titleEn", equalTo("Make an appointment"))
                .body("digitalAlternatives[1].titleEn", nullValue())
                .body("digitalAlternatives[2].titleEn", nullValue());
        // what the console fills its form with
        given().auth().oauth2(admin).get("/api/v1/admin/topics").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.digitalAlternatives[0].title", equalTo("Afspraak maken"))
                .body("find { it.id == '" + id + "' }.digitalAlternatives[0].titleEn", equalTo("Make an appointment"));

        String link = "find { it.id == '" + id + "' }.digitalAlternatives";
        given().queryParam("lang", "en").get("/api/v1/topics").then().statusCode(200)
                .body(link + "[0].title", equalTo("Make an appointment"))
                .body(link + "[0].url", equalTo("https://www.gemeente.example/afspraak"))
                .body(link + "[1].title", equalTo("Verhuizing doorgeven"))
                .body(link + "[2].title", equalTo("Uittreksel aanvragen"))
                .body(link + "[0].titleEn", nullValue());
        given().header("Accept-Language", "en-GB,en;q=0.9").get("/api/v1/topics").then().statusCode(200)
                .body(link + "[0].title", equalTo("Make an appointment"));
        given().queryParam("lang", "nl").get("/api/v1/topics").then().statusCode(200)
                .body(link + "[0].title", equalTo("Afspraak maken"))
                .body(link + "[1].title", equalTo("Verhuizing doorgeven"));
        given().get("/api/v1/topics").then().statusCode(200)
                .body(link + "[0].title", equalTo("Afspraak maken"));

        // an edit keeps the English title, or changes it
        topic.put("digitalAlternatives", List.of(
                Map.of("title", "Afspraak maken", "titleEn", "Book an appointment", "url", "https://www.gemeente.example/afspraak")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).put("/api/v1/admin/topics/" + id).then().statusCode(200)
                .body("digitalAlternatives[0].titleEn", equalTo("Book an appointment"));
        given().queryParam("lang", "en").get("/api/v1/topics").then().statusCode(200)
                .body(link + "[0].title", equalTo("Book an appointment"));
    }

    /** The links the first start creates read English too (V50); an administrator's own wording is left alone. */
    @Test
    void theLinksLoketStartsWithHaveAnEnglishTitle() {
        String link = "find { it.id == 'rijbewijs' }.digitalAlternatives[0]";
        given().queryParam("lang", "en").get("/api/v1/topics").then().statusCode(200)
                .body(link + ".title", equalTo("Apply for your driving licence online"))
                .body(link + ".url", equalTo("https://www.gemeente.example/rijbewijs"))
                .body("find { it.id == 'afval' }.digitalAlternatives[0].title", equalTo("Request a bulky waste collection"));
        given().queryParam("lang", "nl").get("/api/v1/topics").then().statusCode(200)
                .body(link + ".title", equalTo("Vraag uw rijbewijs online aan"));
        given().auth().oauth2(Api.adminToken()).get("/api/v1/admin/topics").then().statusCode(200)
                .body("find { it.id == 'rijbewijs' }.digitalAlternatives[0].titleEn", equalTo("Apply for your driving licence online"));
    }

    @Test
    void eachTitleAndTheNoticeSayWhichLanguageTheyAreIn() {
        // an English reader gets a Dutch title where there is no English one: the widget must mark it as Dutch
        String admin = Api.adminToken();
        String id = "online-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> topic = topic(id, List.of(
                Map.of("title", "Afspraak maken", "titleEn", "Make an appointment", "url", "https://www.gemeente.example/afspraak"),
                Map.of("title", "Verhuizing doorgeven", "url", "https://www.gemeente.example/verhuizen")));
        topic.put("notice", "Storing bij de balie");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics").then().statusCode(201);

        String found = "find { it.id == '" + id + "' }";
        given().queryParam("lang", "en").get("/api/v1/topics").then().statusCode(200)
                .body(found + ".digitalAlternatives[0].lang", equalTo("en"))
                .body(found + ".digitalAlternatives[1].title", equalTo("Verhuizing doorgeven"))
                .body(found + ".digitalAlternatives[1].lang", equalTo("nl"))
                .body(found + ".notice", equalTo("Storing bij de balie"))
                .body(found + ".noticeLang", equalTo("nl"));
        given().queryParam("lang", "nl").get("/api/v1/topics").then().statusCode(200)
                .body(found + ".digitalAlternatives[0].lang", equalTo("nl"))
                .body(found + ".digitalAlternatives[1].lang", equalTo("nl"))
                .body(found + ".noticeLang", equalTo("nl"));

        topic.put("noticeEn", "Disruption at the desk");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).put("/api/v1/admin/topics/" + id).then().statusCode(200);
        given().queryParam("lang", "en").get("/api/v1/topics").then().statusCode(200)
                .body(found + ".notice", equalTo("Disruption at the desk"))
                .body(found + ".noticeLang", equalTo("en"));
        // no notice, no language for it
        topic.remove("notice");
        topic.remove("noticeEn");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).put("/api/v1/admin/topics/" + id).then().statusCode(200);
        given().queryParam("lang", "en").get("/api/v1/topics").then().statusCode(200)
                .body(found + ".notice", nullValue())
                .body(found + ".noticeLang", nullValue());
    }

    @Test
    void aTooLongEnglishTitleIsAFieldError() {
        String admin = Api.adminToken();
        String id = "online-" + UUID.randomUUID().toString().substring(0, 6);
        Map<String, Object> topic = topic(id, List.of(
                Map.of("title", "Afspraak maken", "titleEn", "x".repeat(201), "url", "https://www.gemeente.example/afspraak")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics").then().statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("errors.field", hasItem("digitalAlternatives[0].titleEn"));
        // 200 characters is allowed, like the Dutch title
        topic.put("digitalAlternatives", List.of(
                Map.of("title", "Afspraak maken", "titleEn", "x".repeat(200), "url", "https://www.gemeente.example/afspraak")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(topic).post("/api/v1/admin/topics").then().statusCode(201)
                .body("digitalAlternatives[0].titleEn", equalTo("x".repeat(200)));
    }

    @Test
    void theOpenApiDocumentTellsIntegratorsAboutTheEnglishTitle() {
        JsonObject schemas = new JsonObject(given().accept("application/json").get(openapi).then().statusCode(200).extract().asString())
                .getJsonObject("components").getJsonObject("schemas");
        assertThat(schemas.getJsonObject("Alternative").getJsonObject("properties").getJsonObject("titleEn").getString("description"))
                .contains("optional").contains("Dutch title");
        JsonObject resident = schemas.getJsonObject("ResidentAlternative").getJsonObject("properties");
        assertThat(resident.fieldNames()).containsExactlyInAnyOrder("title", "url", "lang");
        assertThat(resident.getJsonObject("title").getString("description")).contains("requested language");
        assertThat(resident.getJsonObject("lang").getString("description")).contains("the language the title is in");
    }
}
