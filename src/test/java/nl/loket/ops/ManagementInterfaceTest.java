package nl.loket.ops;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
        String body = given().get(metrics).then().statusCode(200).extract().asString();
        assertThat(body).contains("loket_connections", "http_server_requests");

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
