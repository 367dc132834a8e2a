package nl.loket.web;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** When Loket sends Strict-Transport-Security, and what: the decision alone, without a Quarkus start per setting. */
class StrictTransportSecurityValueTest {

    @Test
    void overHttpsTheConfiguredMaxAgeAndNothingElse() {
        assertThat(SecurityHeaders.strictTransportSecurity("https", 31_536_000)).isEqualTo("max-age=31536000");
        assertThat(SecurityHeaders.strictTransportSecurity("https", 300)).isEqualTo("max-age=300");
    }

    @Test
    void noneOverPlainHttp() {
        assertThat(SecurityHeaders.strictTransportSecurity("http", 31_536_000)).isNull();
        assertThat(SecurityHeaders.strictTransportSecurity(null, 31_536_000)).isNull();
    }

    /** 0 switches it off for an operator whose proxy sends its own: no {@code max-age=0}, which would clear the browser's. */
    @Test
    void zeroSendsNone() {
        assertThat(SecurityHeaders.strictTransportSecurity("https", 0)).isNull();
    }

    /** A WebSocket's 101 follows the same rule: with 0, or over plain http, nosniff and no-referrer only. */
    @Test
    void theUpgradeHeadersFollowTheSameRule() {
        assertThat(SecurityHeaders.upgradeHeaders("https", 31_536_000))
                .containsEntry("Strict-Transport-Security", List.of("max-age=31536000"))
                .containsEntry("X-Content-Type-Options", List.of("nosniff"))
                .containsEntry("Referrer-Policy", List.of("no-referrer"));
        assertThat(SecurityHeaders.upgradeHeaders("https", 0)).doesNotContainKey("Strict-Transport-Security")
                .containsEntry("X-Content-Type-Options", List.of("nosniff"));
        assertThat(SecurityHeaders.upgradeHeaders("http", 31_536_000)).doesNotContainKey("Strict-Transport-Security");
    }
}
