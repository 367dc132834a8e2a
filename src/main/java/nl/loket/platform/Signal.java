package nl.loket.platform;

import java.util.UUID;

/**
 * What a node tells the others after a commit. It carries ids only; every node reads what it
 * must deliver from the tables, so a lost or late signal costs latency, never a message.
 */
public sealed interface Signal {

    String encode();

    /** Something about a conversation changed: a message, its state, its assignment, presence. */
    record Conversation(UUID id, UUID agentId) implements Signal {
        public String encode() {
            return "c|" + id + "|" + (agentId == null ? "" : agentId);
        }
    }

    /** The queue of a topic changed: positions and boards must be recomputed. */
    record Queue(String topic) implements Signal {
        public String encode() {
            return "q|" + topic;
        }
    }

    /** An agent changed: status, capacity, held conversations, or the account was disabled. */
    record Agent(UUID id) implements Signal {
        public String encode() {
            return "a|" + id;
        }
    }

    /** Somebody is typing in a conversation; not stored, so losing it costs nothing. */
    record Typing(UUID conversationId, String from) implements Signal {
        public String encode() {
            return "t|" + conversationId + "|" + from;
        }
    }

    /** The callback list of a topic changed. */
    record Callbacks(String topic) implements Signal {
        public String encode() {
            return "b|" + topic;
        }
    }

    /** Topics were changed by an admin: cached topics are stale. */
    record Topics() implements Signal {
        public String encode() {
            return "o|";
        }
    }

    /** A user was disabled: their open connections must close. */
    record Revoke(UUID userId) implements Signal {
        public String encode() {
            return "r|" + userId;
        }
    }

    /** The listener (re)subscribed: whatever was notified while it was down must be read from the tables. */
    record Resync() implements Signal {
        public String encode() {
            throw new UnsupportedOperationException("a local signal");
        }
    }

    static Signal decode(String payload) {
        String[] p = payload.split("\\|", -1);
        return switch (p[0]) {
            case "c" -> new Conversation(UUID.fromString(p[1]), p[2].isEmpty() ? null : UUID.fromString(p[2]));
            case "q" -> new Queue(p[1]);
            case "a" -> new Agent(UUID.fromString(p[1]));
            case "t" -> new Typing(UUID.fromString(p[1]), p[2]);
            case "r" -> new Revoke(UUID.fromString(p[1]));
            case "b" -> new Callbacks(p[1]);
            case "o" -> new Topics();
            default -> throw new IllegalArgumentException("unknown signal " + payload);
        };
    }
}
