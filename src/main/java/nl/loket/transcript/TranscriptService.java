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
    private final double safetyLagSeconds;

    public TranscriptService(Db db, LoketConfig config) {
        this.db = db;
        this.cursors = new FeedCursor(config.feed().cursorSecret());
        this.safetyLagSeconds = config.feed().safetyLag().toMillis() / 1000.0;
    }

    public record Page(List<ConversationItem> items, String nextCursor) {
    }

    /**
     * Keyset pagination on (updatedAt, id). Changes younger than the safety lag are held back, so
     * a transaction that commits a little late is never passed over by a cursor: following
     * nextCursor until it is null skips nothing.
     */
    public Uni<Page> feed(Instant updatedSince, String state, String topic, int limit, String cursor, ReadScope scope) {
        FeedCursor.Position after = cursor == null ? null : cursors.decode(cursor);
        return db.query(ConversationItem.SELECT + """
                        where c.updated_at < now() - make_interval(secs => $1)
                          and ($2::timestamptz is null or c.updated_at >= $2)
                          and ($3::text is null or c.state = $3)
                          and ($4::text is null or c.topic = $4)
                          and ($5::timestamptz is null or (c.updated_at, c.id) > ($5, $6::uuid))
                          and """ + inScope(8) + """
                        order by c.updated_at, c.id
                        limit $7""",
                        Tuple.tuple(java.util.Arrays.asList(safetyLagSeconds,
                                updatedSince == null ? null : updatedSince.atOffset(ZoneOffset.UTC), state, topic,
                                after == null ? null : after.updatedAt().atOffset(ZoneOffset.UTC),
                                after == null ? null : after.id(), limit, scope.agentOrNull())))
                .map(rows -> {
                    List<ConversationItem> items = new ArrayList<>();
                    for (Row r : rows) {
                        items.add(ConversationItem.map(r, false));
                    }
                    String next = items.size() < limit ? null : cursors.encode(new FeedCursor.Position(
                            items.get(items.size() - 1).updatedAt(), UUID.fromString(items.get(items.size() - 1).id())));
                    return new Page(items, next);
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

    /** A message in a transcript; notes are marked internal, and only staff see them. */
    public record TranscriptMessage(int seq, String from, String text, Instant sentAt,
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
