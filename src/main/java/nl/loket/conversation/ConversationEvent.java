package nl.loket.conversation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.loket.platform.Signal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One change of a conversation as every node hears it: the conversation's state after the
 * change (with its {@code version}, bumped by exactly one per change) and the messages the
 * change wrote. A subscriber applies changes in version order; a version it skipped means it
 * missed one and reads the conversation instead ({@link #read}). {@code elided}: the messages did
 * not fit in a notification and must be read.
 */
public record ConversationEvent(UUID id, long version, int lastSeq, ConversationState state, String topic, UUID agentId,
                                String agentName, UUID previousAgentId, String kind, String closeReason, UUID callbackId,
                                boolean residentOnline, List<Message> messages, boolean elided) {

    /** The kind of a change that only wrote messages. */
    public static final String MESSAGE = "MESSAGE";
    /** The kind of a change of the resident's presence. */
    public static final String PRESENCE = "PRESENCE";
    /** Not a change but the conversation as read from the tables (a repair, a first look). */
    public static final String READ = "READ";

    public static ConversationEvent of(Signal.Conversation signal) {
        return of(signal.event());
    }

    public static ConversationEvent of(JsonObject e) {
        UUID id = UUID.fromString(e.getString("id"));
        List<Message> messages = new ArrayList<>();
        JsonArray m = e.getJsonArray("m");
        if (m != null) {
            for (int i = 0; i < m.size(); i++) {
                messages.add(message(id, m.getJsonObject(i)));
            }
        }
        return new ConversationEvent(id, e.getLong("v"), e.getInteger("seq"), ConversationState.of(e.getString("st")),
                e.getString("tp"), uuid(e.getString("ag")), e.getString("an"), uuid(e.getString("pa")), e.getString("k"),
                e.getString("rs"), uuid(e.getString("cb")), e.getBoolean("on", false), List.copyOf(messages),
                e.getBoolean("x", false));
    }

    /** The conversation as read from the tables, with the messages after some seq, as if it were a change. */
    public static ConversationEvent read(ConversationRow c, List<Message> messages) {
        return new ConversationEvent(c.id(), c.version(), c.lastSeq(), c.state(), c.topic(), c.assignedAgent(), c.agentName(),
                null, READ, c.closeReason(), c.callbackId(), c.residentOnline(), List.copyOf(messages), false);
    }

    /** A message as stored by {@code loket_post} or read by {@code loket_message_json}. */
    static Message message(UUID conversationId, JsonObject m) {
        return new Message(conversationId, m.getInteger("seq"), m.getString("from"), m.getString("text"),
                sentAt(m.getString("sentAt")), m.getString("clientMsgId"), m.getString("agentName"));
    }

    /**
     * The time {@code loket_message_json} writes, always {@code YYYY-MM-DDTHH:MM:SS.ffffffZ}, read
     * by hand: {@link Instant#parse}'s general formatter was the largest single item of a stored
     * message's handling on the event loop (every message is read once per node). Anything else
     * goes to {@link Instant#parse}.
     */
    static Instant sentAt(String text) {
        if (text.length() != 27 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':' || text.charAt(19) != '.' || text.charAt(26) != 'Z') {
            return Instant.parse(text);
        }
        try {
            return java.time.LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10),
                            digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19), digits(text, 20, 26) * 1000)
                    .toInstant(java.time.ZoneOffset.UTC);
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return Instant.parse(text);
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                throw new NumberFormatException(text);
            }
            value = value * 10 + d;
        }
        return value;
    }

    /** The move this change made, if it was a move. */
    public Optional<Move> move() {
        return switch (kind) {
            case MESSAGE, PRESENCE, READ -> Optional.empty();
            default -> Optional.of(Move.valueOf(kind));
        };
    }

    /** Whether the agent holds the conversation after this change. */
    public boolean heldBy(UUID agent) {
        return state == ConversationState.ACTIVE && agent.equals(agentId);
    }

    private static UUID uuid(String value) {
        return value == null ? null : UUID.fromString(value);
    }
}
