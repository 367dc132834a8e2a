package nl.loket.platform;

import java.util.UUID;

/** A WebSocket connection on this node that is owed frames from the tables. */
public interface Subscriber {

    /** Re-read what this connection is owed and deliver it; safe to call at any time, any number of times. */
    void refresh();

    /** The account behind this connection changed (topics, status, capacity); by default a plain refresh. */
    default void accountChanged() {
        refresh();
    }

    /** Somebody else is typing in a conversation this connection follows. */
    void typing(UUID conversationId, String from);

    /** Whether this connection follows the conversation (an agent holding it). */
    default boolean follows(UUID conversationId) {
        return false;
    }

    /** Whether this is a resident waiting in the queue of the topic. */
    default boolean waitsIn(String topic) {
        return false;
    }

    /** Whether this is a resident waiting in any queue. */
    default boolean waiting() {
        return false;
    }

    /** The queue boards changed (agent connections only). */
    default void boardsChanged() {
    }

    /** The account behind this connection was disabled: close it. */
    default void revoke() {
    }
}
