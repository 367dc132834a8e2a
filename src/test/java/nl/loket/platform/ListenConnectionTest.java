package nl.loket.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connection on which a node LISTENs for the other nodes' changes, as an operator sees it in
 * the log and in {@code loket_failures_total{where="listen"}}: a loss (a database restart, a
 * failover, an idle-connection killer; here {@code pg_terminate_backend}) is logged once at WARN
 * and counted, its recovery logged once; nothing is printed raw to stderr; and a deliberate stop
 * is not reported as a loss.
 */
@QuarkusTest
class ListenConnectionTest {

    @Inject
    Db db;

    @Inject
    ClusterListener listener;

    @Inject
    MeterRegistry registry;

    @Inject
    Vertx vertx;

    @Inject
    Signals signals;

    @Inject
    Failures failures;

    @Inject
    NodeId nodeId;

    @Inject
    PgOptions pgOptions;

    @Inject
    ClusterListener.Config listenConfig;

    private double listenFailures() {
        return Metrics.failures(registry, "listen");
    }

    private List<Integer> listeningBackends() {
        List<Integer> pids = new ArrayList<>();
        db.query("select pid from pg_stat_activity where pid <> pg_backend_pid() and application_name = 'loket-listen'")
                .await().atMost(Duration.ofSeconds(10)).forEach(r -> pids.add(r.getInteger("pid")));
        return pids;
    }

    private static List<LogRecord> aboutListen(List<LogRecord> records) {
        return records.stream().filter(r -> r.getLoggerName().startsWith("nl.loket") && r.getMessage() != null
                && r.getMessage().contains("LISTEN")).collect(Collectors.toList());
    }

    private static String dump(List<LogRecord> records) {
        return records.stream().map(LogCapture::describe).collect(Collectors.joining("\n  ", "\n  ", ""));
    }

    @Test
    void aLostListenConnectionIsLoggedAndCountedOnceAndItsRecoveryOnce() throws Exception {
        assertThat(listener.listening()).isTrue();
        List<Integer> before = listeningBackends();
        assertThat(before).as("this node's LISTEN backend").hasSize(1);
        double failed = listenFailures();
        try (LogCapture logs = new LogCapture()) {
            List<Row> killed = new ArrayList<>();
            db.query("select pg_terminate_backend(" + before.get(0) + ") as ok").await().atMost(Duration.ofSeconds(10)).forEach(killed::add);
            assertThat(killed.get(0).getBoolean("ok")).isTrue();

            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && (!listener.listening() || listeningBackends().equals(before)
                    || aboutListen(logs.records).stream().noneMatch(r -> r.getLevel().intValue() == Level.INFO.intValue()))) {
                Thread.sleep(100);
            }
            Thread.sleep(500); // anything late (a second WARN, a stack trace) shows too
            List<LogRecord> listen = aboutListen(logs.records);
            SoftAssertions soft = new SoftAssertions();
            soft.assertThat(listener.listening()).as("listening again").isTrue();
            soft.assertThat(listeningBackends()).as("a new LISTEN backend").hasSize(1).doesNotContainAnyElementsOf(before);
            soft.assertThat(listen.stream().filter(r -> r.getLevel().intValue() == Level.WARNING.intValue()).toList())
                    .as("one WARN about the loss; records about LISTEN:%s", dump(listen)).hasSize(1);
            soft.assertThat(listen.stream().filter(r -> r.getLevel().intValue() == Level.INFO.intValue()).toList())
                    .as("one INFO about the recovery; records about LISTEN:%s", dump(listen)).hasSize(1);
            soft.assertThat(listenFailures() - failed).as("loket_failures_total{where=listen} grew by one").isEqualTo(1.0);
            soft.assertThat(logs.stderr()).as("nothing printed raw to stderr, past the log format (node=, JSON)")
                    .doesNotContain("57P01", "\tat ", "Exception");
            soft.assertAll();
        }
    }

    @Test
    void aDeliberateStopIsNotReportedAsALoss() throws Exception {
        ClusterListener own = new ClusterListener(vertx, signals, failures, nodeId, pgOptions, listenConfig);
        own.start(null);
        assertThat(own.listening()).isTrue();
        double failed = listenFailures();
        try (LogCapture logs = new LogCapture()) {
            own.stop(null);
            Thread.sleep(1000);
            assertThat(logs.atLeast(Level.WARNING).stream().filter(r -> r.getLoggerName().startsWith("nl.loket")).toList())
                    .as("no WARN from Loket for a stop; records:%s", dump(logs.records)).isEmpty();
            assertThat(listenFailures()).isEqualTo(failed);
            assertThat(logs.stderr()).doesNotContain("Exception");
        }
    }
}
