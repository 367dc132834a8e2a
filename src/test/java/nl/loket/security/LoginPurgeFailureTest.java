package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.time.Duration;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The minutely purge of login failures (rows that name client addresses) fails: each failure is
 * counted in {@code loket_failures_total{where="login-purge"}}, the first is logged at WARN, and
 * the recovery at INFO; it used to be swallowed without a trace.
 */
@QuarkusTest
class LoginPurgeFailureTest {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Inject
    LoginThrottle logins;

    @Inject
    Db db;

    @Test
    void aFailingPurgeIsCountedEachTimeLoggedOnceAndItsRecoveryToo() {
        logins.purgeExpired().await().atMost(Duration.ofSeconds(10));
        double before = Metrics.scrape(metrics).failures("login-purge");
        try (LogCapture logs = new LogCapture()) {
            db.query("alter table login_failure rename to login_failure_gone").await().atMost(Duration.ofSeconds(10));
            try {
                for (int i = 0; i < 3; i++) {
                    logins.purgeExpired().await().atMost(Duration.ofSeconds(10));
                }
                // at least ours: the scheduled purge may have failed meanwhile as well
                assertThat(Metrics.scrape(metrics).failures("login-purge") - before).isGreaterThanOrEqualTo(3);
                assertThat(logs.loket(Level.WARNING, "Purging expired login failures")).as(logs.all()).hasSize(1);
            } finally {
                db.query("alter table login_failure_gone rename to login_failure").await().atMost(Duration.ofSeconds(10));
            }
            logins.purgeExpired().await().atMost(Duration.ofSeconds(10));
            assertThat(logs.loket(Level.INFO, "Purging expired login failures works again")).as(logs.all()).hasSize(1);
        }
    }
}
