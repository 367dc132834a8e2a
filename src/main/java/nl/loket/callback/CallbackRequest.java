package nl.loket.callback;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/** A terugbelverzoek as the callback list shows it (docs/protocol.md §7). */
public record CallbackRequest(String id, String topic, String state, String phone, String name, String window, String note,
                              String conversationId, Instant priorityAt, Instant createdAt, Instant nextAttemptAt,
                              String claimedBy, List<Attempt> attempts) {

    public record Attempt(Instant at, String result, String note, String by) {
    }

    static final String COLUMNS = "r.id, r.topic, r.state, r.phone, r.name, r.preferred_window, r.note, r.conversation_id, "
            + "r.priority_at, r.created_at, r.next_attempt_at, u.username as claimed_by";
    static final String FROM = " from callback_request r left join app_user u on u.id = r.claimed_by ";

    static CallbackRequest map(Row r, List<Attempt> attempts) {
        UUID conversation = r.getUUID("conversation_id");
        return new CallbackRequest(r.getUUID("id").toString(), r.getString("topic"), r.getString("state"), r.getString("phone"),
                r.getString("name"), r.getString("preferred_window"), r.getString("note"),
                conversation == null ? null : conversation.toString(), instant(r, "priority_at"), instant(r, "created_at"),
                instant(r, "next_attempt_at"), r.getString("claimed_by"), attempts);
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
