package nl.loket.retention;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.LogCapture;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * A resident asks to have their callback requests forgotten. The admin sends the number in the
 * body of {@code POST /api/v1/admin/callbacks/forget}: a number in the URL ended up in nginx's
 * access log and, when the request failed, in Loket's own log.
 */
@QuarkusTest
class ForgetCallbacksTest {

    static final String FORGET = "/api/v1/admin/callbacks/forget";

    @Inject
    Db db;

    private void requestCallback(String topic, String phone) {
        given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", phone, "name", "Eva"))
                .post("/api/v1/callbacks").then().statusCode(201);
    }

    @Test
    void anAdminForgetsANumbersCallbacksWithTheNumberInTheBody() {
        String topic = TestTopics.create(db);
        requestCallback(topic, "0617171717");
        String admin = Api.adminToken();

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "06 17171717")).post(FORGET)
                .then().statusCode(200).body("removed", equalTo(1));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "06 17171717")).post(FORGET)
                .then().statusCode(200).body("removed", equalTo(0));
        // bad input: problem+json naming the field, as for any other form
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "nonsense")).post(FORGET)
                .then().statusCode(400).contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("phone"));
        // a number too short to be one: the reason the console shows beside its field (frontend-console, erasure.ts)
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "06-12")).post(FORGET)
                .then().statusCode(400).body("errors[0].field", equalTo("phone"))
                .body("errors[0].message", equalTo("Vul een geldig nummer in. / Enter a valid number."));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{}").post(FORGET)
                .then().statusCode(400).contentType(startsWith("application/problem+json")).body("errors[0].field", equalTo("phone"));
        given().auth().oauth2(admin).queryParam("action", "forget_callbacks").get("/api/v1/admin/audit")
                .then().statusCode(200).body("items[0].action", equalTo("forget_callbacks"));
        // not for agents or residents
        given().contentType(ContentType.JSON).body(Map.of("phone", "06 17171717")).post(FORGET).then().statusCode(401);
    }

    /**
     * The old form with the number in the query string is refused: 410 with problem+json that names
     * the new endpoint, and nothing is removed. A script written against the old form learns what to
     * change instead of a bare 404/405.
     */
    @Test
    void theOldDeleteWithTheNumberInTheUrlIsRefusedAndNamesTheNewEndpoint() {
        String topic = TestTopics.create(db);
        requestCallback(topic, "0616161616");
        String admin = Api.adminToken();

        Response old = given().auth().oauth2(admin).queryParam("phone", "06 16161616").delete("/api/v1/admin/callbacks");
        assertThat(old.statusCode()).as(old.asString()).isEqualTo(410);
        assertThat(old.contentType()).startsWith("application/problem+json");
        assertThat(old.jsonPath().getString("type")).endsWith("/endpoint-gone");
        assertThat(old.jsonPath().getString("detail")).contains("POST " + FORGET).contains("{\"phone\"").doesNotContain("16161616");

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "0616161616")).post(FORGET)
                .then().statusCode(200).body("removed", equalTo(1));
    }

    /**
     * What the operator's log shows when forgetting fails (here the table is briefly gone): that it
     * failed, and not whose number it was. (A guard: the old form's failures went through the same
     * mapper; the number reached logs through nginx and through Quarkus's handler of checked
     * failures, which logs the URI with its query string.)
     */
    @Test
    void aFailedRequestLogsNoPhoneNumber() {
        String admin = Api.adminToken();
        db.query("alter table callback_request rename to callback_request_gone").await().atMost(Duration.ofSeconds(10));
        try (LogCapture logs = new LogCapture()) {
            Response failed = given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("phone", "+31615151515"))
                    .post(FORGET);
            Response old = given().auth().oauth2(admin).queryParam("phone", "+31615151515").delete("/api/v1/admin/callbacks");
            assertThat(failed.statusCode()).as(failed.asString()).isEqualTo(500);
            assertThat(failed.contentType()).startsWith("application/problem+json");
            assertThat(old.statusCode()).isEqualTo(410);
            assertThat(logs.atLeast(java.util.logging.Level.WARNING)).as("the failure is logged").isNotEmpty();
            assertThat(logs.all()).as("the log while forgetting failed").doesNotContain("15151515");
        } finally {
            db.query("alter table callback_request_gone rename to callback_request").await().atMost(Duration.ofSeconds(10));
        }
    }
}
