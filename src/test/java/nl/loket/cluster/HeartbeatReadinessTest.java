package nl.loket.cluster;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import nl.loket.platform.NodeId;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The node's heartbeat cannot reach the database (here its statement waits for a row lock, as
 * it would for chat connections that cannot get through): readiness stays UP while the beat is
 * merely late, as in a surge, goes DOWN once the other nodes would take this node for dead
 * (dead-after, 10 s), and comes back UP with the next beat that gets through.
 */
@QuarkusTest
@TestProfile(HeartbeatReadinessTest.OwnNode.class)
class HeartbeatReadinessTest {

    /**
     * A node of its own: the 10 s gap between two beats that this test makes would stay in the
     * heartbeat's figures (loket_cluster_heartbeat_gap_seconds_max) that other tests read.
     */
    public static class OwnNode implements QuarkusTestProfile {
    }

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Inject
    Db db;

    @Inject
    NodeId node;

    @Test
    void readinessFollowsTheHeartbeatWithoutFlappingWhenItIsLate() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> ready().statusCode == 200);
        JsonObject up = check(ready().body);
        assertThat(up).as("the heartbeat is a readiness check").isNotNull();
        assertThat(up.getString("status")).isEqualTo("UP");

        SqlConnection holder = db.pool().getConnection().await().atMost(Duration.ofSeconds(10));
        try {
            holder.query("begin").execute().await().atMost(Duration.ofSeconds(10));
            // held idle longer than the test profile's bound on a transaction left idle (5 s), which would end it
            holder.query("set local idle_in_transaction_session_timeout = 0").execute().await().atMost(Duration.ofSeconds(10));
            // the beat's update of this row waits from now on; a connection's registration (a key share) does not
            holder.preparedQuery("select 1 from node where id = $1 for no key update").execute(Tuple.of(node.id()))
                    .await().atMost(Duration.ofSeconds(10));
            long held = System.nanoTime();

            Thread.sleep(5_000);
            assertThat(ready().statusCode).as("a beat 5 s late, as in a loaded surge: still ready").isEqualTo(200);

            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> ready().statusCode == 503);
            assertThat(Duration.ofNanos(System.nanoTime() - held)).as("not before the last beat is dead-after old")
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(7));
            Ready down = ready();
            JsonObject heartbeat = check(down.body);
            assertThat(heartbeat.getString("status")).isEqualTo("DOWN");
            assertThat(heartbeat.getJsonObject("data").getLong("lastBeatMillisAgo")).isGreaterThanOrEqualTo(10_000L);
        } finally {
            holder.query("rollback").execute().await().atMost(Duration.ofSeconds(10));
            holder.close().await().atMost(Duration.ofSeconds(10));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> ready().statusCode == 200);
        assertThat(check(ready().body).getString("status")).isEqualTo("UP");
    }

    private record Ready(int statusCode, JsonObject body) {
    }

    private Ready ready() {
        var response = given().get(ready);
        return new Ready(response.statusCode(), new JsonObject(response.asString()));
    }

    private static JsonObject check(JsonObject health) {
        return health.getJsonArray("checks").stream().map(JsonObject.class::cast)
                .filter(c -> "heartbeat".equals(c.getString("name"))).findFirst().orElse(null);
    }
}
