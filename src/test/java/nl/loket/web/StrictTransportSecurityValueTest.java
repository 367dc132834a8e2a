package nl.loket.web;

import org.junit.jupiter.api.Test;

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
}
