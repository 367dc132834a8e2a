package nl.loket.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Health that means something: while PostgreSQL is down, readiness (on the management port) is
 * DOWN and names what is missing, liveness stays UP (restarting the process would not help),
 * and both are back on their own once the database is, with the cluster signals listened to
 * again and requests served.
 */
class ReadinessIT extends ClusterHarness {

    @BeforeAll
    static void startOneNode() throws Exception {
        startDatabase("readiness");
        a = startNode("a");
        adminToken = login(a, "admin", ADMIN_PASSWORD);
    }

    static HttpResponse<String> health(String which) throws Exception {
        return http.send(HttpRequest.newBuilder(a.management("/q/health/" + which)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String status(JsonNode health, String check) {
        for (JsonNode c : list(health.get("checks"))) {
            if (check.equals(c.get("name").asText())) {
                return c.get("status").asText();
            }
        }
        return "absent";
    }

    @Test
    void readinessFollowsTheDatabaseAndTheListenConnectionWhileLivenessStaysUp() throws Exception {
        String topic = newTopic("health");
        JsonNode before = JSON.readTree(health("ready").body());
        log("readiness with the database up: %s", before);
        assertThat(health("ready").statusCode()).isEqualTo(200);
        assertThat(status(before, "cluster-signals")).isEqualTo("UP");

        long stopped = System.nanoTime();
        stopPostgres();
        log("PostgreSQL stopped");
        HttpResponse<String> down = null;
        List<Integer> liveness = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            liveness.add(health("live").statusCode());
            HttpResponse<String> ready = health("ready");
            if (ready.statusCode() == 503) {
                down = ready;
                break;
            }
            Thread.sleep(250);
        }
        assertThat(down).as("readiness DOWN within 20 s of stopping PostgreSQL").isNotNull();
        log("readiness DOWN %d ms after PostgreSQL stopped: %s", millisSince(stopped), down.body());
        JsonNode downJson = JSON.readTree(down.body());
        assertThat(status(downJson, "cluster-signals")).isEqualTo("DOWN");
        for (int i = 0; i < 8; i++) {
            liveness.add(health("live").statusCode());
            Thread.sleep(250);
        }
        assertThat(liveness).as("liveness while the database is down").containsOnly(200);
        assertThat(health("ready").statusCode()).as("still not ready").isEqualTo(503);

        long restarted = System.nanoTime();
        startPostgres();
        log("PostgreSQL started again");
        HttpResponse<String> up = null;
        deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> ready = health("ready");
            if (ready.statusCode() == 200) {
                up = ready;
                break;
            }
            Thread.sleep(250);
        }
        assertThat(up).as("readiness UP again within 60 s").isNotNull();
        log("readiness UP %d ms after PostgreSQL came back: %s", millisSince(restarted), up.body());
        assertThat(status(JSON.readTree(up.body()), "cluster-signals")).isEqualTo("UP");
        assertThat(health("live").statusCode()).isEqualTo(200);
        // and it serves again, without a restart
        assertThat(startConversation(a, topic, null).get("id").asText()).isNotBlank();
    }
}
