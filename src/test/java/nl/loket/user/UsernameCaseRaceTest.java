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
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two administrators create "Bart" and "bart" at the same moment. Each creation checked that no
 * username equal but for case existed, and both passed, since neither saw the other's
 * uncommitted row: two accounts one person apart. Now one account exists and the other creation
 * gets the answer a creation after it gets.
 */
@QuarkusTest
class UsernameCaseRaceTest {

    @Inject
    Db db;

    @Inject
    AgroalDataSource jdbc;

    @Test
    void twoCreationsThatDifferOnlyInCaseAtOnceMakeOneAccount() throws Exception {
        String admin = Api.adminToken();
        String name = "bart-" + UUID.randomUUID().toString().substring(0, 8);
        String shouting = name.toUpperCase(Locale.ROOT);
        CompletableFuture<Response> first;
        CompletableFuture<Response> second;
        try (Connection other = jdbc.getConnection()) {
            other.setAutoCommit(false);
            // a third creation of the same name, not yet committed, holds the first one up after its check
            try (PreparedStatement s = other.prepareStatement("insert into app_user (id, username, display_name, roles) "
                    + "values (?, ?, 'Bart', '{agent}')")) {
                s.setObject(1, UUID.randomUUID());
                s.setString(2, shouting);
                s.executeUpdate();
            }
            first = create(admin, shouting);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(this::insertsWaiting, n -> n >= 1);
            // the second runs while the first is under way: its check cannot see the first's row either
            second = create(admin, name);
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                    .until(() -> second.isDone() || insertsWaiting() >= 2);
            other.rollback();
        }
        List<Response> answers = List.of(first.get(), second.get());
        assertThat(answers).as("%s", answers.stream().map(Response::asString).toList())
                .extracting(Response::statusCode).containsExactlyInAnyOrder(201, 400);
        Response refused = answers.stream().filter(r -> r.statusCode() == 400).findFirst().orElseThrow();
        // the same problem as for a creation after the other had committed (AdminApiTest)
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getList("errors.field", String.class)).containsExactly("username");
        assertThat(refused.jsonPath().getList("errors.message", String.class)).containsExactly("bestaat al / already exists");
        assertThat(given().auth().oauth2(admin).get("/api/v1/admin/users").then().statusCode(200).extract().jsonPath()
                .getList("username", String.class)).filteredOn(u -> u.equalsIgnoreCase(name)).hasSize(1);
    }

    private static CompletableFuture<Response> create(String admin, String username) {
        return CompletableFuture.supplyAsync(() -> given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", username, "displayName", "Bart", "password", "password-" + username,
                        "roles", List.of("agent"), "topics", List.of()))
                .post("/api/v1/admin/users").then().extract().response());
    }

    /** Creations of accounts whose insert waits for a lock now. */
    private long insertsWaiting() {
        return db.query("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like $1",
                        Tuple.of("insert into app_user%")).await().atMost(Duration.ofSeconds(10))
                .iterator().next().getLong("n");
    }
}
