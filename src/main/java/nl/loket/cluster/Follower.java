package nl.loket.cluster;

import nl.loket.conversation.ConversationEvent;

import java.util.UUID;

/**
 * A WebSocket connection on this node that follows conversations: a resident's (one
 * conversation) or an agent's (those they hold). The hub hands it every change of a followed
 * conversation from memory; the connection applies changes in version order and reads the
 * conversation once when it sees a version skip.
 */
public interface Follower {

    /** A change of a conversation this connection follows (or, for an agent, one assigned to them). */
    void onEvent(ConversationEvent event);

    /**
     * Somebody typed in a followed conversation; {@code from} is resident or agent. {@code stopped}:
     * they stopped before sending anything (the agent turned to an internal note): the indicator goes.
     */
    void typing(UUID conversationId, String from, boolean stopped);

    /** The listener was down: whatever happened meanwhile must be read from the tables. */
    void resync();

    /**
     * A resident's connection: a newer socket of its conversation took its place (the conversation
     * was at its limit of sockets) and the database no longer counts it. It says so and closes.
     */
    default void replaced() {
    }

    /** This conversation may have changed without a change reaching this connection: read it (see {@code Signal.Reread}). */
    default void reread(UUID conversationId) {
        resync();
    }
}
