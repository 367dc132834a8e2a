package nl.loket.queue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The queue lengths cannot be read (here a table the read needs is briefly gone): the operator
 * sees {@code loket_queue_length} as NaN rather than the last value, the time of the last read
 * standing still, one WARN and a count per failed read; and the lengths again once a read works.
 */
@QuarkusTest
class QueueMetricsFailureTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    QueueMetrics queueMetrics;

    @Inject
    QueueService queues;

    @Inject
    Db db;

    @Test
    void aFailedReadShowsTheLengthsAsUnknownIsCountedAndLoggedOnce() throws Exception {
        String topic = TestTopics.create(db);
        String length = "topic=\"" + topic + "\"";
        read();
        Metrics before = Metrics.scrape(metrics);
        assertThat(before.value("loket_queue_length", length)).isZero();
        double updated = before.value("loket_queue_length_updated_seconds");
        assertThat(updated).isCloseTo(Instant.now().getEpochSecond(), within(10.0));

        try (LogCapture logs = new LogCapture()) {
            db.query("alter table capacity_flag rename to capacity_flag_gone").await().atMost(Duration.ofSeconds(10));
            long gone = Instant.now().getEpochSecond();
            try {
                for (int i = 0; i < 3; i++) {
                    read();
                }
                Metrics failing = Metrics.scrape(metrics);
                assertThat(failing.value("loket_queue_length", length)).as("unknown, not the last value").isNaN();
                assertThat(failing.value("loket_queue_length_updated_seconds")).as("the last read that worked")
                        .isBetween(updated, (double) gone);
                // at least ours: the scheduled refresh may have failed meanwhile as well
                assertThat(failing.failures("queue-metrics") - before.failures("queue-metrics")).isGreaterThanOrEqualTo(3);
                assertThat(logs.loket(Level.WARNING, "Reading the queue lengths")).as(logs.all()).hasSize(1);
            } finally {
                db.query("alter table capacity_flag_gone rename to capacity_flag").await().atMost(Duration.ofSeconds(10));
            }
            read();
            assertThat(Metrics.scrape(metrics).value("loket_queue_length", length)).isZero();
            assertThat(logs.loket(Level.INFO, "Reading the queue lengths for loket_queue_length works again")).as(logs.all()).hasSize(1);
        }
    }

    /** A refresh that reads the database, not the snapshot another reader shares for a tenth of a second. */
    private void read() throws InterruptedException {
        Thread.sleep(QueueService.MIN_AGE_NANOS / 1_000_000 + 50);
        queues.invalidate();
        queueMetrics.refresh().await().atMost(Duration.ofSeconds(10));
    }
}
