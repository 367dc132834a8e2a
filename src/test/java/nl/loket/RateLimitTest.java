package nl.loket;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/** The public POST endpoints share a per-address budget (here 5 a minute). */
@QuarkusTest
@TestProfile(RateLimitTest.Strict.class)
class RateLimitTest {

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.limits.public-rate-per-minute", "5");
        }
    }

    @Inject
    Db db;

    @Test
    void theSixthPublicPostInAMinuteIsRefused() {
        // the budget is the cluster's (RateLimitAcrossNodesTest): other test classes' requests from this address this
        // minute are not this test's
        db.query("delete from shared_rate_count", Tuple.tuple()).await().atMost(Duration.ofSeconds(10));
        for (int i = 0; i < 3; i++) {
            given().contentType(ContentType.JSON).body(Map.of("topic", "afval")).post("/api/v1/conversations").then().statusCode(201);
        }
        for (int i = 0; i < 2; i++) {
            given().contentType(ContentType.JSON).body(Map.of("topic", "afval", "phone", "06" + (30000000 + i)))
                    .post("/api/v1/callbacks").then().statusCode(201);
        }
        given().contentType(ContentType.JSON).body(Map.of("topic", "afval")).post("/api/v1/conversations")
                .then().statusCode(429).contentType("application/problem+json").body("status", equalTo(429));
        given().contentType(ContentType.JSON).body(Map.of("topic", "afval", "phone", "0640000000"))
                .post("/api/v1/callbacks").then().statusCode(429);
        // reading is not limited
        given().get("/api/v1/topics").then().statusCode(200);
    }
}
