package nl.loket.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.cluster.Signal;
import nl.loket.common.Db;
import nl.loket.common.LoketException;
import nl.loket.events.DomainEvents;
import nl.loket.privacy.Privacy;
import nl.loket.privacy.Redactor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Every change to a conversation: its moves between states and the messages written in it.
 * Each change is one transaction that locks the conversation row, so {@code seq} has no gaps,
 * a {@code clientMsgId} is stored once, and two nodes never both move the same conversation.
 */
@ApplicationScoped
public class ConversationService {

    public static final int MAX_TEXT = 2000;

    private final Db db;
    private final Privacy privacy;
    private final Counter stored;

    public ConversationService(Db db, Privacy privacy, MeterRegistry registry) {
        this.db = db;
        this.privacy = privacy;
        this.stored = Counter.builder("loket.messages.stored").description("Messages stored by this node").register(registry);
    }

    /** A new conversation, queued on its topic. The resident is "gone" until they connect. */
    public Uni<ConversationRow> create(String topic, String residentName, String locale) {
        UUID id = UUID.randomUUID();
        return db.tx(tx -> {
            tx.signal(new Signal.Queue(topic));
            tx.signal(new Signal.Conversation(id, null));
            return tx.query("insert into conversation (id, topic, resident_name, locale, state, queued_at, resident_gone_at) "
                            + "values ($1, $2, $3, $4, 'queued', now(), now())",
                    Tuple.of(id, topic, residentName, locale))
                    .chain(() -> Moves.event(tx, DomainEvents.CONVERSATION_QUEUED, id, topic, null))
                    .chain(() -> find(tx, id))
                    .map(Optional::orElseThrow);
        });
    }

    public Uni<Optional<ConversationRow>> find(UUID id) {
        return db.query(ConversationRow.SELECT + "where c.id = $1", Tuple.of(id)).map(ConversationService::first);
    }

    static Uni<Optional<ConversationRow>> find(Db.Tx tx, UUID id) {
        return tx.query(ConversationRow.SELECT + "where c.id = $1", Tuple.of(id)).map(ConversationService::first);
    }

    private static Optional<ConversationRow> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(ConversationRow.map(rows.iterator().next()));
    }

    /** Messages after {@code afterSeq}, in order; notes only for staff. */
    public Uni<List<Message>> messagesAfter(UUID conversationId, int afterSeq, boolean withNotes) {
        return db.query("select " + Message.COLUMNS + " from message where conversation_id = $1 and seq > $2"
                                + (withNotes ? "" : " and sender <> 'note'") + " order by seq",
                        Tuple.of(conversationId, afterSeq))
                .map(rows -> {
                    List<Message> list = new ArrayList<>();
                    rows.forEach(r -> list.add(Message.map(r)));
                    return list;
                });
    }

    /** The outcome of posting: the stored message, and whether it was stored before. */
    public record Posted(Message message, boolean duplicate) {
    }

    /**
     * Stores a message from a resident, an agent or a note. A repeated {@code clientMsgId} of the
     * same sender stores nothing and returns the original.
     */
    public Uni<Posted> post(UUID conversationId, Sender sender, String clientMsgId, String rawText) {
        String text;
        try {
            text = validText(rawText);
        } catch (LoketException e) {
            return Uni.createFrom().failure(e);
        }
        return db.tx(tx -> lock(tx, conversationId).chain(conv -> existing(tx, conversationId, sender.key(), clientMsgId)
                .chain(found -> {
                    if (found.isPresent()) {
                        return Uni.createFrom().item(new Posted(found.get(), true));
                    }
                    checkMayPost(conv, sender);
                    tx.signal(new Signal.Conversation(conversationId, conv.assignedAgent()));
                    boolean activity = !sender.from().equals("note");
                    Redactor.Result clean = privacy.redact(text);
                    return append(tx, conversationId, sender, clean.text(), clientMsgId, activity)
                            // the resident hears why, unless it was an internal note they never see
                            .call(m -> clean.redacted() && !m.isNote()
                                    ? system(tx, conversationId, SystemText.REDACTED.in(conv.locale())) : Uni.createFrom().nullItem())
                            .map(m -> new Posted(m, false));
                }))).invoke(posted -> {
                    if (!posted.duplicate()) {
                        stored.increment();
                    }
                });
    }

    public static String validText(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new LoketException("invalid_message", 400,
                    "Een bericht heeft 1 tot " + MAX_TEXT + " tekens. / A message has 1 to " + MAX_TEXT + " characters.");
        }
        return text;
    }

    private static void checkMayPost(ConversationRow conv, Sender sender) {
        if (sender.agentId() != null) {
            if (!"active".equals(conv.state()) || !sender.agentId().equals(conv.assignedAgent())) {
                throw LoketException.of("not_assigned", "Dit gesprek is niet aan u toegewezen. / This conversation is not assigned to you.");
            }
        } else if (conv.ended()) {
            throw LoketException.of("conversation_ended", "Dit gesprek is beëindigd. / This conversation has ended.");
        }
    }

    private static Uni<Optional<Message>> existing(Db.Tx tx, UUID conversationId, String senderKey, String clientMsgId) {
        if (clientMsgId == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        return tx.query("select " + Message.COLUMNS + " from message where conversation_id = $1 and sender_key = $2 "
                        + "and client_msg_id = $3", Tuple.of(conversationId, senderKey, clientMsgId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Message.map(rows.iterator().next())));
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

    static Uni<Message> system(Db.Tx tx, UUID conversationId, String text) {
        return append(tx, conversationId, Sender.SYSTEM, text, null, false);
    }
}
