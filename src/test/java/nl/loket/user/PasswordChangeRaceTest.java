package nl.loket.user;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A password change answers a token as a login does. It checks the current password, then stores
 * the new one; an administrator's change of the account in between (a demotion, a reset) must not
 * be undone by the token it answers, nor by the stored password.
 */
@QuarkusTest
class PasswordChangeRaceTest {

    @Inject
    Db db;

    @Inject
    AgroalDataSource jdbc;

    @Test
    void anAdminDemotedWhileChangingTheirPasswordGetsNoAdminToken() throws Exception {
        Api.Agent boss = Api.user("Bea", List.of("admin"), List.of(), 1);
        String password = "password-" + boss.username();
        try (Connection admin = jdbc.getConnection()) {
            admin.setAutoCommit(false);
            // the administrator's demotion, not yet committed: the password change reads the account before it
            try (PreparedStatement s = admin.prepareStatement("update app_user set roles = '{agent}' where id = ?")) {
                s.setObject(1, UUID.fromString(boss.id()));
                s.executeUpdate();
            }
            CompletableFuture<Response> change = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .body(Map.of("username", boss.username(), "currentPassword", password, "newPassword", "een-heel-nieuw-wachtwoord"))
                    .post("/api/v1/auth/password").then().extract().response());
            // its store waits for the demotion's lock; the demotion commits first
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(this::passwordStoresWaiting, n -> n > 0);
            admin.commit();

            Response answer = change.get();
            if (answer.statusCode() == 200) {
                // the token the change answers carries what the account is now, not what it was before the demotion
                given().auth().oauth2(answer.jsonPath().getString("accessToken")).get("/api/v1/admin/users")
                        .then().statusCode(403);
            } else {
                assertThat(answer.statusCode()).as("body: %s", answer.asString()).isEqualTo(401);
            }
        }
    }

    @Test
    void aResetWhileTheUserChangesTheirPasswordStaysInForce() throws Exception {
        Api.Agent piet = Api.agent("Piet", List.of("afval"), 1);
        String password = "password-" + piet.username();
        try (Connection admin = jdbc.getConnection()) {
            admin.setAutoCommit(false);
            // the administrator's reset (a stolen password, say), not yet committed
            try (PreparedStatement s = admin.prepareStatement("update app_user set password_hash = ?, must_change_password = true where id = ?")) {
                s.setString(1, Passwords.hash("tijdelijk-wachtwoord-1"));
                s.setObject(2, UUID.fromString(piet.id()));
                s.executeUpdate();
            }
            CompletableFuture<Response> change = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .body(Map.of("username", piet.username(), "currentPassword", password, "newPassword", "van-de-dief-wachtwoord"))
                    .post("/api/v1/auth/password").then().extract().response());
            await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(this::passwordStoresWaiting, n -> n > 0);
            admin.commit();

            Response answer = change.get();
            assertThat(answer.statusCode()).as("body: %s", answer.asString()).isEqualTo(401);
        }
        // the reset holds: the old password changed nothing, the temporary one still asks for a new password
        given().contentType(ContentType.JSON).body(Map.of("username", piet.username(), "password", "van-de-dief-wachtwoord"))
                .post("/api/v1/auth/token").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("username", piet.username(), "password", "tijdelijk-wachtwoord-1"))
                .post("/api/v1/auth/token").then().statusCode(403);
    }

    /** Password changes whose store waits for a lock now. */
    private long passwordStoresWaiting() {
        return db.query("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
                        Tuple.of("update app_user set password_hash%")).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }
}
