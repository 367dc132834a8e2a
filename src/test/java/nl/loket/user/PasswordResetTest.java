package nl.loket.user;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import nl.loket.Api;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * An administrator resets a password (issue 12): the temporary one only lets the user choose a
 * new one, every other call is refused until they have, and the reset is in the audit log.
 */
@QuarkusTest
class PasswordResetTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void afterAResetTheUserMustChooseANewPasswordFirst() {
        Api.Agent piet = Api.agent("Piet", List.of("paspoort-id"), 2);
        String admin = Api.adminToken();
        String oldToken = piet.token();
        given().auth().oauth2(oldToken).get("/api/v1/canned-replies").then().statusCode(200);

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("temporaryPassword", "kort"))
                .post("/api/v1/admin/users/" + piet.id() + "/reset-password").then().statusCode(400)
                .body("errors.field", hasItem("temporaryPassword"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("temporaryPassword", "tijdelijk-wachtwoord-1"))
                .post("/api/v1/admin/users/" + piet.id() + "/reset-password").then().statusCode(204);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("temporaryPassword", "tijdelijk-wachtwoord-1"))
                .post("/api/v1/admin/users/00000000-0000-4000-8000-000000000000/reset-password").then().statusCode(404);

        // the token from before the reset is revoked (the new password hash raised the account's
        // token generation): every staff call is refused, and so is the agent socket
        given().auth().oauth2(oldToken).get("/api/v1/canned-replies").then().statusCode(401);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", oldToken, null)).isEqualTo(401);

        // the old password is gone; the temporary one is right but only leads to choosing a new one
        given().contentType(ContentType.JSON).body(Map.of("username", piet.username(), "password", "password-" + piet.username()))
                .post("/api/v1/auth/token").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", piet.username(), "password", "tijdelijk-wachtwoord-1"))
                .post("/api/v1/auth/token").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("/problems/password-change-required"));

        String change = "/api/v1/auth/password";
        given().contentType(ContentType.JSON)
                .body(Map.of("username", piet.username(), "currentPassword", "fout-wachtwoord", "newPassword", "mijn-eigen-wachtwoord"))
                .post(change).then().statusCode(401).body("type", equalTo("/problems/invalid-credentials"));
        given().contentType(ContentType.JSON)
                .body(Map.of("username", piet.username(), "currentPassword", "tijdelijk-wachtwoord-1", "newPassword", "kort"))
                .post(change).then().statusCode(400).body("errors.field", hasItem("newPassword"));
        given().contentType(ContentType.JSON)
                .body(Map.of("username", piet.username(), "currentPassword", "tijdelijk-wachtwoord-1", "newPassword", "tijdelijk-wachtwoord-1"))
                .post(change).then().statusCode(400).body("errors.field", hasItem("newPassword"));
        String fresh = given().contentType(ContentType.JSON)
                .body(Map.of("username", piet.username(), "currentPassword", "tijdelijk-wachtwoord-1", "newPassword", "mijn-eigen-wachtwoord"))
                .post(change).then().statusCode(200).body("tokenType", equalTo("Bearer")).body("accessToken", notNullValue())
                .extract().path("accessToken");

        // at work again, at once, with the new token and with a login
        given().auth().oauth2(fresh).get("/api/v1/canned-replies").then().statusCode(200);
        given().auth().oauth2(Api.login(piet.username(), "mijn-eigen-wachtwoord")).get("/api/v1/canned-replies").then().statusCode(200);
        given().contentType(ContentType.JSON).body(Map.of("username", piet.username(), "password", "tijdelijk-wachtwoord-1"))
                .post("/api/v1/auth/token").then().statusCode(401);

        given().auth().oauth2(admin).queryParam("action", "reset_password").get("/api/v1/admin/audit").then().statusCode(200)
                .body("items.detail.username", hasItem(piet.username()))
                .body("items.find { it.detail.username == '" + piet.username() + "' }.actor", equalTo("admin"));
    }

    @Test
    void aLoggedInUserChangesTheirOwnPassword() {
        Api.Agent anne = Api.agent("Anne", List.of("paspoort-id"), 2);
        // the username comes from the token when the body leaves it out
        String before = anne.token();
        String after = given().auth().oauth2(before).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "password-" + anne.username(), "newPassword", "een-nieuw-wachtwoord"))
                .post("/api/v1/auth/password").then().statusCode(200).extract().path("accessToken");
        // the change revokes the tokens from before it; the one it answers works
        given().auth().oauth2(before).get("/api/v1/canned-replies").then().statusCode(401);
        given().auth().oauth2(after).get("/api/v1/canned-replies").then().statusCode(200);
        Api.login(anne.username(), "een-nieuw-wachtwoord");
        given().contentType(ContentType.JSON).body(Map.of("currentPassword", "x", "newPassword", "een-nieuw-wachtwoord"))
                .post("/api/v1/auth/password").then().statusCode(400).body("errors.field", hasItem("username"));
        given().auth().oauth2(Api.agent("Ed", List.of("afval"), 3).token()).contentType(ContentType.JSON)
                .body(Map.of("temporaryPassword", "tijdelijk-wachtwoord-1"))
                .post("/api/v1/admin/users/" + anne.id() + "/reset-password").then().statusCode(403);
    }
}
