package nl.loket.conversation;

import java.util.Locale;

/**
 * Where a conversation stands. The stored and wire form is the lower-case name. The moves
 * between states, and which states they start from, are listed once, in {@link Move}.
 */
public enum ConversationState {
    QUEUED, ACTIVE, CLOSED, CALLBACK, ABANDONED;

    /** As stored in {@code conversation.state} and sent on the wire. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ConversationState of(String stored) {
        return valueOf(stored.toUpperCase(Locale.ROOT));
    }

    /** Nothing happens in an ended conversation any more: no messages, no moves. */
    public boolean ended() {
        return this == CLOSED || this == CALLBACK || this == ABANDONED;
    }
}
