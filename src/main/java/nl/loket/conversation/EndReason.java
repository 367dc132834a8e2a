package nl.loket.conversation;

import java.util.Locale;

/**
 * Why a conversation ended, or why an agent's hold on it ended. Stored in
 * {@code conversation.close_reason} and {@code assignment.end_reason} as the lower-case name.
 */
public enum EndReason {
    /** The agent closed it. */
    CLOSED,
    /** The resident left with a {@code leave} frame. */
    RESIDENT_LEFT,
    /** The resident was disconnected longer than the grace period while queued. */
    RESIDENT_GONE,
    /** Handed off to a callback request. */
    CALLBACK,
    /** The agent transferred it to a topic's queue or to a colleague. */
    TRANSFERRED,
    /** Nobody wrote for the inactivity period. */
    TIMEOUT,
    /** The agent was disconnected longer than the grace period; it went back to the queue. */
    AGENT_GONE;

    public String stored() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EndReason of(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }

    /** What the agent console is told in {@code ended}: closed, resident_left, callback, transferred or timeout. */
    public String forAgent() {
        return switch (this) {
            case RESIDENT_LEFT, CALLBACK, TRANSFERRED, TIMEOUT -> stored();
            case AGENT_GONE -> TRANSFERRED.stored();
            case CLOSED, RESIDENT_GONE -> CLOSED.stored();
        };
    }
}
