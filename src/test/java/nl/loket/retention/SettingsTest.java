package nl.loket.retention;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The widget's house rules state the configured retention, read without logging in (issue 12, point 4). */
@QuarkusTest
class SettingsTest {

    @Test
    void theConfiguredRetentionIsPublic() {
        given().get("/api/v1/settings").then().statusCode(200).contentType("application/json")
                .body("retentionDays", equalTo(28));
    }
}
