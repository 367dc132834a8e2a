package nl.loket.conversation;

import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

import static nl.loket.conversation.ConversationState.ABANDONED;
import static nl.loket.conversation.ConversationState.ACTIVE;
import static nl.loket.conversation.ConversationState.CALLBACK;
import static nl.loket.conversation.ConversationState.CLOSED;
import static nl.loket.conversation.ConversationState.QUEUED;

/**
 * Every move a conversation can make: the one table of allowed transitions. Each move names
 * the states it may start from, the state it ends in, and, where the move ends the conversation
 * or an agent's hold on it, the reason recorded. The owner's SQL guards each update with
 * {@link #from()}, so whichever node makes a move, it happens once.
 */
public enum Move {
    /** An agent takes it from the queue. */
    CLAIM(EnumSet.of(QUEUED), ACTIVE, null),
    /** The agent sends it back to a topic's queue, keeping queuedAt. */
    TRANSFER_TO_TOPIC(EnumSet.of(ACTIVE), QUEUED, EndReason.TRANSFERRED),
    /** The agent hands it straight to a colleague. */
    TRANSFER_TO_AGENT(EnumSet.of(ACTIVE), ACTIVE, EndReason.TRANSFERRED),
    /** The agent closes it with an outcome. */
    CLOSE(EnumSet.of(ACTIVE), CLOSED, EndReason.CLOSED),
    /** The resident leaves while waiting. */
    LEAVE_QUEUE(EnumSet.of(QUEUED), ABANDONED, EndReason.RESIDENT_LEFT),
    /** The resident leaves during the chat. */
    LEAVE_CHAT(EnumSet.of(ACTIVE), CLOSED, EndReason.RESIDENT_LEFT),
    /** The resident stayed away longer than the grace period while waiting. */
    ABANDON(EnumSet.of(QUEUED), ABANDONED, EndReason.RESIDENT_GONE),
    /** The agent stayed away longer than the grace period: back to the front of the queue. */
    REQUEUE(EnumSet.of(ACTIVE), QUEUED, EndReason.AGENT_GONE),
    /** Nobody wrote for the inactivity period. */
    TIME_OUT(EnumSet.of(ACTIVE), CLOSED, EndReason.TIMEOUT),
    /** A waiting resident leaves a callback request instead. */
    CALLBACK_FROM_QUEUE(EnumSet.of(QUEUED), CALLBACK, EndReason.CALLBACK),
    /** The agent hands the chat off to a callback request. */
    CALLBACK_FROM_CHAT(EnumSet.of(ACTIVE), CALLBACK, EndReason.CALLBACK);

    private final Set<ConversationState> from;
    private final ConversationState to;
    private final EndReason reason;

    Move(Set<ConversationState> from, ConversationState to, EndReason reason) {
        this.from = from;
        this.to = to;
        this.reason = reason;
    }

    public Set<ConversationState> from() {
        return from;
    }

    public ConversationState to() {
        return to;
    }

    /** Why the conversation, or the agent's hold on it, ended with this move; empty for a claim. */
    public Optional<EndReason> reason() {
        return Optional.ofNullable(reason);
    }

    public boolean allowedFrom(ConversationState state) {
        return from.contains(state);
    }

    /** The stored states this move may start from, as the owner's SQL binds them. */
    String[] fromWire() {
        return from.stream().map(ConversationState::wire).toArray(String[]::new);
    }

    /**
     * The stored states this move may start from as an SQL list, {@code ('queued')}, for a
     * statement's text: made of the enum's own constants, never of input. A sweep that binds
     * them as a parameter instead gets a generic plan after a few runs, which cannot use the
     * partial indexes on {@code state}, and reads the whole table.
     */
    String fromSqlList() {
        return from.stream().map(s -> "'" + s.wire() + "'").sorted().collect(java.util.stream.Collectors.joining(", ", "(", ")"));
    }

    /** The move a resident's {@code leave} makes, or empty when leaving changes nothing. */
    public static Optional<Move> leaving(ConversationState state) {
        return switch (state) {
            case QUEUED -> Optional.of(LEAVE_QUEUE);
            case ACTIVE -> Optional.of(LEAVE_CHAT);
            default -> Optional.empty();
        };
    }
}
