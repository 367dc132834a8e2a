package nl.loket.conversation;

import java.util.UUID;

/** Who writes a message. {@code key} scopes the sender's {@code clientMsgId}s. */
public record Sender(String from, String key, UUID agentId, String agentName) {

    public static final Sender RESIDENT = new Sender("resident", "resident", null, null);
    public static final Sender SYSTEM = new Sender("system", "system", null, null);

    public static Sender agent(UUID id, String name) {
        return new Sender("agent", id.toString(), id, name);
    }

    public static Sender note(UUID id, String name) {
        return new Sender("note", id.toString(), id, name);
    }

    /** An internal note: never shown to the resident, and no sign of life in the chat. */
    public boolean isNote() {
        return "note".equals(from);
    }
}
