package nl.loket.platform;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * After a PostgreSQL outage the log had Vert.x's ERROR "Unhandled exception" with
 * {@code IllegalStateException: Result is already complete}, one for each statement that found
 * the database away, half a minute after it. The cause is Vert.x's (4.5) pool, not Loket's code:
 * a statement arms a timer of the pool's connection timeout (30 s by default, the shared pool's
 * and the chat connections'), and when getting a connection fails (the database refuses it) the
 * statement fails at once but the timer is not cancelled; when it runs out it fails the
 * statement's promise a second time, which Vert.x refuses and logs. Reproduced here with a pool on
 * the application's Vert.x whose database refuses connections, and a timeout of one second. The
 * statement's caller had its failure already; {@link LatePoolTimeouts} keeps the refused second
 * one out of the log (DEBUG), and only that one.
 */
@QuarkusTest
class PoolLateTimeoutTest {

    private static final String TWICE = "Result is already complete";

    @Inject
    Vertx vertx;

    @Test
    void aStatementThatFoundTheDatabaseAwayIsNotLoggedAsCompletedTwiceWhenItsPoolTimeoutRunsOut() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort(); // nobody listens there once it is closed: the database is away
        }
        Pool pool = PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(2).setConnectionTimeout(1).setConnectionTimeoutUnit(TimeUnit.SECONDS))
                .connectingTo(new PgConnectOptions().setHost("127.0.0.1").setPort(closed).setUser("loket").setDatabase("loket"))
                .using(vertx)
                .build();
        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < 3; i++) {
                Throwable failure = pool.query("select 1").execute().toCompletionStage()
                        .handle((rows, e) -> e).toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertThat(failure).as("a statement while the database is away").isNotNull();
            }
            // the pool's timers (1 s) run out after the statements failed
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).until(() -> twice(logs).isEmpty());
            assertThat(twice(logs)).as(logs.all()).isEmpty();
            assertThat(logs.stderr()).doesNotContain(TWICE);

            // the filter is narrow: the same exception from anywhere else is still logged as Vert.x logs it
            vertx.getOrCreateContext().runOnContext(v -> {
                throw new IllegalStateException(TWICE);
            });
            await().atMost(Duration.ofSeconds(10)).until(() -> !twice(logs).isEmpty());
        } finally {
            pool.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static List<LogRecord> twice(LogCapture logs) {
        return logs.records().stream().filter(r -> r.getThrown() != null && TWICE.equals(r.getThrown().getMessage())).toList();
    }
}
