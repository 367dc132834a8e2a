package nl.loket;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The public POSTs' budget (here 5 a minute) is the cluster's, not this node's: what another node
 * let through for the same client counts here, once this node's once-a-second sync has heard it.
 * Another node is played by the test, adding to the client's count in the database.
 */
@QuarkusTest
@TestProfile(RateLimitAcrossNodesTest.Strict.class)
class RateLimitAcrossNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    public static class Strict implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.limits.public-rate-per-minute", "5");
        }
    }

    @Inject
    Db db;

    @Test
    void whatAnotherNodeLetThroughCountsHereAfterTheSync() {
        // other test classes' requests came from this address too; and the steps below need one minute's window
        db.query("delete from shared_rate_count", Tuple.tuple()).await().atMost(WAIT);
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500))
                .until(() -> db.query("select extract(second from now()) < 40 as early", Tuple.tuple()).await().atMost(WAIT)
                        .iterator().next().getBoolean("early"));

        given().contentType(ContentType.JSON).body(Map.of("topic", "afval")).post("/api/v1/conversations").then().statusCode(201);
        await().atMost(WAIT).until(() -> count() == 1); // this node's sync reported it
        // meanwhile another node let the same client through twice
        db.query("update shared_rate_count set n = n + 2", Tuple.tuple()).await().atMost(WAIT);

        given().contentType(ContentType.JSON).body(Map.of("topic", "afval", "phone", "0650000000"))
                .post("/api/v1/callbacks").then().statusCode(201);
        await().atMost(WAIT).until(() -> count() == 4); // reported with the next sync, which heard the other node's two
        given().contentType(ContentType.JSON).body(Map.of("topic", "afval")).post("/api/v1/conversations").then().statusCode(201);

        // three of this node's five went through: the other node's two fill the budget
        given().contentType(ContentType.JSON).body(Map.of("topic", "afval")).post("/api/v1/conversations")
                .then().statusCode(429).contentType("application/problem+json").body("status", equalTo(429));
        given().contentType(ContentType.JSON).body(Map.of("topic", "afval", "phone", "0650000001"))
                .post("/api/v1/callbacks").then().statusCode(429);
    }

    /** The client's count this minute in the database: the one row there (-1 while there is none). */
    private int count() {
        RowSet<Row> rows = db.query("select n from shared_rate_count", Tuple.tuple()).await().atMost(WAIT);
        return rows.size() == 1 ? rows.iterator().next().getInteger("n") : -1;
    }
}
