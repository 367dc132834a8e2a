package nl.loket.transcript;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A session of Loket's database role left in an open transaction that holds a conversation's row
 * (a DBA's psql) holds every integrator's change feed back for as long as it stays open. The
 * operator sees it: {@code loket_feed_bound_lag_seconds} rises with it, and a WARN names the
 * session's pid and its transaction's age, nothing of what it did; once it ends the gauge falls.
 * Whether an integrator reads or not: a node that served no page lately measures the bound afresh.
 */
@QuarkusTest
@TestProfile(FeedBoundLagTest.ShortWarnAfter.class)
class FeedBoundLagTest {

    /**
     * The WARN after 2 s rather than 60 s, so that the test need not hold the row for a minute; an
     * idle node measures afresh after 1 s rather than 15 s.
     */
    public static class ShortWarnAfter implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.feed.bound-warn-after", "2s", "loket.feed.bound-refresh", "1s");
        }
    }

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    Db db;

    @Test
    void aSessionHoldingAConversationOpenShowsInTheGaugeAndTheLog() {
        String topic = TestTopics.create(db);
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        UUID id = UUID.randomUUID();
        db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, closed_at, updated_at) "
                + "values ($1, $2, 'closed', 'Geheime Naam', now() - interval '2 days', now() - interval '2 days', "
                + "now() - interval '1 day', now() - interval '1 day')", Tuple.of(id, topic)).await().indefinitely();
        var psql = db.pool().getConnection().await().indefinitely();
        try (LogCapture log = new LogCapture()) {
            // an operator's session of Loket's role, in a transaction left open on a conversation's row
            psql.query("begin").execute().await().indefinitely();
            psql.query("set local idle_in_transaction_session_timeout = 0").execute().await().indefinitely();
            int pid = psql.query("select pg_backend_pid() as pid").execute().await().indefinitely().iterator().next().getInteger("pid");
            psql.preparedQuery("select id from conversation where id = $1 for update").execute(Tuple.of(id)).await().indefinitely();

            // no integrator reads: the gauge still rises with the session, and the WARN comes past the threshold (2 s here)
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(Metrics.scrape(metrics).value("loket_feed_bound_lag_seconds")).as("the feed's bound lag, s").isGreaterThan(2.0);
                assertThat(log.loket(Level.WARNING, "change feed is held back")).hasSize(1);
            });
            LogRecord warn = log.loket(Level.WARNING, "change feed is held back").get(0);
            String message = LogCapture.message(warn);
            assertThat(message).contains("pid " + pid, "pg_terminate_backend(" + pid + ")").containsPattern("open for \\d+ s");
            // the session's id and age only: not what it ran, nor what it holds
            assertThat(message).doesNotContain("for update", id.toString(), "Geheime Naam", topic);

            // an integrator's page meets the same bound, and within the minute no second WARN from this node
            given().auth().oauth2(integrator).queryParam("topic", topic).get("/api/v1/conversations").then().statusCode(200);
            assertThat(Metrics.scrape(metrics).value("loket_feed_bound_lag_seconds")).isGreaterThan(2.0);
            assertThat(log.loket(Level.WARNING, "change feed is held back")).hasSize(1);

            psql.query("rollback").execute().await().indefinitely();
            // once the session let go the gauge falls, though no integrator reads any more: no lag long gone stays on show
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(Metrics.scrape(metrics).value("loket_feed_bound_lag_seconds")).isLessThan(2.0));
        } finally {
            psql.close().await().indefinitely();
        }
    }
}
