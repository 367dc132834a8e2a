package nl.loket.conversation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The SQL of the tables {@code conversation}, {@code message} and {@code assignment}. Nothing
 * outside this package writes them: callers go through {@link Conversations}, which decides the
 * moves and raises the signals. States are bound from {@link Move} and {@link ConversationState},
 * never written as strings here.
 */
@ApplicationScoped
class ConversationRepository {

    private final Db db;

    ConversationRepository(Db db) {
        this.db = db;
    }

    Db db() {
        return db;
    }

    // ---- reads ---------------------------------------------------------------------------------

    Uni<Optional<ConversationRow>> find(UUID id) {
        return db.query(ConversationRow.SELECT + "where c.id = $1", Tuple.of(id)).map(ConversationRepository::first);
    }

    static Uni<Optional<ConversationRow>> find(Db.Tx tx, UUID id) {
        return tx.query(ConversationRow.SELECT + "where c.id = $1", Tuple.of(id)).map(ConversationRepository::first);
    }

    /** Locks the conversation row for the rest of the transaction; unknown id is not_found. */
    static Uni<ConversationRow> lock(Db.Tx tx, UUID id) {
        return tx.query("select id from conversation where id = $1 for update", Tuple.of(id))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw LoketException.of("not_found", "Onbekend gesprek. / Unknown conversation.");
                    }
                    return find(tx, id).map(Optional::orElseThrow);
                });
    }

    Uni<List<Message>> messagesAfter(UUID conversationId, int afterSeq, boolean withNotes) {
        return db.query("select " + Message.COLUMNS + " from message where conversation_id = $1 and seq > $2"
                                + (withNotes ? "" : " and sender <> 'note'") + " order by seq",
                        Tuple.of(conversationId, afterSeq))
                .map(ConversationRepository::messages);
    }

    /** What an agent holds now: id, last seq and whether the resident is connected. */
    Uni<List<Conversations.Held>> heldBy(UUID agentId) {
        return db.query("select c.id, c.last_seq, exists (select 1 from presence p where p.kind = 'resident' "
                        + "and p.subject = c.id) as online from conversation c where c.assigned_agent = $1 and c.state = $2 "
                        + "order by c.assigned_at", Tuple.of(agentId, ConversationState.ACTIVE.wire()))
                .map(rows -> {
                    List<Conversations.Held> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new Conversations.Held(r.getUUID("id"), r.getInteger("last_seq"), r.getBoolean("online")));
                    }
                    return list;
                });
    }

    /** Why the agent's last hold on a conversation ended; empty while it lasts or when it never was theirs. */
    Uni<Optional<EndReason>> lastEndReason(UUID conversationId, UUID agentId) {
        return db.query("select end_reason from assignment where conversation_id = $1 and agent_id = $2 "
                        + "order by id desc limit 1", Tuple.of(conversationId, agentId))
                .map(rows -> rows.size() == 0 || rows.iterator().next().getString("end_reason") == null ? Optional.empty()
                        : Optional.of(EndReason.of(rows.iterator().next().getString("end_reason"))));
    }

    /** The waiting conversations of some topics, longest waiting first, with the resident's first message. */
    Uni<List<Conversations.Waiting>> waiting(List<String> topics, int limit) {
        return db.query("""
                        select c.id, c.topic, c.resident_name, c.queued_at,
                               (select m.text from message m where m.conversation_id = c.id and m.sender = 'resident'
                                order by m.seq limit 1) as first_message
                        from conversation c where c.state = $2 and c.topic = any($1)
                        order by c.queued_at, c.id limit $3""",
                        Tuple.of(topics.toArray(new String[0]), ConversationState.QUEUED.wire(), limit))
                .map(rows -> {
                    List<Conversations.Waiting> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new Conversations.Waiting(r.getUUID("id"), r.getString("topic"), r.getString("resident_name"),
                                r.getOffsetDateTime("queued_at").toInstant(), r.getString("first_message")));
                    }
                    return list;
                });
    }

    // ---- writes --------------------------------------------------------------------------------

    /** A new conversation, queued on its topic; the resident counts as gone until they connect. */
    static Uni<Void> insert(Db.Tx tx, UUID id, String topic, String residentName, String locale) {
        return tx.query("insert into conversation (id, topic, resident_name, locale, state, queued_at, resident_gone_at) "
                        + "values ($1, $2, $3, $4, $5, now(), now())",
                Tuple.of(id, topic, residentName, locale, ConversationState.QUEUED.wire())).replaceWithVoid();
    }

    static Uni<Optional<Message>> existing(Db.Tx tx, UUID conversationId, String senderKey, String clientMsgId) {
        if (clientMsgId == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return tx.query("select " + Message.COLUMNS + " from message where conversation_id = $1 and sender_key = $2 "
                        + "and client_msg_id = $3", Tuple.of(conversationId, senderKey, clientMsgId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Message.map(rows.iterator().next())));
    }

    /** Appends a message with the next seq; the caller holds the conversation lock. */
    static Uni<Message> append(Db.Tx tx, UUID conversationId, Sender sender, String text, String clientMsgId,
                               boolean countsAsActivity) {
        String bump = countsAsActivity ? ", last_activity_at = now()" : "";
        return tx.query("update conversation set last_seq = last_seq + 1, updated_at = now()" + bump
                        + " where id = $1 returning last_seq", Tuple.of(conversationId))
                .chain(rows -> {
                    int seq = rows.iterator().next().getInteger("last_seq");
                    return tx.query("insert into message (conversation_id, seq, sender, sender_key, text, client_msg_id, "
                                    + "agent_id, agent_name) values ($1, $2, $3, $4, $5, $6, $7, $8) returning " + Message.COLUMNS,
                            Tuple.tuple(Arrays.asList(conversationId, seq, sender.from(), sender.key(), text,
                                    clientMsgId, sender.agentId(), sender.agentName())));
                })
                .map(rows -> Message.map(rows.iterator().next()));
    }

    /** The longest-waiting conversation of the topics, locked; null when none (or all are locked, with skipLocked). */
    static Uni<ConversationRow> nextWaiting(Db.Tx tx, List<String> topics, boolean skipLocked) {
        return tx.query("select id from conversation where state = any($2) and topic = any($1) "
                                + "order by queued_at, id limit 1 for update" + (skipLocked ? " skip locked" : ""),
                        Tuple.of(topics.toArray(new String[0]), Move.CLAIM.fromWire()))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().nullItem()
                        : find(tx, rows.iterator().next().getUUID("id")).map(Optional::orElseThrow));
    }

    static Uni<Void> assign(Db.Tx tx, UUID conversationId, UUID agentId) {
        return tx.query("update conversation set state = $3, assigned_agent = $2, assigned_at = now(), "
                                + "first_assigned_at = coalesce(first_assigned_at, now()), last_activity_at = now(), updated_at = now() "
                                + "where id = $1", Tuple.of(conversationId, agentId, Move.CLAIM.to().wire()))
                .chain(() -> startAssignment(tx, conversationId, agentId));
    }

    static Uni<Void> startAssignment(Db.Tx tx, UUID conversationId, UUID agentId) {
        return tx.query("insert into assignment (conversation_id, agent_id, assigned_at) values ($1, $2, now())",
                Tuple.of(conversationId, agentId)).replaceWithVoid();
    }

    static Uni<Void> endAssignment(Db.Tx tx, UUID conversationId, UUID agentId, EndReason reason) {
        return tx.query("update assignment set ended_at = now(), end_reason = $3 "
                        + "where conversation_id = $1 and agent_id = $2 and ended_at is null",
                Tuple.of(conversationId, agentId, reason.stored())).replaceWithVoid();
    }

    /** Back to a queue, keeping queued_at (the resident keeps their place). */
    static Uni<Void> requeue(Db.Tx tx, UUID conversationId, String topic) {
        return tx.query("update conversation set state = $3, topic = $2, assigned_agent = null, assigned_at = null, "
                        + "updated_at = now() where id = $1",
                Tuple.of(conversationId, topic, ConversationState.QUEUED.wire())).replaceWithVoid();
    }

    static Uni<Void> reassign(Db.Tx tx, UUID conversationId, UUID colleagueId) {
        return tx.query("update conversation set assigned_agent = $2, assigned_at = now(), updated_at = now() where id = $1",
                        Tuple.of(conversationId, colleagueId))
                .chain(() -> startAssignment(tx, conversationId, colleagueId));
    }

    /** Ends a conversation with the move's state and reason; the agent's outcome fields only when given. */
    static Uni<Void> end(Db.Tx tx, UUID conversationId, Move move, String outcome, String summary, Boolean confidential) {
        return tx.query("update conversation set state = $2, closed_at = now(), close_reason = $3, "
                                + "outcome = coalesce($4, outcome), summary = coalesce($5, summary), "
                                + "confidential = coalesce($6, confidential), updated_at = now() where id = $1",
                        Tuple.tuple(Arrays.asList(conversationId, move.to().wire(), move.reason().orElseThrow().stored(),
                                outcome, summary, confidential)))
                .replaceWithVoid();
    }

    static Uni<Void> handOff(Db.Tx tx, UUID conversationId, Move move, UUID callbackId) {
        return tx.query("update conversation set state = $2, closed_at = now(), close_reason = $3, callback_id = $4, "
                        + "updated_at = now() where id = $1",
                Tuple.of(conversationId, move.to().wire(), move.reason().orElseThrow().stored(), callbackId)).replaceWithVoid();
    }

    /** One rating per closed conversation; false when it is not closed or already rated. */
    Uni<Boolean> rate(UUID id, int score, String comment) {
        return db.query("update conversation set rating = $2, rating_comment = $3, updated_at = now() "
                                + "where id = $1 and state = $4 and rating is null returning id",
                        Tuple.of(id, score, comment, ConversationState.CLOSED.wire()))
                .map(rows -> rows.size() > 0);
    }

    // ---- the resident's presence -----------------------------------------------------------

    static Uni<Void> residentBack(Db.Tx tx, UUID conversationId) {
        return tx.query("update conversation set resident_gone_at = null where id = $1", Tuple.of(conversationId)).replaceWithVoid();
    }

    /** Marks the resident gone from {@code at}, unless they still have a connection somewhere; the ids marked. */
    static Uni<List<UUID>> residentsGone(Db.Tx tx, List<UUID> conversationIds, Instant at) {
        return tx.query("update conversation c set resident_gone_at = coalesce($2, now()) where c.id = any($1) "
                                + "and c.resident_gone_at is null and not exists (select 1 from presence p where p.subject = c.id) "
                                + "returning c.id",
                        Tuple.of(conversationIds.toArray(new UUID[0]), at == null ? null : at.atOffset(ZoneOffset.UTC)))
                .map(ConversationRepository::ids);
    }

    // ---- timed moves ---------------------------------------------------------------------------

    /** A row a sweep moved: enough to tell the parties and record the event. */
    record Swept(UUID id, String topic, String locale, UUID agentId) {
    }

    static Uni<List<Swept>> abandonGone(Db.Tx tx, Duration grace) {
        return tx.query("update conversation set state = $2, closed_at = now(), close_reason = $3, updated_at = now() "
                                + "where state = any($4) and resident_gone_at < now() - make_interval(secs => $1) "
                                + "returning id, topic, locale, null::uuid as agent_id",
                        Tuple.of(seconds(grace), Move.ABANDON.to().wire(), Move.ABANDON.reason().orElseThrow().stored(),
                                Move.ABANDON.fromWire()))
                .map(ConversationRepository::swept);
    }

    static Uni<List<Swept>> requeueFromGoneAgents(Db.Tx tx, Duration grace) {
        return tx.query("update conversation c set state = $2, assigned_agent = null, assigned_at = null, updated_at = now() "
                                + "from app_user u where u.id = c.assigned_agent and c.state = any($3) "
                                + "and u.gone_at < now() - make_interval(secs => $1) "
                                + "returning c.id, c.topic, c.locale, u.id as agent_id",
                        Tuple.of(seconds(grace), Move.REQUEUE.to().wire(), Move.REQUEUE.fromWire()))
                .map(ConversationRepository::swept);
    }

    static Uni<List<Swept>> closeInactive(Db.Tx tx, Duration inactivity) {
        return tx.query("update conversation set state = $2, closed_at = now(), close_reason = $3, updated_at = now() "
                                + "where state = any($4) and last_activity_at < now() - make_interval(secs => $1) "
                                + "returning id, topic, locale, assigned_agent as agent_id",
                        Tuple.of(seconds(inactivity), Move.TIME_OUT.to().wire(), Move.TIME_OUT.reason().orElseThrow().stored(),
                                Move.TIME_OUT.fromWire()))
                .map(ConversationRepository::swept);
    }

    // ---- personal data -------------------------------------------------------------------------

    /** Purges names, texts, summaries and rating comments of conversations that ended before the cutoff. */
    static Uni<Integer> purgeEndedBefore(Db.Tx tx, Instant cutoff, Instant now) {
        return tx.query("""
                        with purged as (
                            update conversation set resident_name = null, summary = null, rating_comment = null,
                                   purged_at = $2, updated_at = $2
                            where closed_at < $1 and purged_at is null and state = any($3)
                            returning id
                        ), texts as (
                            update message m set text = null from purged p where m.conversation_id = p.id returning 1
                        )
                        select count(*) as n from purged""",
                        Tuple.of(cutoff.atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC), endedStates()))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    /** One conversation's personal data, now; false when there is no such conversation. */
    static Uni<Boolean> forget(Db.Tx tx, UUID id) {
        return tx.query("""
                        with purged as (
                            update conversation set resident_name = null, summary = null, rating_comment = null,
                                   purged_at = now(), updated_at = now()
                            where id = $1 returning id
                        ), texts as (
                            update message m set text = null from purged p where m.conversation_id = p.id returning 1
                        )
                        select count(*) as n from purged""", Tuple.of(id))
                .map(rows -> rows.iterator().next().getLong("n") > 0);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static String[] endedStates() {
        return Arrays.stream(ConversationState.values()).filter(ConversationState::ended).map(ConversationState::wire)
                .toArray(String[]::new);
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static Optional<ConversationRow> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(ConversationRow.map(rows.iterator().next()));
    }

    private static List<Message> messages(RowSet<Row> rows) {
        List<Message> list = new ArrayList<>();
        rows.forEach(r -> list.add(Message.map(r)));
        return list;
    }

    private static List<UUID> ids(RowSet<Row> rows) {
        List<UUID> list = new ArrayList<>();
        rows.forEach(r -> list.add(r.getUUID("id")));
        return list;
    }

    private static List<Swept> swept(RowSet<Row> rows) {
        List<Swept> list = new ArrayList<>();
        rows.forEach(r -> list.add(new Swept(r.getUUID("id"), r.getString("topic"), r.getString("locale"), r.getUUID("agent_id"))));
        return list;
    }
}
