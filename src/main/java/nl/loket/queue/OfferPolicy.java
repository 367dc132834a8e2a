package nl.loket.queue;

import java.time.Instant;

/**
 * When a waiting resident is offered a callback (docs/protocol.md §4), and why. Pure. The most pressing
 * reason wins: the topic closes before they would be served, capacity is flagged short, no
 * agent is available, the wait is longer than the topic's threshold.
 */
public final class OfferPolicy {

    public static final String CLOSING = "closing";
    public static final String CAPACITY_SHORT = "capacity_short";
    public static final String NO_AGENTS = "no_agents";
    public static final String LONG_WAIT = "long_wait";

    private OfferPolicy() {
    }

    /**
     * @param openUntil when the topic's current opening ends; null when it is closed now
     *                  (a resident can still be waiting then: queued before closing time)
     * @param alwaysOpen the operator opened every topic around the clock
     * @param ewtSeconds estimated wait, null when unknown (no agent available)
     * @return the reason to offer a callback, or null when waiting is reasonable
     */
    public static String reason(Instant now, boolean alwaysOpen, Instant openUntil, boolean capacityShort,
                                Integer ewtSeconds, int thresholdSeconds) {
        if (!alwaysOpen) {
            if (openUntil == null) {
                return CLOSING;
            }
            if (ewtSeconds != null && now.plusSeconds(ewtSeconds).isAfter(openUntil)) {
                return CLOSING;
            }
        }
        if (capacityShort) {
            return CAPACITY_SHORT;
        }
        if (ewtSeconds == null) {
            return NO_AGENTS;
        }
        if (ewtSeconds > thresholdSeconds) {
            return LONG_WAIT;
        }
        return null;
    }

    /**
     * The estimate with a quarter more wait. A callback offer that was told stays while its reason
     * would still hold with this estimate: a long_wait offer goes once the wait is a fifth under the
     * threshold, a closing one once the resident would be served with a quarter of their wait to
     * spare. An estimate that hovers around the line does not make the offer come and go.
     */
    public static Integer withMargin(Integer ewtSeconds) {
        return ewtSeconds == null ? null : (int) Math.min(Integer.MAX_VALUE, ewtSeconds + (ewtSeconds + 3L) / 4);
    }
}
