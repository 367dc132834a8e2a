package nl.loket.retention;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The hourly purge of personal data fails (here a table it purges is briefly gone, as a botched
 * migration or a revoked grant would have it). The operator sees a WARN, a count in
 * {@code loket_failures_total{where="retention"}}, and {@code loket_retention_last_success_seconds}
 * standing still, which an alert on its age catches.
 */
@QuarkusTest
class RetentionFailureTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    Retention retention;

    @Inject
    Db db;

    @Test
    void aFailingRunIsLoggedAndCountedAndTheLastSuccessStandsStill() throws Exception {
        retention.scheduled().await().atMost(Duration.ofSeconds(30));
        Metrics before = Metrics.scrape(metrics);
        double success = before.value("loket_retention_last_success_seconds");
        assertThat(success).as("epoch seconds of the run that ended well").isCloseTo(Instant.now().getEpochSecond(), within(10.0));

        Thread.sleep(1100); // a later run ends in a later second
        db.query("alter table login_failure rename to login_failure_gone").await().atMost(Duration.ofSeconds(10));
        try (LogCapture logs = new LogCapture()) {
            retention.scheduled().await().atMost(Duration.ofSeconds(30));

            Metrics after = Metrics.scrape(metrics);
            assertThat(after.failures("retention") - before.failures("retention")).as("loket_failures_total{where=retention}")
                    .isEqualTo(1);
            assertThat(after.value("loket_retention_last_success_seconds")).as("stands still").isEqualTo(success);
            assertThat(logs.loket(Level.WARNING, "Retention run failed")).as(logs.all()).hasSize(1);
        } finally {
            db.query("alter table login_failure_gone rename to login_failure").await().atMost(Duration.ofSeconds(10));
        }

        retention.scheduled().await().atMost(Duration.ofSeconds(30));
        assertThat(Metrics.scrape(metrics).value("loket_retention_last_success_seconds")).as("moves on with the next run that ends well")
                .isGreaterThan(success);
    }
}
