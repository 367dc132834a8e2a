package nl.loket.callback;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * A terugbelverzoek as the callback list shows it (docs/protocol.md §7). {@code mergedInto} and
 * {@code repeats} link a repeated request for the same number and topic to the open one;
 * {@code claimedBy} (username), {@code claimedByName} and {@code claimedAt} say who holds it since when.
 */
public record CallbackRequest(String id, String topic, String state, String phone, String name, String window, String note,
                              String conversationId, Instant priorityAt, Instant createdAt, Instant nextAttemptAt,
                              String claimedBy, String claimedByName, Instant claimedAt, List<Attempt> attempts, String mergedInto,
                              List<Repeat> repeats) {

    public record Attempt(Instant at, String result, String note, String by) {
    }

    /** The short reference its resident was given ({@link CallbackReference}), to find it by when they phone. */
    @JsonProperty("reference")
    public String reference() {
        return CallbackReference.of(id);
    }

    /** A later request for the same number and topic, merged into this one. */
    public record Repeat(String id, Instant createdAt, String state, String name, String window, String note) {

        /** The reference the resident of this repeat was given: they quote their own, not the open request's. */
        @JsonProperty("reference")
        public String reference() {
            return CallbackReference.of(id);
        }

        static Repeat map(Row r) {
            return new Repeat(r.getUUID("id").toString(), instant(r, "created_at"), r.getString("state"), r.getString("name"),
                    r.getString("preferred_window"), r.getString("note"));
        }
    }

    static final String COLUMNS = "r.id, r.topic, r.state, r.phone, r.name, r.preferred_window, r.note, r.conversation_id, "
            + "r.priority_at, r.created_at, r.next_attempt_at, u.username as claimed_by, u.display_name as claimed_by_name, "
            + "r.claimed_at, r.merged_into";
    static final String FROM = " from callback_request r left join app_user u on u.id = r.claimed_by ";

    static CallbackRequest map(Row r, List<Attempt> attempts, List<Repeat> repeats) {
        UUID conversation = r.getUUID("conversation_id");
        UUID mergedInto = r.getUUID("merged_into");
        return new CallbackRequest(r.getUUID("id").toString(), r.getString("topic"), r.getString("state"), r.getString("phone"),
                r.getString("name"), r.getString("preferred_window"), r.getString("note"),
                conversation == null ? null : conversation.toString(), instant(r, "priority_at"), instant(r, "created_at"),
                instant(r, "next_attempt_at"), r.getString("claimed_by"), r.getString("claimed_by_name"), instant(r, "claimed_at"), attempts,
                mergedInto == null ? null : mergedInto.toString(), repeats);
    }

    /**
     * What the resident who made this request sees: what they submitted and how it stands, as if
     * it were the only request for the number. Nothing tells them whether someone else asked too,
     * nor who on the staff took it (a login name and name) and since when, or what they noted of an
     * attempt (written for colleagues): of the attempts, when and how each went.
     */
    public CallbackRequest asSeenByResident() {
        List<Attempt> seen = attempts == null ? null : attempts.stream().map(a -> new Attempt(a.at(), a.result(), null, null)).toList();
        return new CallbackRequest(id, topic, CallbackState.MERGED.wire().equals(state) ? CallbackState.OPEN.wire() : state, phone, name, window, note, conversationId,
                priorityAt, createdAt, nextAttemptAt, null, null, null, seen, null, List.of());
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
