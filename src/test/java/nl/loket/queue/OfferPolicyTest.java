package nl.loket.queue;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class OfferPolicyTest {

    private static final Instant NOW = Instant.parse("2026-11-30T10:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(3 * 3600);

    @Test
    void reasonableWaitsAreNotInterrupted() {
        assertThat(OfferPolicy.reason(NOW, false, LATER, false, 120, 600)).isNull();
        assertThat(OfferPolicy.reason(NOW, false, LATER, false, 600, 600)).isNull();
    }

    @Test
    void eachReasonOnItsOwn() {
        assertThat(OfferPolicy.reason(NOW, false, LATER, false, null, 600)).isEqualTo("no_agents");
        assertThat(OfferPolicy.reason(NOW, false, LATER, false, 601, 600)).isEqualTo("long_wait");
        assertThat(OfferPolicy.reason(NOW, false, LATER, true, 60, 600)).isEqualTo("capacity_short");
        assertThat(OfferPolicy.reason(NOW, false, NOW.plusSeconds(100), false, 120, 600)).isEqualTo("closing");
        assertThat(OfferPolicy.reason(NOW, false, null, false, 60, 600)).isEqualTo("closing");
    }

    @Test
    void theMostPressingReasonWins() {
        assertThat(OfferPolicy.reason(NOW, false, null, true, null, 600)).isEqualTo("closing");
        assertThat(OfferPolicy.reason(NOW, false, LATER, true, null, 600)).isEqualTo("capacity_short");
        assertThat(OfferPolicy.reason(NOW, false, LATER, false, null, 0)).isEqualTo("no_agents");
    }

    @Test
    void alwaysOpenNeverCloses() {
        assertThat(OfferPolicy.reason(NOW, true, null, false, 60, 600)).isNull();
    }

    @Test
    void theMarginIsAQuarterMoreWait() {
        assertThat(OfferPolicy.withMargin(null)).isNull();
        assertThat(OfferPolicy.withMargin(0)).isEqualTo(0);
        assertThat(OfferPolicy.withMargin(480)).isEqualTo(600);
        assertThat(OfferPolicy.withMargin(481)).isEqualTo(602);
        // kept until the wait is a fifth under the threshold
        assertThat(OfferPolicy.reason(NOW, false, LATER, false, OfferPolicy.withMargin(481), 600)).isEqualTo("long_wait");
        assertThat(OfferPolicy.reason(NOW, false, LATER, false, OfferPolicy.withMargin(480), 600)).isNull();
        assertThat(OfferPolicy.withMargin(Integer.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }
}
