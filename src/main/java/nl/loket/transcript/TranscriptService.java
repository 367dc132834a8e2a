package nl.loket.transcript;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Db;
import nl.loket.config.LoketConfig;
import nl.loket.platform.LoketException;
import nl.loket.security.ReadScope;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Reads for integrators and staff: the change feed, one conversation, its messages, each within the caller's {@link ReadScope}. */
@ApplicationScoped
public class TranscriptService {

    private final Db db;
    private final FeedCursor cursors;
    private final FeedBound bounds;

    public TranscriptService(Db db, LoketConfig config, FeedBound bounds) {
        this.db = db;
        this.bounds = bounds;
        this.cursors = new FeedCursor(config.feed().cursorSecret());
    }

    public record Page(List<ConversationItem> items, String nextCursor) {
    }

    /** A page and the filters it was read with: the request's, or its cursor's ({@link FeedCursor.Position#continuing}). */
    public record Read(Page page, FeedCursor.Filters filters) {
    }

    /**
     * Keyset pagination on (updatedAt, id). Changes younger than the safety lag are held back, and
     * so is everything from the start of the oldest transaction that may still commit a change to
     * a conversation: a change is stamped with its transaction's start, and a transaction that
     * waited for a lock (up to {@code lock_timeout}, 15 s) committed a stamp already older than the
     * lag, behind what an integrator had read (a privacy request waiting for the row was never seen
     * again). So following nextCursor until it is null, then polling from the last updatedAt, skips
     * nothing.
     */
    public Uni<Read> feed(Instant updatedSince, String state, String topic, int limit, String cursor, ReadScope scope) {
        FeedCursor.Position after = cursor == null ? null : cursors.decode(cursor);
        // a cursor continues the feed it was issued for: a filter left out is the cursor's, another one is refused
        FeedCursor.Filters asked = new FeedCursor.Filters(updatedSince, state, topic);
        FeedCursor.Filters filters = after == null ? asked : after.continuing(asked);
        // the bound in a statement of its own, before the feed's snapshot: a transaction that commits
        // between the two is seen by the feed, one still running holds the bound at its start
        return bounds.horizon().chain(bound -> db.query(ConversationItem.SELECT + """
                        where c.updated_at < $1
                          and ($2::timestamptz is null or c.updated_at >= $2)
                          and ($3::text is null or c.state = $3)
                          and ($4::text is null or c.topic = $4)
                          and ($5::timestamptz is null or (c.updated_at, c.id) > ($5, $6::uuid))
                          and """ + inScope(8) + """
                        order by c.updated_at, c.id
                        limit $7""",
                        Tuple.tuple(java.util.Arrays.asList(bound,
                                filters.updatedSince() == null ? null : filters.updatedSince().atOffset(ZoneOffset.UTC),
                                filters.state(), filters.topic(),
                                after == null ? null : after.updatedAt().atOffset(ZoneOffset.UTC),
                                after == null ? null : after.id(), limit, scope.agentOrNull()))))
                .map(rows -> {
                    List<ConversationItem> items = new ArrayList<>();
                    for (Row r : rows) {
                        items.add(ConversationItem.map(r, false));
                    }
                    String next = items.size() < limit ? null : cursors.encode(new FeedCursor.Position(
                            items.get(items.size() - 1).updatedAt(), UUID.fromString(items.get(items.size() - 1).id()), filters));
                    return new Read(new Page(items, next), filters);
                });
    }

    /**
     * One conversation; empty when unknown. One out of the caller's scope is refused with 403
     * {@code forbidden} (SECURITY.md says why not 404).
     */
    public Uni<Optional<ConversationItem>> find(UUID id, boolean withDetails, ReadScope scope) {
        return db.query("select " + inScope(2) + " as in_scope, " + ConversationItem.SELECT.substring("select ".length()) + " where c.id = $1",
                        Tuple.of(id, scope.agentOrNull()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    if (!r.getBoolean("in_scope")) {
                        throw new LoketException("forbidden", 403,
                                "Dit gesprek hoort niet bij uw onderwerpen. / This conversation is not of a topic you serve.");
                    }
                    return Optional.of(ConversationItem.map(r, withDetails));
                });
    }

    /**
     * Whether conversation {@code c} lies within the read scope bound as parameter {@code $n}
     * (null: everything): of a topic the agent serves now, or held by the agent at some time.
     */
    static String inScope(int n) {
        String agent = "$" + n + "::uuid";
        return "(" + agent + " is null"
                + " or c.topic = any(coalesce((select s.topics from app_user s where s.id = " + agent + "), '{}'))"
                + " or exists (select 1 from assignment h where h.conversation_id = c.id and h.agent_id = " + agent + "))";
    }

    /** When an agent first took conversation {@code id}; empty when none ever did (or it is unknown). */
    public Uni<Optional<Instant>> firstTaken(UUID id) {
        return db.query("select first_assigned_at from conversation where id = $1", Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.<Instant>empty()
                        : Optional.ofNullable(ConversationItem.instant(rows.iterator().next(), "first_assigned_at")));
    }

    /** A message in a transcript; notes are marked internal, and only staff see them. */
    public record TranscriptMessage(int seq, String from,
                                    // null once retention or a privacy request removed it (docs/protocol.md §8)
                                    @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String text,
                                    Instant sentAt,
                                    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String clientMsgId,
                                    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String agentName,
                                    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_DEFAULT) boolean internal) {
    }

    public Uni<List<TranscriptMessage>> messages(UUID id, boolean withNotes) {
        return db.query("select seq, sender, text, sent_at, client_msg_id, agent_name from message where conversation_id = $1"
                        + (withNotes ? "" : " and sender <> 'note'") + " order by seq", Tuple.of(id))
                .map(rows -> {
                    List<TranscriptMessage> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new TranscriptMessage(r.getInteger("seq"), r.getString("sender"), r.getString("text"),
                                r.getOffsetDateTime("sent_at").toInstant(), r.getString("client_msg_id"), r.getString("agent_name"),
                                "note".equals(r.getString("sender"))));
                    }
                    return list;
                });
    }
}
