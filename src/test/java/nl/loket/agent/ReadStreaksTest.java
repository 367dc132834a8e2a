package nl.loket.agent;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import nl.loket.LogCapture;
import nl.loket.platform.Failures;
import nl.loket.platform.Pump;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A held conversation's read that keeps failing is retried with a doubling pause: each try is
 * counted, but the log gets one WARN when the streak starts, the retries at INFO, and one line
 * when it is read again; another conversation's streak is its own.
 */
class ReadStreaksTest {

    private static final UUID AGENT = UUID.fromString("00000000-0000-0000-0000-0000000000a1");

    @Test
    void oneWarnPerStreakEveryTryCountedAndOneLineOnRecovery() {
        Failures failures = new Failures(new SimpleMeterRegistry());
        ReadStreaks streaks = new ReadStreaks(failures, "c-1", AGENT);
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        SQLException broken = new SQLException("row cannot be mapped");
        try (LogCapture logs = new LogCapture()) {
            streaks.succeeded(a);
            assertThat(logs.loket(Level.INFO, a.toString())).as("no recovery without a failure").isEmpty();

            List<Long> pauses = List.of(streaks.failed(a, broken), streaks.failed(a, broken), streaks.failed(a, broken));
            assertThat(pauses).containsExactly(Pump.pauseAfter(0), Pump.pauseAfter(1), Pump.pauseAfter(2));
            assertThat(failures.counter(ReadStreaks.WHERE).count()).isEqualTo(3);
            List<LogRecord> warned = logs.loket(Level.WARNING, a.toString());
            assertThat(warned).as(logs.all()).hasSize(1);
            assertThat(warned.get(0).getThrown()).isSameAs(broken);
            assertThat(LogCapture.message(warned.get(0))).contains("c-1", AGENT.toString());
            assertThat(infoOnly(logs, a)).as(logs.all()).hasSize(2)
                    .allSatisfy(r -> assertThat(r.getThrown()).isNull());

            // another conversation's failure starts a streak of its own
            streaks.failed(b, broken);
            assertThat(logs.loket(Level.WARNING, b.toString())).hasSize(1);

            streaks.succeeded(a);
            streaks.succeeded(a);
            List<LogRecord> recovered = infoOnly(logs, a).stream().filter(r -> LogCapture.message(r).contains("again after")).toList();
            assertThat(recovered).as(logs.all()).hasSize(1);
            assertThat(LogCapture.message(recovered.get(0))).contains("read conversation " + a + " again after 4 tries");

            // a new streak: WARN again, and the pause starts short again
            assertThat(streaks.failed(a, broken)).isEqualTo(Pump.pauseAfter(0));
            assertThat(logs.loket(Level.WARNING, a.toString())).hasSize(2);
            assertThat(failures.counter(ReadStreaks.WHERE).count()).isEqualTo(5);
        }
    }

    private static List<LogRecord> infoOnly(LogCapture logs, UUID id) {
        return logs.loket(Level.INFO, id.toString()).stream().filter(r -> r.getLevel().intValue() == Level.INFO.intValue()).toList();
    }
}
