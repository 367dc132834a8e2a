package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
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

/** The built-in issuer: logins and accounts an admin manages (the login throttle: LoginThrottleTest). */
@QuarkusTest
class AuthTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void theBootstrapAdminLogsInAndGetsAShiftLongToken() {
        given().contentType(ContentType.JSON).body(Map.of("username", "admin", "password", Api.ADMIN_PASSWORD))
                .post("/api/v1/auth/token")
                .then().statusCode(200)
                .body("tokenType", equalTo("Bearer")).body("expiresIn", equalTo(8 * 3600)).body("accessToken", notNullValue());
    }

    @Test
    void adminsCreateAndListAgentsWithValidation() {
        String admin = Api.adminToken();
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", "x", "displayName", "", "password", "short", "roles", List.of("wizard"),
                        "topics", List.of("afval"), "maxConcurrent", 0))
                .post("/api/v1/admin/users")
                .then().statusCode(400)
                .body("errors.field", hasItem("displayName")).body("errors.field", hasItem("password"))
                .body("errors.field", hasItem("maxConcurrent"));
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", "zz-" + System.nanoTime(), "displayName", "Z", "password", "long-enough-pw",
                        "roles", List.of("wizard"), "topics", List.of("nergens")))
                .post("/api/v1/admin/users")
                .then().statusCode(400).body("errors.field", hasItem("roles")).body("errors.field", hasItem("topics"));

        Api.Agent agent = Api.agent("Fien", List.of("afval", "verhuizen"), 2);
        given().auth().oauth2(admin).get("/api/v1/admin/users/" + agent.id())
                .then().statusCode(200).body("topics", equalTo(List.of("afval", "verhuizen"))).body("maxConcurrent", equalTo(2))
                .body("$", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasKey("passwordHash")));
        given().auth().oauth2(admin).get("/api/v1/admin/users").then().statusCode(200).body("username", hasItem(agent.username()));
        // the same username twice is a field error
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", agent.username(), "displayName", "Fien 2", "password", "long-enough-pw", "roles", List.of("agent")))
                .post("/api/v1/admin/users").then().statusCode(400).body("errors.field", hasItem("username"));
    }

    @Test
    void disablingAnAgentRejectsTheirTokenAndClosesTheirConnection() {
        String admin = Api.adminToken();
        Api.Agent agent = Api.agent("Tom", List.of("afval"), 3);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("username", agent.username(), "displayName", "Tom", "roles", List.of("agent"),
                            "topics", List.of("afval"), "maxConcurrent", 3, "active", false))
                    .put("/api/v1/admin/users/" + agent.id())
                    .then().statusCode(200).body("active", equalTo(false));
            assertThat(ws.awaitClosed().getCode()).isEqualTo(1008);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                given().auth().oauth2(agent.token()).get("/api/v1/queue").then().statusCode(401));
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", agent.token(), null)).isEqualTo(401);
        given().contentType(ContentType.JSON).body(Map.of("username", agent.username(), "password", "password-" + agent.username()))
                .post("/api/v1/auth/token").then().statusCode(401);
    }
}
