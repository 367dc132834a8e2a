package nl.loket.callback;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Where a terugbelverzoek stands, and the one table of which state may follow which
 * (docs/protocol.md §7). The stored and wire form is the lower-case name. {@link CallbackService},
 * the table's only writer, guards every update with the states this table allows it to start from.
 */
public enum CallbackState {
    /** Waiting to be claimed (a retry waits until its next attempt time). */
    OPEN,
    /** An agent holds it and is calling. */
    CLAIMED,
    /** A repeat for a number and topic that already had a live request; it waits with that one. */
    MERGED,
    /** The resident was reached. */
    DONE,
    /** Wrong number, or not reached within the allowed attempts. */
    FAILED,
    /** Cancelled by the resident or staff, expired by retention, or forgotten on request. */
    CANCELLED;

    /** States in which a request still waits for a call. */
    public static final Set<CallbackState> LIVE = EnumSet.of(OPEN, CLAIMED, MERGED);

    private static final Map<CallbackState, Set<CallbackState>> NEXT = Map.of(
            // claimed by an agent; cancelled by the resident, staff, retention or erasure
            OPEN, EnumSet.of(CLAIMED, CANCELLED),
            // a call attempt: not reached with attempts left goes back to open, else done or failed
            CLAIMED, EnumSet.of(OPEN, DONE, FAILED, CANCELLED),
            // a repeat follows the request it was merged into when that ends, or takes its place
            // (open or claimed) when that one's caller cancels only their own submission
            MERGED, EnumSet.of(OPEN, CLAIMED, DONE, FAILED, CANCELLED),
            DONE, EnumSet.noneOf(CallbackState.class),
            FAILED, EnumSet.noneOf(CallbackState.class),
            CANCELLED, EnumSet.noneOf(CallbackState.class));

    /** Whether a request in this state may move to {@code next}. */
    public boolean mayBecome(CallbackState next) {
        return NEXT.get(this).contains(next);
    }

    public boolean live() {
        return LIVE.contains(this);
    }

    /** As stored in {@code callback_request.state} and sent on the wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static CallbackState of(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }

    /** The stored forms of some states, as the owner's SQL binds them ({@code state = any($n)}). */
    static String[] wire(Set<CallbackState> states) {
        return states.stream().map(CallbackState::wire).toArray(String[]::new);
    }

    /**
     * Where a claimed request goes after a call attempt with this result, the {@code attempts}th
     * one, of at most {@code maxAttempts}.
     */
    public static CallbackState afterAttempt(String result, long attempts, int maxAttempts) {
        return switch (result) {
            case "reached" -> DONE;
            case "wrong_number" -> FAILED;
            default -> attempts >= maxAttempts ? FAILED : OPEN;
        };
    }
}
