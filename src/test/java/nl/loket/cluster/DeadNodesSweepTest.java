package nl.loket.cluster;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Metrics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heartbeat's removal of dead nodes, as an operator watches it: its failures under a name of
 * their own ({@code loket_failures_total{where="dead-nodes"}}; they were counted as
 * {@code where="sweep"}, which told nothing once each conversation sweep had its own name), and
 * when it last ended well, beside the conversation sweeps'
 * ({@code loket_sweep_last_success_seconds{sweep="dead-nodes"}}). A dead node whose removal
 * PostgreSQL refuses (a test-only trigger) makes it fail every second until that is repaired.
 */
@QuarkusTest
class DeadNodesSweepTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    Db db;

    @Test
    void aFailingRemovalOfDeadNodesIsCountedUnderItsOwnNameAndItsLastSuccessShows() {
        UUID dead = UUID.randomUUID();
        Metrics before = Metrics.scrape(metrics);
        db.query("create function test_refuse_node_delete() returns trigger language plpgsql as "
                + "$$ begin raise exception 'refused by the test'; end $$").await().atMost(WAIT);
        db.query("create trigger test_refuse_node_delete before delete on node for each row when (old.id = '" + dead
                + "') execute function test_refuse_node_delete()").await().atMost(WAIT);
        try {
            db.query("insert into node (id, started_at, heartbeat_at) values ($1, now() - interval '1 hour', now() - interval '1 hour')",
                    Tuple.of(dead)).await().atMost(WAIT);
            await().atMost(WAIT).untilAsserted(() -> {
                Metrics after = Metrics.scrape(metrics);
                assertThat(after.failures("dead-nodes") - before.failures("dead-nodes"))
                        .as("loket_failures_total{where=dead-nodes}").isGreaterThanOrEqualTo(1);
                assertThat(after.failures("sweep") - before.failures("sweep")).as("loket_failures_total{where=sweep}").isZero();
            });
        } finally {
            db.query("drop trigger test_refuse_node_delete on node").await().atMost(WAIT);
            db.query("drop function test_refuse_node_delete()").await().atMost(WAIT);
        }
        long repaired = Instant.now().getEpochSecond();
        await().atMost(WAIT).untilAsserted(() -> assertThat(db.query("select count(*) as n from node where id = $1", Tuple.of(dead))
                .await().atMost(WAIT).iterator().next().getLong("n")).as("the dead node, once it can be removed").isZero());
        await().atMost(WAIT).untilAsserted(() -> assertThat(Metrics.scrape(metrics)
                .value("loket_sweep_last_success_seconds", "sweep=\"dead-nodes\""))
                .as("loket_sweep_last_success_seconds{sweep=dead-nodes}").isGreaterThanOrEqualTo(repaired));
    }
}
