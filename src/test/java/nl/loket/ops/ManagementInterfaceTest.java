package nl.loket.ops;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health, metrics and the OpenAPI document answer on the management port only; the public port,
 * the one behind the proxy, does not serve them to anybody.
 */
@QuarkusTest
class ManagementInterfaceTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Test
    void metricsAnswerOnTheManagementPortAndNotOnThePublicOne() {
        given().get("/q/metrics").then().statusCode(404);
        // a request of the public API, counted in http_server_requests (the 404 above is not, and this class
        // alone saw no other request)
        given().get("/api/v1/topics").then().statusCode(200);
        // counted once its response is done, perhaps a moment after the client has it
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String body = given().get(metrics).then().statusCode(200).extract().asString();
            assertThat(body).contains("loket_connections", "http_server_requests");
        });
    }

    /**
     * An operator sees how far apart this node's heartbeats reach the database (other nodes
     * declare a node dead past dead-after, 10 s): beats every 2 s, so after a few seconds there
     * are gaps, each well under dead-after.
     */
    @Test
    void theHeartbeatsGapIsMeasured() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String body = given().get(metrics).then().statusCode(200).extract().asString();
            assertThat(figure(body, "loket_cluster_heartbeat_gap_seconds_count")).as("gaps measured").isGreaterThanOrEqualTo(1);
            assertThat(figure(body, "loket_cluster_heartbeat_gap_seconds_max")).as("the longest gap, s").isBetween(0.5, 10.0);
            assertThat(figure(body, "loket_cluster_heartbeat_statement_seconds_count")).as("beats' statements measured")
                    .isGreaterThanOrEqualTo(2);
        });
    }

    /**
     * The README's table of what to monitor promises the API's latency as buckets
     * ({@code http_server_requests_seconds_bucket}), for a p99 alert, and the line of starts as a
     * gauge ({@code loket_starts_waiting}) before the first resident has come.
     */
    @Test
    void theApisLatencyHasBucketsAndTheStartsLineIsThereFromTheStart() {
        given().get("/api/v1/topics").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String body = given().get(metrics).then().statusCode(200).extract().asString();
            assertThat(body).containsPattern("(?m)^http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/v1/topics\"[^}]*le=\"0\\.1\"[^}]*\\} ")
                    .containsPattern("(?m)^http_server_requests_seconds_bucket\\{[^}]*uri=\"/api/v1/topics\"[^}]*le=\"\\+Inf\"[^}]*\\} ")
                    .containsPattern("(?m)^loket_starts_waiting(\\{[^}]*\\})? ");
        });
    }

    private static double figure(String metrics, String name) {
        Matcher m = Pattern.compile("^" + name + "(?:\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE).matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : -1;
    }

    @Test
    void healthAndOpenApiAnswerOnTheManagementPortOnly() {
        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/health").then().statusCode(404);
        given().get("/q/openapi").then().statusCode(404);
        given().accept("application/json").get(openapi).then().statusCode(200);

        JsonObject health = new JsonObject(given().get(ready).then().statusCode(200).extract().asString());
        assertThat(health.getString("status")).isEqualTo("UP");
        JsonArray checks = health.getJsonArray("checks");
        assertThat(checks.stream().map(c -> ((JsonObject) c).getString("name")).toList()).contains("cluster-signals");
    }
}
