package nl.loket.agent;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A department places a notice ("alleen op afspraak") and ends it: every connected agent hears
 * {@code departments_changed} within moments, and a read of the board after it shows the change.
 * Before, the console saw it at its next 30-second poll, and the agent answered against the old
 * board meanwhile.
 */
@QuarkusTest
class DepartmentsPushTest {

    @TestHTTPResource("/")
    URI base;

    private static final Duration AT_ONCE = Duration.ofSeconds(3);

    @Test
    void aConnectedAgentHearsOfANoticePlacedAndEndedAtOnce() {
        String admin = Api.adminToken();
        String topic = TestTopics.create();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String department = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "Burgerzaken " + suffix, "topics", List.of(topic)))
                .post("/api/v1/departments").then().statusCode(201).extract().path("id");
        String username = "dep-" + suffix;
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", username, "displayName", "Balie", "password", "password-" + username,
                        "roles", List.of("department"), "topics", List.of(), "department", department))
                .post("/api/v1/admin/users").then().statusCode(201);
        String dora = Api.login(username, "password-" + username);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);

        try (WsClient console = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient otherTab = WsClient.connect(base, "/ws/agent", anne.token())) {
            console.next("hello");
            otherTab.next("hello");
            int before = console.frames("departments_changed").size();

            String notice = given().auth().oauth2(dora).contentType(ContentType.JSON)
                    .body(Map.of("kind", "appointment_only", "agentText", "Alleen op afspraak."))
                    .post("/api/v1/departments/" + department + "/notices").then().statusCode(201).extract().path("id");
            // its type alone: the console reads the board itself
            assertThat(console.next(WsClient.type("departments_changed"), AT_ONCE).fieldNames()).containsExactly("type");
            otherTab.next(WsClient.type("departments_changed"), AT_ONCE);
            // the read the frame starts already finds the notice
            assertThat(noticeKinds(anne.token(), department)).containsExactly("appointment_only");

            given().auth().oauth2(dora).delete("/api/v1/departments/" + department + "/notices/" + notice).then().statusCode(204);
            console.next(WsClient.type("departments_changed"), AT_ONCE);
            otherTab.next(WsClient.type("departments_changed"), AT_ONCE);
            assertThat(noticeKinds(anne.token(), department)).isEmpty();
            // one frame per change and connection, none for anything else
            assertThat(console.frames("departments_changed")).hasSize(before + 2);
        }
    }

    private static List<String> noticeKinds(String token, String department) {
        return given().auth().oauth2(token).get("/api/v1/departments/" + department).then().statusCode(200)
                .extract().jsonPath().getList("notices.kind");
    }
}
