package nl.loket.platform;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.loket.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A failure that repeats while its cause lasts (a receiver down every second): each one is
 * counted, the log gets the first with its stack trace, a line per quiet period while it lasts,
 * and the recovery.
 */
class FailureStreakTest {

    @Test
    void everyFailureIsCountedAndTheLogGetsTheFirstARepeatAndTheRecovery() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Failures failures = new Failures(registry);
        Failures.Streak streak = failures.streak("receiver", Duration.ofMillis(300));
        IOException down = new IOException("Connection refused");
        try (LogCapture logs = new LogCapture()) {
            streak.succeeded("Receiver %s works again", "r-1");
            assertThat(logs.loket(Level.INFO, "Receiver")).as("no recovery without a failure").isEmpty();

            for (int i = 0; i < 5; i++) {
                streak.failed(down, "Receiver %s failed", "r-1");
            }
            assertThat(failures.counter("receiver").count()).isEqualTo(5);
            List<LogRecord> warned = logs.loket(Level.WARNING, "Receiver");
            assertThat(warned).as(logs.all()).hasSize(1);
            assertThat(LogCapture.message(warned.get(0))).isEqualTo("Receiver r-1 failed");
            assertThat(warned.get(0).getThrown()).isSameAs(down);

            Thread.sleep(200);
            streak.failed(down, "Receiver %s failed", "r-1");
            Thread.sleep(150);
            streak.failed(down, "Receiver %s failed", "r-1");
            warned = logs.loket(Level.WARNING, "Receiver");
            assertThat(warned).as(logs.all()).hasSize(2);
            assertThat(LogCapture.message(warned.get(1)))
                    .isEqualTo("Receiver r-1 failed (IOException: Connection refused; still failing, 5 more failures since the line before)");
            assertThat(warned.get(1).getThrown()).as("one stack trace per streak").isNull();
            assertThat(streak.failing()).isTrue();

            streak.succeeded("Receiver %s works again", "r-1");
            streak.succeeded("Receiver %s works again", "r-1");
            List<LogRecord> recovered = logs.loket(Level.INFO, "Receiver").stream().filter(r -> r.getLevel().intValue() == Level.INFO.intValue()).toList();
            assertThat(recovered).as(logs.all()).hasSize(1);
            assertThat(LogCapture.message(recovered.get(0))).startsWith("Receiver r-1 works again (after 7 failures in ");
            assertThat(streak.failing()).isFalse();

            streak.failed(down, "Receiver %s failed", "r-1");
            assertThat(logs.loket(Level.WARNING, "Receiver")).as("a new streak is logged at once").hasSize(3);
            assertThat(failures.counter("receiver").count()).isEqualTo(8);
        }
    }

    @Test
    void failuresFurtherApartThanTheQuietPeriodAreEachLoggedWithTheirStackTrace() throws Exception {
        Failures failures = new Failures(new SimpleMeterRegistry());
        Failures.Streak streak = failures.streak("rest", Duration.ofMillis(100));
        try (LogCapture logs = new LogCapture()) {
            streak.failed(new IOException("one"), "Request failed");
            Thread.sleep(150);
            streak.failed(new IOException("two"), "Request failed");
            assertThat(logs.loket(Level.WARNING, "Request failed")).hasSize(2).allSatisfy(r -> assertThat(r.getThrown()).isNotNull());
        }
    }
}
