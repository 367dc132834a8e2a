package nl.loket.platform;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * What a node tells every node (itself included) after a commit. The node that made a change
 * delivers its signals from memory at once; the others hear them over PostgreSQL's
 * {@code NOTIFY}, prefixed with the sender's node id so a node skips its own. A change of a
 * conversation carries the change itself (state and new messages); the rest carry ids, and the
 * receivers read what they need.
 */
public sealed interface Signal {

    /** The body as sent over NOTIFY (without the node prefix). */
    String encode();

    /**
     * A conversation changed: a message, a move, the resident's presence. {@code event} is the
     * change as {@code loket_event_json} builds it (see the conversation package's ConversationEvent).
     */
    record Conversation(JsonObject event) implements Signal {
        public UUID id() {
            return UUID.fromString(event.getString("id"));
        }

        public String encode() {
            return "e|" + event.encode();
        }
    }

    /**
     * The queue of a topic changed: boards must be recomputed, and unless {@code arrival},
     * positions and estimates too. An arrival joins the end of the queue: nobody already waiting
     * moves, and an estimate depends on a position and the agents, not on who waits behind.
     */
    record Queue(String topic, boolean arrival) implements Signal {
        public Queue(String topic) {
            this(topic, false);
        }

        public String encode() {
            return (arrival ? "n|" : "q|") + topic;
        }
    }

    /** An agent's availability changed: status, load, connected or not. Wait estimates and boards change. */
    record Agent(UUID id) implements Signal {
        public String encode() {
            return "a|" + id;
        }
    }

    /** An account's settings changed (topics, capacity, roles): its connections re-read it. */
    record Account(UUID id) implements Signal {
        public String encode() {
            return "u|" + id;
        }
    }

    /**
     * Somebody is typing in a conversation, or ({@code stopped}) stopped typing without sending;
     * not stored, so losing it costs nothing. A node from before {@code stopped} reads
     * {@code from} as "agent|stopped", which is nobody it knows, and ignores it.
     */
    record Typing(UUID conversationId, String from, boolean stopped) implements Signal {
        public Typing(UUID conversationId, String from) {
            this(conversationId, from, false);
        }

        public String encode() {
            return "t|" + conversationId + "|" + from + (stopped ? "|stopped" : "");
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

    /** Departments or their notices changed: the reachability boards are stale. */
    record Departments() implements Signal {
        public String encode() {
            return "d|";
        }
    }

    /**
     * A staff account's token generation rose (roles, topics, password or active changed): tokens
     * issued with a lower generation are refused from now on and their open connections close.
     * The database raises it itself (a trigger on the account table, see V20), so every node
     * hears it whoever made the change.
     */
    record Revoke(UUID userId, long generation, boolean active) implements Signal {
        public String encode() {
            return "r|" + userId + "|" + generation + "|" + active;
        }
    }

    /**
     * One staff token was revoked (its holder logged out): it is refused from now on, and the
     * connections opened with it close. Keyed by the token's id ({@code jti}); {@code expiresAt}
     * (epoch seconds) is when the token would have ended anyway, after which nobody needs to
     * remember it. The database raises it itself (a trigger on {@code revoked_token}, V42), so
     * every node hears it whoever wrote the row.
     */
    record Logout(UUID userId, long expiresAt, String tokenId) implements Signal {
        public String encode() {
            return "l|" + userId + "|" + expiresAt + "|" + tokenId;
        }
    }

    /**
     * A resident's socket was replaced by a newer one of its conversation, which was at its limit
     * of sockets (V47): the database no longer counts it, and the node that holds it closes it.
     * Sent by the database to the holding node when another node's socket replaced it; delivered
     * from memory when it is on the replacing node, or when a node back from a lost LISTEN finds a
     * socket the table no longer counts ({@code ReplacedSockets}).
     */
    record Replaced(String connectionId) implements Signal {
        public String encode() {
            return "x|" + connectionId;
        }
    }

    /**
     * This node may have stored a change of the conversation without delivering it: a statement
     * whose outcome was lost with its connection (committed or not, nobody here knows), found
     * stored when its sender sent it again. The conversation's connections on this node read it.
     */
    record Reread(UUID conversationId) implements Signal {
        public String encode() {
            throw new UnsupportedOperationException("a local signal");
        }
    }

    /** The listener (re)subscribed: whatever was notified while it was down must be read from the tables. */
    record Resync() implements Signal {
        public String encode() {
            throw new UnsupportedOperationException("a local signal");
        }
    }

    /**
     * The signal a notification's body (without the node prefix) carries, or {@code null} for a
     * kind this version does not know: one a newer node sends during a rolling upgrade, passed
     * over quietly (a node of the version before this one logged it at WARN and counted it).
     * A body of a known kind that cannot be read throws.
     */
    static Signal decode(String body) {
        int bar = body.indexOf('|');
        String kind = body.substring(0, bar);
        String rest = body.substring(bar + 1);
        return switch (kind) {
            case "e" -> new Conversation(new JsonObject(rest));
            case "q" -> new Queue(rest);
            case "n" -> new Queue(rest, true);
            case "a" -> new Agent(UUID.fromString(rest));
            case "u" -> new Account(UUID.fromString(rest));
            case "t" -> {
                String[] parts = rest.split("\\|", 3);
                yield new Typing(UUID.fromString(parts[0]), parts[1], parts.length > 2 && "stopped".equals(parts[2]));
            }
            case "r" -> {
                String[] parts = rest.split("\\|");
                // PostgreSQL writes a boolean as "true" / "false"
                yield new Revoke(UUID.fromString(parts[0]), Long.parseLong(parts[1]), "true".equals(parts[2]) || "t".equals(parts[2]));
            }
            case "l" -> {
                // the token id last: whatever it holds, it is the rest of the payload
                String[] parts = rest.split("\\|", 3);
                yield new Logout(UUID.fromString(parts[0]), Long.parseLong(parts[1]), parts[2]);
            }
            case "b" -> new Callbacks(rest);
            case "o" -> new Topics();
            case "d" -> new Departments();
            case "x" -> new Replaced(rest);
            default -> null;
        };
    }
}
