package nl.loket.security;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Origin check on WebSocket upgrades: an origin is its scheme, host and port, and "same origin"
 * means all three equal the request's (the scheme and host as the trusted proxy forwarded them, or
 * as the connection and its Host header say). A port left out is the scheme's default, on both
 * sides. Listed origins pass whatever the request.
 */
class UpgradeChecksTest {

    private final UpgradeChecks sameOriginOnly = new UpgradeChecks(List.of());

    @Test
    void anotherServiceOnTheSameHostIsNotTheSameOrigin() {
        assertThat(sameOriginOnly.originAllowed("http://loket.gemeente.nl:8081", "https", "loket.gemeente.nl", -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("http://loket.gemeente.nl:8081", "http", "loket.gemeente.nl", -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl:8443", "https", "loket.gemeente.nl", 443)).isFalse();
        assertThat(sameOriginOnly.originAllowed("http://localhost:8082", "http", "localhost", 8081)).isFalse();
    }

    @Test
    void theSchemeCounts() {
        assertThat(sameOriginOnly.originAllowed("http://loket.gemeente.nl", "https", "loket.gemeente.nl", -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl", "http", "loket.gemeente.nl", -1)).isFalse();
        // port 443 spelled out, but over plain http: another origin
        assertThat(sameOriginOnly.originAllowed("http://loket.gemeente.nl:443", "https", "loket.gemeente.nl", -1)).isFalse();
    }

    @Test
    void aPortLeftOutIsTheSchemesDefaultOnBothSides() {
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl", "https", "loket.gemeente.nl", -1)).isTrue();
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl", "https", "loket.gemeente.nl", 443)).isTrue();
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl:443", "https", "loket.gemeente.nl", -1)).isTrue();
        assertThat(sameOriginOnly.originAllowed("http://loket.gemeente.nl", "http", "loket.gemeente.nl", 80)).isTrue();
        assertThat(sameOriginOnly.originAllowed("http://localhost:8081", "http", "localhost", 8081)).isTrue();
        assertThat(sameOriginOnly.originAllowed("HTTPS://Loket.Gemeente.NL/", "https", "loket.gemeente.nl", -1)).isTrue();
        assertThat(sameOriginOnly.originAllowed("http://[::1]:8081", "http", "[::1]", 8081)).isTrue();
        assertThat(sameOriginOnly.originAllowed("http://[::1]:8082", "http", "[::1]", 8081)).isFalse();
    }

    @Test
    void somethingThatIsNoOriginIsRefused() {
        assertThat(sameOriginOnly.originAllowed("null", "https", "loket.gemeente.nl", -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl/elders", "https", "loket.gemeente.nl", -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("https://iemand@loket.gemeente.nl", "https", "loket.gemeente.nl", -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("ftp://loket.gemeente.nl", "ftp", "loket.gemeente.nl", -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl", "https", null, -1)).isFalse();
        assertThat(sameOriginOnly.originAllowed("https://loket.gemeente.nl", null, "loket.gemeente.nl", -1)).isFalse();
    }

    @Test
    void aListedOriginPassesWhateverTheRequest() {
        UpgradeChecks listed = new UpgradeChecks(List.of(" https://www.voorbeeld.nl ", "http://localhost:5173/"));
        assertThat(listed.originAllowed("https://www.voorbeeld.nl", "https", "loket.gemeente.nl", -1)).isTrue();
        assertThat(listed.originAllowed("http://localhost:5173", "http", "localhost", 8080)).isTrue();
        assertThat(listed.originAllowed("https://www.voorbeeld.nl:8443", "https", "loket.gemeente.nl", -1)).isFalse();
        assertThat(listed.originAllowed("http://www.voorbeeld.nl", "https", "loket.gemeente.nl", -1)).isFalse();
    }
}
