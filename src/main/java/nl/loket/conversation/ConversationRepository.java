package nl.loket.conversation;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Batcher;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.ObjIntConsumer;

/**
 * The SQL of the tables {@code conversation}, {@code message} and {@code assignment}. Nothing
 * outside this package writes them: callers go through {@link Conversations}, which decides the
 * moves and raises the signals. States are bound from {@link Move} and {@link ConversationState},
 * never written as strings here.
 */
@ApplicationScoped
class ConversationRepository {

    private final Db db;
    /** Messages wait here while every chat connection is busy, and go in together (V38); null without chat connections. */
    private final Batcher<PostCall, Outcome> posts;

    /**
     * @param config {@code loket.db.post-batch}: the most messages one statement stores (32; 1
     *               sends each alone). A batch forms only while every chat connection is busy;
     *               the cap keeps one statement, and the row locks its transaction holds, short.
     */
    ConversationRepository(Db db, MeterRegistry registry, Db.Config config) {
        this.db = db;
        int postBatch = config.postBatch();
        // an error PostgreSQL answered rolled the whole batch back; a dropped connection may have committed it
        this.posts = db.chatConnections() > 0
                ? new Batcher<>("post", db.chatConnections(), Math.max(1, postBatch), this::postAlone, this::postBatch,
                        e -> e instanceof PgException, registry)
                : null;
    }

    Db db() {
        return db;
    }

    // ---- reads ---------------------------------------------------------------------------------

    Uni<Optional<ConversationRow>> find(UUID id) {
        return db.query(ConversationRow.SELECT + "where c.id = $1", Tuple.of(id)).map(ConversationRepository::first);
    }

    /** The conversation and, while it waits, its 1-based place in its queue (0 otherwise), in one statement. */
    Uni<Optional<Conversations.Placed>> findPlaced(UUID id) {
        return db.query("select " + ConversationRow.COLUMNS + """
                        , case when c.state = $2 then (select count(*) from conversation q where q.state = $2
                            and q.topic = c.topic and (q.queued_at, q.id) <= (c.queued_at, c.id)) else 0 end as place
                        """ + ConversationRow.FROM + "where c.id = $1", Tuple.of(id, ConversationState.QUEUED.wire()))
                .map(rows -> {
                    var it = rows.iterator();
                    if (!it.hasNext()) {
                        return Optional.empty();
                    }
                    Row r = it.next();
                    return Optional.of(new Conversations.Placed(ConversationRow.map(r), r.getLong("place").intValue()));
                });
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

    /**
     * Whether the agent's open assignment began with a transfer: a transfer to a colleague ends the
     * previous holder's assignment and starts the colleague's in one transaction, at one now().
     * A claim after a transfer to a queue is a transaction of its own.
     */
    Uni<Boolean> handedOver(UUID conversationId, UUID agentId) {
        return db.query("select exists (select 1 from assignment a join assignment p on p.conversation_id = a.conversation_id "
                        + "and p.id < a.id and p.end_reason = $3 and p.ended_at = a.assigned_at "
                        + "where a.conversation_id = $1 and a.agent_id = $2 and a.ended_at is null) as handed_over",
                Tuple.of(conversationId, agentId, EndReason.TRANSFERRED.stored()))
                .map(rows -> rows.iterator().next().getBoolean("handed_over"));
    }

    /** The waiting conversations of some topics, in queue order, with the resident's first message. */
    Uni<List<Conversations.Waiting>> waiting(List<String> topics, int limit) {
        return db.query("""
                        select c.id, c.topic, c.resident_name, c.queued_at, coalesce(c.requeued_at, c.queued_at) as waiting_since,
                               (select m.text from message m where m.conversation_id = c.id and m.sender = 'resident'
                                order by m.seq limit 1) as first_message
                        from conversation c where c.state = $2 and c.topic = any($1)
                        order by c.queued_at, c.id limit $3""",
                        Tuple.of(topics.toArray(new String[0]), ConversationState.QUEUED.wire(), limit))
                .map(rows -> {
                    List<Conversations.Waiting> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new Conversations.Waiting(r.getUUID("id"), r.getString("topic"), r.getString("resident_name"),
                                r.getOffsetDateTime("queued_at").toInstant(), r.getOffsetDateTime("waiting_since").toInstant(),
                                r.getString("first_message")));
                    }
                    return list;
                });
    }

    /**
     * 1-based places of the given waiting conversations in their topics' queues (earlier queuedAt
     * first). The ids are joined, not tested with {@code = any($2)}: with a parameter array that
     * test is a linear search per row, 150 ms for 10,000 waiting residents; the join hashes them.
     */
    Uni<java.util.Map<UUID, Integer>> positions(List<String> topics, List<UUID> among) {
        return db.query("""
                        select q.id, q.pos from (
                            select id, row_number() over (partition by topic order by queued_at, id) as pos
                            from conversation where state = $3 and topic = any($1)
                        ) q join unnest($2::uuid[]) as mine(id) on mine.id = q.id""",
                        Tuple.of(topics.toArray(new String[0]), among.toArray(new UUID[0]), ConversationState.QUEUED.wire()))
                .map(rows -> {
                    java.util.Map<UUID, Integer> map = new java.util.HashMap<>();
                    rows.forEach(r -> map.put(r.getUUID("id"), r.getLong("pos").intValue()));
                    return map;
                });
    }

    /** 1-based place of one waiting conversation in its topic's queue; 0 when it is not waiting. */
    Uni<Integer> position(UUID conversationId) {
        return db.query("""
                        select count(*) as pos from conversation q, conversation me
                        where me.id = $1 and me.state = $2 and q.state = $2 and q.topic = me.topic
                          and (q.queued_at, q.id) <= (me.queued_at, me.id)""", Tuple.of(conversationId, ConversationState.QUEUED.wire()))
                .map(rows -> rows.iterator().next().getLong("pos").intValue());
    }

    // ---- the hot moves, one statement each (V6__hot_path.sql; loket_post as of V48) -------------

    /** Outcome and event (or the original message, for a duplicate) of a stored function. */
    record Outcome(String outcome, String payload) {
    }

    /** One message to store, as {@code loket_post} takes it. */
    private record PostCall(UUID conversationId, Sender sender, String clientMsgId, String text, String noticeNl, String noticeEn) {
    }

    Uni<Outcome> post(UUID conversationId, Sender sender, String clientMsgId, String text, String noticeNl, String noticeEn) {
        PostCall call = new PostCall(conversationId, sender, clientMsgId, text, noticeNl, noticeEn);
        return posts == null ? postAlone(call) : posts.submit(call);
    }

    private Uni<Outcome> postAlone(PostCall c) {
        return db.chat("select outcome, payload from loket_post($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        Tuple.tuple(Arrays.asList(c.conversationId(), c.sender().from(), c.sender().key(), c.sender().agentId(),
                                c.sender().agentName(), c.clientMsgId(), c.text(), c.noticeNl(), c.noticeEn(), db.node())))
                .map(ConversationRepository::outcome);
    }

    /**
     * Several messages in one statement (V38), sent in the order of their conversations so that
     * two batches lock conversations in the same order; the messages of one conversation keep
     * the order they came in. The outcomes are returned in the order of {@code calls}.
     */
    private Uni<List<Outcome>> postBatch(List<PostCall> calls) {
        int n = calls.size();
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> calls.get(i).conversationId(), Db.UUID_ORDER)); // stable
        UUID[] conversation = new UUID[n];
        String[] from = new String[n];
        String[] senderKey = new String[n];
        UUID[] agent = new UUID[n];
        String[] agentName = new String[n];
        String[] clientMsgId = new String[n];
        String[] text = new String[n];
        String[] noticeNl = new String[n];
        String[] noticeEn = new String[n];
        for (int k = 0; k < n; k++) {
            PostCall c = calls.get(order[k]);
            conversation[k] = c.conversationId();
            from[k] = c.sender().from();
            senderKey[k] = c.sender().key();
            agent[k] = c.sender().agentId();
            agentName[k] = c.sender().agentName();
            clientMsgId[k] = c.clientMsgId();
            text[k] = c.text();
            noticeNl[k] = c.noticeNl();
            noticeEn[k] = c.noticeEn();
        }
        return db.chat("select i, outcome, payload from loket_post_batch($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        Tuple.tuple(Arrays.asList(conversation, from, senderKey, agent, agentName, clientMsgId, text, noticeNl, noticeEn,
                                db.node())))
                .map(rows -> {
                    Outcome[] outcomes = new Outcome[n];
                    for (Row r : rows) {
                        outcomes[order[r.getInteger("i") - 1]] = new Outcome(r.getString("outcome"), r.getString("payload"));
                    }
                    for (Outcome o : outcomes) {
                        if (o == null) {
                            throw new IllegalStateException("loket_post_batch left a message without an outcome");
                        }
                    }
                    return Arrays.asList(outcomes);
                });
    }

    Uni<Outcome> claim(UUID agentId, String topic, UUID conversationId) {
        return db.chat("select outcome, payload from loket_claim($1, $2, $3, $4)",
                        Tuple.tuple(Arrays.asList(agentId, topic, conversationId, db.node())))
                .map(ConversationRepository::outcome);
    }

    /**
     * Where a conversation stands after its start: its queuedAt, 1-based position (0 when it no
     * longer waits) and state; {@code again} when the start was sent before (V46: its id was
     * stored already) and this is the conversation it made.
     */
    record Created(Instant queuedAt, int position, String state, boolean again) {
    }

    /** Null when the client already has {@code limit} open conversations. */
    Uni<Created> create(UUID id, String topic, String residentName, String locale, String clientKey, int limit) {
        return db.query("select outcome, queued_at, conversation_position, conversation_state "
                                + "from loket_create_conversation($1, $2, $3, $4, $5, $6, $7)",
                        Tuple.tuple(Arrays.asList(id, topic, residentName, locale, clientKey, limit, db.node())))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    if ("too_many".equals(r.getString("outcome"))) {
                        return null;
                    }
                    Long position = r.getLong("conversation_position");
                    return new Created(r.getOffsetDateTime("queued_at").toInstant(), position == null ? 0 : position.intValue(),
                            r.getString("conversation_state"), "again".equals(r.getString("outcome")));
                });
    }

    private static Outcome outcome(RowSet<Row> rows) {
        Row r = rows.iterator().next();
        return new Outcome(r.getString("outcome"), r.getString("payload"));
    }

    /**
     * Announces a change this transaction made (after its updates): bumps the version and
     * notifies the change with the messages written after {@code fromSeq}; delivered on this node
     * after the commit.
     */
    static Uni<Void> announce(Db.Tx tx, UUID conversationId, String kind, UUID previousAgent, Integer fromSeq) {
        return tx.query("select loket_conversation_event($1, $2, $3, $4, $5) as e",
                        Tuple.tuple(Arrays.asList(conversationId, kind, previousAgent, fromSeq, tx.node())))
                .invoke(rows -> tx.announced(rows.iterator().next().getString("e")))
                .replaceWithVoid();
    }

    /** {@link #announce} of the same kind for several conversations, in one statement. */
    static Uni<Void> announceEach(Db.Tx tx, List<UUID> conversationIds, String kind) {
        if (conversationIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.query("select loket_conversation_event(id, $2, null, null, $3) as e from unnest($1::uuid[]) id",
                        Tuple.of(conversationIds.toArray(new UUID[0]), kind, tx.node()))
                .invoke(rows -> rows.forEach(r -> tx.announced(r.getString("e"))))
                .replaceWithVoid();
    }

    // ---- writes --------------------------------------------------------------------------------

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

    static Uni<Void> startAssignment(Db.Tx tx, UUID conversationId, UUID agentId) {
        return tx.query("insert into assignment (conversation_id, agent_id, assigned_at) values ($1, $2, now())",
                Tuple.of(conversationId, agentId)).replaceWithVoid();
    }

    static Uni<Void> endAssignment(Db.Tx tx, UUID conversationId, UUID agentId, EndReason reason) {
        return tx.query("update assignment set ended_at = now(), end_reason = $3 "
                        + "where conversation_id = $1 and agent_id = $2 and ended_at is null",
                Tuple.of(conversationId, agentId, reason.stored())).replaceWithVoid();
    }

    /**
     * Back to a queue, keeping queued_at (the resident keeps their place); the current wait starts
     * now (requeued_at, V40). Moved to another topic, it keeps the one the resident chose (started_topic, V41).
     */
    static Uni<Void> requeue(Db.Tx tx, UUID conversationId, String topic) {
        return tx.query("update conversation set state = $3, started_topic = case when topic <> $2 then coalesce(started_topic, topic) "
                        + "else started_topic end, topic = $2, assigned_agent = null, assigned_at = null, "
                        + "requeued_at = now(), updated_at = now() where id = $1",
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

    /**
     * One rating per closed conversation; false when it is not closed or already rated. The
     * comment of a conversation whose personal data was removed on request is not stored.
     */
    Uni<Boolean> rate(UUID id, int score, String comment) {
        return db.query("update conversation set rating = $2, rating_comment = case when purged_at is null then $3 end, "
                                + "rated_at = now(), updated_at = now() "
                                + "where id = $1 and state = $4 and rating is null returning id",
                        Tuple.of(id, score, comment, ConversationState.CLOSED.wire()))
                .map(rows -> rows.size() > 0);
    }

    // ---- the resident's presence -----------------------------------------------------------

    /** Those of these conversations whose resident counts as gone now. */
    Uni<List<UUID>> residentsGoneAmong(List<UUID> conversationIds) {
        return db.query("select id from conversation where id = any($1) and resident_gone_at is not null",
                        Tuple.of(conversationIds.toArray(new UUID[0])))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    /**
     * The residents of these conversations are connected again (V28's loket_resident_back), in
     * one statement; the events of those who had counted as gone. The rows are taken in
     * PostgreSQL's order, as a batch of messages takes them (postBatch), so the two never wait for
     * each other in a circle.
     */
    static Uni<List<String>> residentsBack(Db.Tx tx, List<UUID> conversationIds) {
        UUID[] ids = conversationIds.stream().distinct().sorted(Db.UUID_ORDER).toArray(UUID[]::new);
        // a function scan yields the array's elements in order, and the function is called row by row as they come
        return tx.query("select loket_resident_back(id, $2) as e from unnest($1::uuid[]) id", Tuple.of(ids, tx.node()))
                .map(rows -> {
                    List<String> events = new ArrayList<>();
                    rows.forEach(r -> {
                        if (r.getString("e") != null) {
                            events.add(r.getString("e"));
                        }
                    });
                    return events;
                });
    }

    /** Marks the resident gone from {@code at}, unless they still have a connection somewhere; the ids marked. */
    static Uni<List<UUID>> residentsGone(Db.Tx tx, List<UUID> conversationIds, Instant at) {
        // several rows are locked first, in PostgreSQL's order: the order a batch of messages locks them in
        // (postBatch), so that a batch of residents leaving and one of messages never wait for each other in a circle
        Uni<?> locked = conversationIds.size() < 2 ? Uni.createFrom().voidItem()
                : tx.query("select id from conversation where id = any($1) order by id for update",
                        Tuple.of(conversationIds.toArray(new UUID[0])));
        return locked.chain(() -> tx.query("update conversation c set resident_gone_at = coalesce($2, now()) where c.id = any($1) "
                                + "and c.resident_gone_at is null and not exists (select 1 from presence p where p.subject = c.id) "
                                + "returning c.id",
                        Tuple.of(conversationIds.toArray(new UUID[0]), at == null ? null : at.atOffset(ZoneOffset.UTC))))
                .map(ConversationRepository::ids);
    }

    // ---- timed moves ---------------------------------------------------------------------------

    /** A row a sweep moved: enough to tell the parties and record the event. */
    record Swept(UUID id, String topic, String locale, UUID agentId, int lastSeq) {
    }

    /*
     * The three sweeps take the rows they move with FOR NO KEY UPDATE SKIP LOCKED (the lock their
     * update takes, so a message's insert, a key share, is not held up) and move them by id. A
     * row another transaction holds (a close in progress, a message being stored, the same sweep
     * of another node) is left to the next run, a second later: the sweep was one update, which
     * waited for every row it wanted, and one row held by a stalled transaction made it fail
     * after the lock's bound, every second, with every other conversation it would have moved
     * (SweepsApartTest). A row is locked once it is read, in its newest version, and its
     * conditions are checked again on that version: a row another node moved meanwhile is not
     * moved twice. The states stay in the text (Move.fromSqlList, SweepReadsTest); a sweep that
     * finds nothing reads what the update read before.
     */

    /**
     * Which of its due rows a sweep takes: all but those held back (rows that failed alone, tried
     * again later by themselves: Sweeps), or only the given ones. An array parameter, so the
     * statement's text, and its plan, are the same whatever the rows.
     */
    record Scope(UUID[] ids, boolean only) {

        static final Scope ALL = new Scope(new UUID[0], false);

        static Scope allBut(java.util.Collection<UUID> held) {
            return held.isEmpty() ? ALL : new Scope(held.toArray(new UUID[0]), false);
        }

        static Scope only(UUID id) {
            return new Scope(new UUID[] {id}, true);
        }

        /** The condition on {@code column}, with the ids as parameter {@code $n}. */
        String sql(String column, int n) {
            return only ? column + " = any($" + n + ")" : "not " + column + " = any($" + n + ")";
        }
    }

    /** The rows the resident-gone sweep moves; parameter $1 is the grace in seconds. */
    private static String abandonDue(Scope scope, int n) {
        return "select id from conversation where state in " + Move.ABANDON.fromSqlList()
                + " and resident_gone_at < now() - make_interval(secs => $1) and " + scope.sql("id", n);
    }

    /** The rows the agent-gone sweep moves, with their agent; parameter $1 is the grace in seconds. */
    private static String requeueDue(Scope scope, int n) {
        return "select c.id, u.id as agent_id from conversation c join app_user u on u.id = c.assigned_agent "
                + "where c.state in " + Move.REQUEUE.fromSqlList() + " and u.gone_at < now() - make_interval(secs => $1) and "
                + scope.sql("c.id", n);
    }

    /** The rows the inactivity sweep moves; parameter $1 is the inactivity in seconds. */
    private static String inactiveDue(Scope scope, int n) {
        return "select id from conversation where state in " + Move.TIME_OUT.fromSqlList()
                + " and last_activity_at < now() - make_interval(secs => $1) and " + scope.sql("id", n);
    }

    static Uni<List<Swept>> abandonGone(Db.Tx tx, Duration grace) {
        return abandonGone(tx, grace, Scope.ALL);
    }

    static Uni<List<Swept>> abandonGone(Db.Tx tx, Duration grace, Scope scope) {
        return closeDue(tx, abandonDue(scope, 4), "null::uuid", grace, Move.ABANDON, scope);
    }

    static Uni<List<Swept>> requeueFromGoneAgents(Db.Tx tx, Duration grace) {
        return requeueFromGoneAgents(tx, grace, Scope.ALL);
    }

    /** Only the conversations are locked, not the gone agents' accounts (as the update before). */
    static Uni<List<Swept>> requeueFromGoneAgents(Db.Tx tx, Duration grace, Scope scope) {
        return tx.query("with due as (" + requeueDue(scope, 3) + " for no key update of c skip locked) "
                                + "update conversation c set state = $2, assigned_agent = null, assigned_at = null, requeued_at = now(), "
                                + "updated_at = now() from due where c.id = due.id "
                                + "returning c.id, c.topic, c.locale, due.agent_id, c.last_seq",
                        Tuple.of(seconds(grace), Move.REQUEUE.to().wire(), scope.ids()))
                .map(ConversationRepository::swept);
    }

    static Uni<List<Swept>> closeInactive(Db.Tx tx, Duration inactivity) {
        return closeInactive(tx, inactivity, Scope.ALL);
    }

    static Uni<List<Swept>> closeInactive(Db.Tx tx, Duration inactivity, Scope scope) {
        return closeDue(tx, inactiveDue(scope, 4), "c.assigned_agent", inactivity, Move.TIME_OUT, scope);
    }

    /**
     * The two sweeps that close: the due rows no other transaction holds are closed as the move
     * says, with its reason. {@code due} takes the period as $1 and the scope's ids as $4;
     * {@code agent} is what the rows return as their agent.
     */
    private static Uni<List<Swept>> closeDue(Db.Tx tx, String due, String agent, Duration after, Move move, Scope scope) {
        return tx.query("with due as (" + due + " for no key update skip locked) "
                                + "update conversation c set state = $2, closed_at = now(), close_reason = $3, updated_at = now() "
                                + "from due where c.id = due.id "
                                + "returning c.id, c.topic, c.locale, " + agent + " as agent_id, c.last_seq",
                        Tuple.of(seconds(after), move.to().wire(), move.reason().orElseThrow().stored(), scope.ids()))
                .map(ConversationRepository::swept);
    }

    /** Which timed move a sweep makes: what its due rows are. */
    enum SweepKind {
        ABANDON, REQUEUE, TIME_OUT
    }

    /**
     * At most {@code limit} ids of the rows a sweep would move now, but for those held back; read
     * without a lock, for moving them one by one after their batch failed (Sweeps).
     */
    Uni<List<UUID>> due(SweepKind kind, Duration after, java.util.Collection<UUID> held, int limit) {
        Scope scope = Scope.allBut(held);
        String due = switch (kind) {
            case ABANDON -> abandonDue(scope, 2);
            case REQUEUE -> requeueDue(scope, 2);
            case TIME_OUT -> inactiveDue(scope, 2);
        };
        return db.query("select id from (" + due + ") d order by id limit $3", Tuple.of(seconds(after), scope.ids(), limit))
                .map(ConversationRepository::ids);
    }

    /**
     * Locks the queue lengths (V36) of the swept rows' topics in topic order, last before the
     * commit, where the deferred triggers count the moves: two sweeps that moved waiting
     * conversations of several topics would otherwise take those rows in their own orders and
     * could wait for each other. One topic or none needs no lock of its own.
     */
    static Uni<Void> lockQueueLengths(Db.Tx tx, List<Swept> rows) {
        String[] topics = rows.stream().map(Swept::topic).distinct().sorted().toArray(String[]::new);
        return topics.length < 2 ? Uni.createFrom().voidItem()
                : tx.query("select loket_lock_queue_lengths($1)", Tuple.of(topics)).replaceWithVoid();
    }

    /**
     * Checks each topic's queue length against a count of its waiting conversations and sets it
     * right where it was off (V36's {@code loket_recount_queue}), one topic per statement, each
     * committed on its own; {@code drifted} hears each topic that was off, with how far (kept -
     * counted), as soon as it is set right.
     */
    Uni<Void> recountQueues(ObjIntConsumer<String> drifted) {
        return db.query("select id from topic order by id").chain(rows -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Row r : rows) {
                String topic = r.getString("id");
                chain = chain.chain(() -> db.query("select loket_recount_queue($1) as drift", Tuple.of(topic))
                        .invoke(d -> {
                            int drift = d.iterator().next().getInteger("drift");
                            if (drift != 0) {
                                drifted.accept(topic, drift);
                            }
                        })
                        .replaceWithVoid());
            }
            return chain;
        });
    }

    // ---- personal data -------------------------------------------------------------------------

    /**
     * Purges names, texts, summaries and rating comments of at most {@code limit} conversations
     * that ended before the cutoff; a transaction of its own should follow at once. The change is
     * stamped with the clock at the row, not with the transaction's start or the caller's clock:
     * the integrators' feed holds back only changes younger than its safety lag, so a stamp that
     * was already older than that at the commit would never be read (a run that waited for a lock
     * or a connection). Rows another transaction holds are left to the next run.
     */
    static Uni<Integer> purgeEndedBefore(Db.Tx tx, Instant cutoff, int limit) {
        return tx.query("""
                        with due as (
                            select id from conversation where closed_at < $1 and purged_at is null and state = any($3)
                            order by closed_at limit $2 for update skip locked
                        ), purged as (
                            update conversation c set resident_name = null, summary = null, rating_comment = null,
                                   client_key = null, purged_at = clock_timestamp(), updated_at = clock_timestamp()
                            from due where c.id = due.id
                            returning c.id
                        ), texts as (
                            update message m set text = null from purged p where m.conversation_id = p.id returning 1
                        )
                        select count(*) as n from purged""",
                        Tuple.of(cutoff.atOffset(ZoneOffset.UTC), limit, endedStates()))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    /**
     * One conversation's personal data, now; false when there is no such conversation. A
     * conversation still open counts as purged only once it has ended: what is written after the
     * request (messages, the closing summary) goes with the retention run after its close, like
     * any conversation's. A rating comment given after a request for an ended conversation is not
     * kept at all ({@link #rate}).
     *
     * <p>The row is locked first, in a statement of its own: every message is written under that
     * lock (loket_post, {@link #append}), so the purge's statement, whose snapshot is taken once it
     * has the row, sees every message committed before, and none can come until the commit. It
     * was one statement, whose snapshot was older than its wait for the row: a message committed
     * in that wait kept its text, and when a close came in that wait too, the conversation was
     * marked purged and no retention run ever took the text.
     */
    static Uni<Boolean> forget(Db.Tx tx, UUID id) {
        return tx.query("select id from conversation where id = $1 for update", Tuple.of(id)).chain(locked -> locked.size() == 0
                ? Uni.createFrom().item(false)
                : tx.query("""
                        with purged as (
                            update conversation set resident_name = null, summary = null, rating_comment = null,
                                   client_key = null, purged_at = case when closed_at is null then null else now() end,
                                   updated_at = now()
                            where id = $1 returning id
                        ), texts as (
                            update message m set text = null from purged p where m.conversation_id = p.id returning 1
                        )
                        select count(*) as n from purged""", Tuple.of(id))
                .map(rows -> rows.iterator().next().getLong("n") > 0));
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
        rows.forEach(r -> list.add(new Swept(r.getUUID("id"), r.getString("topic"), r.getString("locale"), r.getUUID("agent_id"),
                r.getInteger("last_seq"))));
        return list;
    }
}
