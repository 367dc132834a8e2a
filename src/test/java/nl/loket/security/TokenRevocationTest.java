package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.CloseReason;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Issue 11.3: a change of roles, topics, password or active revokes the account's tokens at once
 * (every request and upgrade checks the token's generation), and closes its open sockets with
 * 1008; a token from a fresh login works.
 */
@QuarkusTest
class TokenRevocationTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    private static Map<String, Object> account(Api.Agent who, List<String> roles, List<String> topics) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", who.username());
        body.put("displayName", "Revoked " + who.username());
        body.put("roles", roles);
        body.put("topics", topics);
        body.put("maxConcurrent", 3);
        return body;
    }

    private static void edit(Map<String, Object> body, String id) {
        given().auth().oauth2(Api.adminToken()).contentType(ContentType.JSON).body(body)
                .put("/api/v1/admin/users/" + id).then().statusCode(200);
    }

    private static void refused(String token, String path) {
        given().auth().oauth2(token).get(path).then().statusCode(401)
                .contentType(startsWith("application/problem+json")).body("status", equalTo(401));
    }

    @Test
    void aDemotedAdminsOldTokenIsRefusedAtOnceAndTheirSocketClosed() {
        String topic = TestTopics.create();
        Api.Agent boss = Api.user("Baas", List.of("admin", "agent"), List.of(topic), 3);
        given().auth().oauth2(boss.token()).get("/api/v1/admin/users").then().statusCode(200);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", boss.token())) {
            ws.next("hello");

            edit(account(boss, List.of("agent"), List.of(topic)), boss.id());

            // at once, not after the token expires: the old token can no longer create accounts
            refused(boss.token(), "/api/v1/admin/users");
            given().auth().oauth2(boss.token()).contentType(ContentType.JSON)
                    .body(Map.of("username", "sneaky-" + UUID.randomUUID().toString().substring(0, 8), "displayName", "S",
                            "password", "long-enough-password", "roles", List.of("admin")))
                    .post("/api/v1/admin/users").then().statusCode(401);
            refused(boss.token(), "/api/v1/queue");
            CloseReason closed = ws.awaitClosed();
            assertThat(closed.getCode()).isEqualTo(1008);
            assertThat(closed.getMessage()).isEqualTo("token revoked");
        }
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", boss.token(), null)).isEqualTo(401);

        // a fresh login gives a token with what the account may do now
        String fresh = Api.login(boss.username(), "password-" + boss.username());
        given().auth().oauth2(fresh).get("/api/v1/queue").then().statusCode(200);
        given().auth().oauth2(fresh).get("/api/v1/admin/users").then().statusCode(403);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", fresh)) {
            ws.next("hello");
        }
    }

    @Test
    void aPasswordChangedByAnAdminInvalidatesTheOldToken() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Paula", List.of(topic), 3);
        given().auth().oauth2(agent.token()).get("/api/v1/queue").then().statusCode(200);

        Map<String, Object> body = account(agent, List.of("agent"), List.of(topic));
        body.put("password", "a-new-password-for-paula");
        edit(body, agent.id());

        refused(agent.token(), "/api/v1/queue");
        given().contentType(ContentType.JSON).body(Map.of("username", agent.username(), "password", "password-" + agent.username()))
                .post("/api/v1/auth/token").then().statusCode(401);
        String fresh = Api.login(agent.username(), "a-new-password-for-paula");
        given().auth().oauth2(fresh).get("/api/v1/queue").then().statusCode(200);
    }

    @Test
    void movingADepartmentUserToAnotherDepartmentRevokesTheTokenThatNamesTheOldOne() {
        String admin = Api.adminToken();
        String[] departments = new String[2];
        for (int i = 0; i < 2; i++) {
            departments[i] = given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body(Map.of("name", "Afdeling " + java.util.UUID.randomUUID().toString().substring(0, 8), "contactRoutes", List.of(),
                            "topics", List.of()))
                    .post("/api/v1/departments").then().statusCode(201).extract().path("id");
        }
        String username = "dep-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new HashMap<>(Map.of("username", username, "displayName", "Balie", "password", "password-" + username,
                "roles", List.of("department"), "topics", List.of(), "maxConcurrent", 1, "department", departments[0]));
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON).body(body)
                .post("/api/v1/admin/users").then().statusCode(201).extract().path("id");
        String token = Api.login(username, "password-" + username);
        given().auth().oauth2(token).get("/api/v1/departments").then().statusCode(200);

        body.remove("password");
        body.put("department", departments[1]);
        edit(body, id);

        // the old token's department claim names the department the user no longer belongs to
        refused(token, "/api/v1/departments");
        String fresh = Api.login(username, "password-" + username);
        given().auth().oauth2(fresh).get("/api/v1/departments").then().statusCode(200);
    }

    @Test
    void aTopicChangeRevokesButTheSameSettingsInAnotherOrderDoNot() {
        String one = TestTopics.create();
        String two = TestTopics.create();
        Api.Agent agent = Api.user("Tess", List.of("agent", "supervisor"), List.of(one, two), 3);

        // the same roles and topics, written in another order, and a new display name: nothing that a token carries
        Map<String, Object> same = account(agent, List.of("supervisor", "agent"), List.of(two, one));
        edit(same, agent.id());
        given().auth().oauth2(agent.token()).get("/api/v1/queue").then().statusCode(200);

        edit(account(agent, List.of("agent", "supervisor"), List.of(one)), agent.id());
        refused(agent.token(), "/api/v1/queue");
    }

    @Test
    void disablingClosesEverySocketOfTheAccountAsAccountDisabled() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Dirk", List.of(topic), 3);
        try (WsClient first = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient second = WsClient.connect(base, "/ws/agent", agent.token())) {
            first.next("hello");
            second.next("hello");
            Map<String, Object> body = account(agent, List.of("agent"), List.of(topic));
            body.put("active", false);
            edit(body, agent.id());
            for (WsClient ws : List.of(first, second)) {
                CloseReason closed = ws.awaitClosed();
                assertThat(closed.getCode()).isEqualTo(1008);
                assertThat(closed.getMessage()).isEqualTo("account disabled");
            }
        }
        refused(agent.token(), "/api/v1/queue");
    }

    @Test
    void aChangeMadeDirectlyInTheDatabaseReachesTheNodeThroughItsNotification() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Olga", List.of(topic), 3);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            // an operator in psql: no application code runs, only the trigger and its NOTIFY
            db.query("update app_user set roles = array['integrator'] where id = $1", Tuple.of(UUID.fromString(agent.id())))
                    .await().atMost(Duration.ofSeconds(10));
            assertThat(ws.awaitClosed().getCode()).isEqualTo(1008);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> refused(agent.token(), "/api/v1/queue"));
        }
    }
}
