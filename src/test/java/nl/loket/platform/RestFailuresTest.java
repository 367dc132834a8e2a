package nl.loket.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A REST request that fails unexpectedly, above all because the database is down or its
 * connections are all busy (a surge): the resident or the widget gets problem+json (503 with
 * Retry-After when trying again later may help), the operator a WARN without the query string
 * and a count in {@code loket_failures_total{where="rest"}}. Client errors keep their answers.
 */
@QuarkusTest
class RestFailuresTest {

    private static final String PHONE = "%2B31612345678";

    @Inject
    MeterRegistry registry;

    private double failures() {
        return Metrics.failures(registry, "rest");
    }

    @Test
    void aDatabaseThatCannotBeReachedIsA503ProblemWithRetryAfterLoggedAndCounted() {
        double before = failures();
        try (LogCapture logs = new LogCapture()) {
            Response r = given().accept(ContentType.JSON).get("/api/v1/test-failures/database-down?phone=" + PHONE);

            assertThat(r.statusCode()).as("body: %s", r.asString()).isEqualTo(503);
            assertThat(r.contentType()).startsWith(Problem.MEDIA_TYPE);
            assertThat(r.jsonPath().getString("type")).isEqualTo("/problems/unavailable");
            assertThat(r.jsonPath().getString("title")).isEqualTo("Tijdelijk niet beschikbaar / Temporarily unavailable");
            assertThat(r.header("Retry-After")).as("seconds").isEqualTo("10");
            assertThat(failures() - before).as("loket_failures_total{where=rest}").isEqualTo(1);
            List<LogRecord> warned = logs.loket(Level.WARNING, "GET /api/v1/test-failures/database-down");
            assertThat(warned).as("a WARN naming the request; all records:%n%s", logs.all()).hasSize(1);
            assertThat(LogCapture.message(warned.get(0))).contains("503");
            assertThat(logs.all()).as("the query string is never logged").doesNotContain("phone", "31612345678");
        }
    }

    @Test
    void aPoolWhoseWaitForAConnectionRunsOutIsA503ProblemAndTheLogHasNoQueryString() {
        // a statement on the pool (a VertxException), and a transaction's wait for a connection (a bare Throwable)
        for (String path : List.of("pool-exhausted", "pool-wait-timeout")) {
            double before = failures();
            try (LogCapture logs = new LogCapture()) {
                Response r = given().accept(ContentType.JSON).get("/api/v1/test-failures/" + path + "?phone=" + PHONE);

                assertThat(r.statusCode()).as("%s: %s", path, r.asString()).isEqualTo(503);
                assertThat(r.contentType()).as(path).startsWith(Problem.MEDIA_TYPE);
                assertThat(r.jsonPath().getString("type")).isEqualTo("/problems/unavailable");
                assertThat(r.header("Retry-After")).isEqualTo("10");
                assertThat(failures() - before).as(path).isEqualTo(1);
                assertThat(logs.loket(Level.WARNING, "GET /api/v1/test-failures/" + path)).as("%s:%n%s", path, logs.all()).hasSize(1);
                assertThat(logs.all()).doesNotContain("phone", "31612345678");
            }
        }
    }

    /**
     * A database outage fails every request: each is counted, but the log gets a line at most
     * once a minute (with how many more failed), not thousands a second in a surge.
     */
    @Test
    void aDatabaseOutageIsCountedForEveryRequestAndLoggedAtASaneRate() {
        double before = failures();
        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < 6; i++) {
                given().get("/api/v1/test-failures/database-down-again").then().statusCode(503);
            }
            assertThat(failures() - before).isEqualTo(6);
            assertThat(logs.loket(Level.WARNING)).as("the first only; all records:%n%s", logs.all()).hasSize(1);
        }
    }

    @Test
    void otherFailuresAreA500ProblemLoggedAndCounted() {
        for (String path : List.of("checked", "bug")) {
            double before = failures();
            try (LogCapture logs = new LogCapture()) {
                Response r = given().accept(ContentType.JSON).get("/api/v1/test-failures/" + path + "?phone=" + PHONE);

                assertThat(r.statusCode()).as("%s: %s", path, r.asString()).isEqualTo(500);
                assertThat(r.contentType()).startsWith(Problem.MEDIA_TYPE);
                assertThat(r.jsonPath().getString("type")).isEqualTo("/problems/internal");
                assertThat(r.jsonPath().getString("title")).isEqualTo("Er ging iets mis / Something went wrong");
                assertThat(failures() - before).as(path).isEqualTo(1);
                List<LogRecord> warned = logs.loket(Level.WARNING, "GET /api/v1/test-failures/" + path);
                assertThat(warned).as("%s; all records:%n%s", path, logs.all()).hasSize(1);
                assertThat(warned.get(0).getThrown()).as("with its stack trace").isNotNull();
                assertThat(logs.all()).doesNotContain("phone", "31612345678");
            }
        }
    }

    /** What Quarkus itself refuses keeps its answer, and is no failure of Loket's. */
    @Test
    void clientErrorsKeepTheirAnswersAndAreNotCounted() {
        double before = failures();
        given().get("/api/v1/no-such-thing").then().statusCode(404).contentType(Problem.MEDIA_TYPE)
                .body("type", org.hamcrest.Matchers.equalTo("/problems/not-found"));
        given().delete("/api/v1/topics").then().statusCode(405).contentType(Problem.MEDIA_TYPE)
                .body("type", org.hamcrest.Matchers.equalTo("/problems/method-not-allowed"));
        given().contentType(ContentType.TEXT).body("hallo").post("/api/v1/conversations").then().statusCode(415)
                .contentType(Problem.MEDIA_TYPE).body("type", org.hamcrest.Matchers.equalTo("/problems/unsupported-media-type"));
        given().contentType(ContentType.JSON).body("{\"topic\":").post("/api/v1/conversations").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("type", org.hamcrest.Matchers.equalTo("/problems/validation"))
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("body"));
        given().contentType(ContentType.JSON).body("{\"topic\": [1]}").post("/api/v1/conversations").then().statusCode(400)
                .contentType(Problem.MEDIA_TYPE).body("type", org.hamcrest.Matchers.equalTo("/problems/validation"));
        assertThat(failures() - before).isZero();
    }
}
