package nl.loket.platform;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import nl.loket.Api;
import nl.loket.TestTopics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/**
 * A field error of a standard constraint speaks Dutch first and English second, and names the
 * field as the client wrote it in JSON (docs/protocol.md §1). An integrator setting the capacity
 * flag without "short" was told {"field":"isShort","message":"must not be null"}: a Java name,
 * in English only.
 */
@QuarkusTest
class FieldErrorWordsTest {

    @Test
    void aMissingFieldIsNamedAsInTheJsonInBothLanguages() {
        String topic = TestTopics.create();
        String crm = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        given().auth().oauth2(crm).contentType(ContentType.JSON).body("{}").put("/api/v1/capacity/" + topic)
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("/problems/validation"))
                .body("errors", hasSize(1))
                .body("errors[0].field", equalTo("short"))
                .body("errors[0].message", equalTo("ontbreekt / is missing"));
        given().auth().oauth2(crm).contentType(ContentType.JSON).body(Map.of("short", true, "reason", "x".repeat(501)))
                .put("/api/v1/capacity/" + topic)
                .then().statusCode(400)
                .body("errors[0].field", equalTo("reason"))
                .body("errors[0].message", equalTo("lengte moet tussen 0 en 500 liggen / length must be between 0 and 500"));
    }

    @Test
    void aBlankTopicOnAPublicStartIsRefusedInBothLanguages() {
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/conversations")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("topic"))
                .body("errors[0].message", equalTo("mag niet leeg zijn / must not be blank"));
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/callbacks")
                .then().statusCode(400)
                .body("errors[0].field", equalTo("topic"))
                .body("errors[0].message", equalTo("mag niet leeg zijn / must not be blank"));
    }
}
