package nl.loket.conversation;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A conversation as stored, with the assigned agent's display name. */
public record ConversationRow(UUID id, String topic, String residentName, String locale, ConversationState state,
                              Instant createdAt, Instant queuedAt, Instant assignedAt, UUID assignedAgent,
                              String agentName, Instant closedAt, String closeReason, String outcome, String summary,
                              boolean confidential, int lastSeq, Instant updatedAt, UUID callbackId, long version,
                              boolean residentOnline) {

    static final String COLUMNS = "c.id, c.topic, c.resident_name, c.locale, c.state, c.created_at, "
            + "c.queued_at, c.assigned_at, c.assigned_agent, u.display_name as agent_name, c.closed_at, c.close_reason, "
            + "c.outcome, c.summary, c.confidential, c.last_seq, c.updated_at, c.callback_id, c.version, "
            + "c.resident_gone_at is null as resident_online ";

    static final String FROM = "from conversation c left join app_user u on u.id = c.assigned_agent ";

    public static final String SELECT = "select " + COLUMNS + FROM;

    public static ConversationRow map(Row r) {
        return new ConversationRow(r.getUUID("id"), r.getString("topic"), r.getString("resident_name"),
                r.getString("locale"), ConversationState.of(r.getString("state")), instant(r, "created_at"), instant(r, "queued_at"),
                instant(r, "assigned_at"), r.getUUID("assigned_agent"), r.getString("agent_name"),
                instant(r, "closed_at"), r.getString("close_reason"), r.getString("outcome"), r.getString("summary"),
                r.getBoolean("confidential"), r.getInteger("last_seq"), instant(r, "updated_at"), r.getUUID("callback_id"),
                r.getLong("version"), r.getBoolean("resident_online"));
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    public boolean ended() {
        return state.ended();
    }

}
