package nl.loket.transcript;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.vertx.mutiny.sqlclient.Row;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A conversation as integrators list it (docs/protocol.md §8). */
public record ConversationItem(String id, String topic, String state,
                               // null when the resident gave no name, or once it was purged (retention, a privacy request)
                               @Schema(nullable = true) String residentName, Instant queuedAt,
                               @Schema(nullable = true) Instant assignedAt, @Schema(nullable = true) Instant closedAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Agent agent,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String outcome,
                               @JsonInclude(JsonInclude.Include.NON_NULL) Integer rating,
                               boolean confidential, int messageCount, Instant updatedAt,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String locale,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String summary,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String closeReason) {

    public record Agent(String id, String name) {
    }

    /** The last agent who held the conversation: the one who closed it, or who holds it now. */
    static final String SELECT = """
            select c.id, c.topic, c.state, c.resident_name, c.queued_at, c.assigned_at, c.closed_at, c.outcome, c.rating,
                   c.confidential, c.last_seq, c.updated_at, c.locale, c.summary, c.close_reason, c.created_at,
                   c.first_assigned_at, a.agent_id, u.display_name as agent_name
            from conversation c
            left join lateral (select agent_id from assignment where conversation_id = c.id order by id desc limit 1) a on true
            left join app_user u on u.id = a.agent_id
            """;

    static ConversationItem map(Row r, boolean withDetails) {
        UUID agentId = r.getUUID("agent_id");
        return new ConversationItem(r.getUUID("id").toString(), r.getString("topic"), r.getString("state"),
                r.getString("resident_name"), instant(r, "queued_at"), instant(r, "assigned_at"), instant(r, "closed_at"),
                agentId == null ? null : new Agent(agentId.toString(), r.getString("agent_name")),
                r.getString("outcome"), r.getInteger("rating"), r.getBoolean("confidential"), r.getInteger("last_seq"),
                instant(r, "updated_at"),
                withDetails ? r.getString("locale") : null, withDetails ? r.getString("summary") : null,
                withDetails ? r.getString("close_reason") : null);
    }

    static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
