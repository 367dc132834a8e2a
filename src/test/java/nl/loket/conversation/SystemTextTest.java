package nl.loket.conversation;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The resident is told the inactivity period that is configured, in their language. */
class SystemTextTest {

    @Test
    void theTimeoutMessageNamesTheConfiguredPeriod() {
        assertThat(SystemText.TIMEOUT.in("nl", SystemText.period(Duration.ofMinutes(30), "nl")))
                .isEqualTo("Het gesprek is gesloten omdat er 30 minuten geen bericht is gestuurd.");
        assertThat(SystemText.TIMEOUT.in("en", SystemText.period(Duration.ofMinutes(1), "en")))
                .isEqualTo("The conversation was closed because no message was sent for 1 minute.");
        assertThat(SystemText.period(Duration.ofSeconds(4), "nl")).isEqualTo("4 seconden");
        assertThat(SystemText.period(Duration.ofSeconds(90), "en")).isEqualTo("90 seconds");
    }
}
