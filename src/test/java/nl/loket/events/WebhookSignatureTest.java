package nl.loket.events;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    @Test
    void theHeaderIsTheHmacOfTimeDotBody() {
        // the value a receiver computes with any HMAC library: HMAC-SHA256("secret", "1700000000.{}") in hex
        assertThat(WebhookSignature.header("secret", 1_700_000_000L, "{}"))
                .isEqualTo("t=1700000000,v1=" + WebhookSignature.hmac("secret", "1700000000.{}"));
        assertThat(WebhookSignature.hmac("key", "The quick brown fox jumps over the lazy dog"))
                .isEqualTo("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void verificationFailsForAnotherBodyTimeOrSecret() {
        String header = WebhookSignature.header("secret", 1_700_000_000L, "{\"id\":1}");
        assertThat(WebhookSignature.verify("secret", header, "{\"id\":1}")).isTrue();
        assertThat(WebhookSignature.verify("secret", header, "{\"id\":2}")).isFalse();
        assertThat(WebhookSignature.verify("other", header, "{\"id\":1}")).isFalse();
        assertThat(WebhookSignature.verify("secret", header.replace("t=1700000000", "t=1700000001"), "{\"id\":1}")).isFalse();
        assertThat(WebhookSignature.verify("secret", null, "{}")).isFalse();
        assertThat(WebhookSignature.verify("secret", "v1=abc", "{}")).isFalse();
    }
}
