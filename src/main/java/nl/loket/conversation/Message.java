package nl.loket.conversation;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.util.UUID;

/** A stored message, as every party receives it. */
public record Message(UUID conversationId, int seq, String from, String text, Instant sentAt, String clientMsgId,
                      String agentName) {

    static final String COLUMNS = "conversation_id, seq, sender, text, sent_at, client_msg_id, agent_name";

    static Message map(Row r) {
        return new Message(r.getUUID("conversation_id"), r.getInteger("seq"), r.getString("sender"), r.getString("text"),
                r.getOffsetDateTime("sent_at").toInstant(), r.getString("client_msg_id"), r.getString("agent_name"));
    }

    public boolean isNote() {
        return "note".equals(from);
    }
}
