package nl.loket.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.events.DomainEvents;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.platform.Signal;
import nl.loket.privacy.Privacy;
import nl.loket.privacy.Redactor;
import nl.loket.topic.Topic;
import nl.loket.topic.TopicCatalog;
import nl.loket.user.UserRepository;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * The one owner of conversations, their messages and assignments: every change to them goes
 * through here. Each change is one transaction that locks the conversation row (so {@code seq}
 * has no gaps, a {@code clientMsgId} is stored once and two nodes never both move the same
 * conversation), is allowed only from the states {@link Move} lists, and raises its own signals
 * and domain events: callers never do.
 */
@ApplicationScoped
public class Conversations {

    public static final int MAX_TEXT = 2000;

    private final ConversationRepository repository;
    private final Db db;
    private final Privacy privacy;
    private final TopicCatalog topics;
    private final UserRepository users;
    private final Counter stored;

    Conversations(ConversationRepository repository, Privacy privacy, TopicCatalog topics, UserRepository users,
                  MeterRegistry registry) {
        this.repository = repository;
        this.db = repository.db();
        this.privacy = privacy;
        this.topics = topics;
        this.users = users;
        this.stored = Counter.builder("loket.messages.stored").description("Messages stored by this node").register(registry);
    }

    // ---- reads ---------------------------------------------------------------------------------

    /** A conversation and its 1-based place in its queue while it waits (0 otherwise). */
    public record Placed(ConversationRow conversation, int position) {
    }

    /** The conversation and, while it waits, where it stands: one read, for a resident's (re)connection. */
    public Uni<Optional<Placed>> findPlaced(UUID id) {
        return repository.findPlaced(id);
    }

    public Uni<Optional<ConversationRow>> find(UUID id) {
        return repository.find(id);
    }

    /** Messages after {@code afterSeq}, in order; notes only for staff. */
    public Uni<List<Message>> messagesAfter(UUID conversationId, int afterSeq, boolean withNotes) {
        return repository.messagesAfter(conversationId, afterSeq, withNotes);
    }

    /** A conversation an agent holds: its last seq and whether the resident is connected. */
    public record Held(UUID id, int lastSeq, boolean residentOnline) {
    }

    public Uni<List<Held>> heldBy(UUID agentId) {
        return repository.heldBy(agentId);
    }

    /** Why the agent's hold on a conversation ended ({@code closed} when unknown). */
    public Uni<EndReason> endReason(UUID conversationId, UUID agentId) {
        return repository.lastEndReason(conversationId, agentId).map(r -> r.orElse(EndReason.CLOSED));
    }

    /**
     * Whether the agent's current hold on the conversation began with a colleague's transfer
     * (else with a claim): for an {@code assigned} whose move this node did not hear.
     */
    public Uni<Boolean> handedOver(UUID conversationId, UUID agentId) {
        return repository.handedOver(conversationId, agentId);
    }

    /**
     * A waiting conversation as an agent picks from the list: its place is by {@code queuedAt},
     * its current wait runs from {@code waitingSince} (when it last came into a queue).
     */
    public record Waiting(UUID id, String topic, String residentName, Instant queuedAt, Instant waitingSince, String firstMessage) {
    }

    public Uni<List<Waiting>> waiting(List<String> topics, int limit) {
        return repository.waiting(topics, limit);
    }

    /** The 1-based queue positions of those of {@code among} that wait in one of the topics: one query for all. */
    public Uni<java.util.Map<UUID, Integer>> positions(List<String> topics, List<UUID> among) {
        return repository.positions(topics, among);
    }

    /** The 1-based queue position of a waiting conversation; 0 when it is not waiting. */
    public Uni<Integer> position(UUID conversationId) {
        return repository.position(conversationId);
    }

    // ---- a resident starts ---------------------------------------------------------------------

    /**
     * A conversation and where it stands in its queue after its start: {@code position} 0 when it
     * no longer waits; {@code again} when the start was sent before and this is what it made.
     */
    public record Started(UUID id, Instant queuedAt, int position, String state, boolean again) {
    }

    /**
     * A new conversation, queued on its topic, in one statement. The resident counts as gone
     * until they connect. A client (a keyed hash of its address) may have {@code limit} open
     * conversations at once (0: no limit); beyond that, 429. {@code id}: the conversation's id, a
     * random one or derived from the start's key; a start sent again with the same key answers
     * the conversation it made (V46), which it does not queue again.
     */
    public Uni<Started> create(UUID id, String topic, String residentName, String locale, String clientKey, int limit) {
        return repository.create(id, topic, residentName, locale, clientKey, limit).map(created -> {
            if (created == null) {
                throw new LoketException("too_many_conversations", 429,
                        "Vanaf dit adres lopen al " + limit + " gesprekken. Sluit er een af of probeer het later opnieuw. "
                                + "/ There are already " + limit + " open conversations from this address. Close one or try again later.");
            }
            if (!created.again()) {
                // V32: told to the other nodes after the commit, not inside it
                db.committed(new Signal.Queue(topic, true));
            }
            return new Started(id, created.queuedAt(), created.position(), created.state(), created.again());
        });
    }

    // ---- messages ------------------------------------------------------------------------------

    /** The outcome of posting: the stored message, and whether it was stored before. */
    public record Posted(Message message, boolean duplicate) {
    }

    /**
     * Stores a message from a resident, an agent or a note. A repeated {@code clientMsgId} of the
     * same sender stores nothing and returns the original. BSNs and IBANs are removed first, and
     * the resident is told why in a system message.
     */
    public Uni<Posted> post(UUID conversationId, Sender sender, String clientMsgId, String rawText) {
        String text;
        try {
            validClientMsgId(clientMsgId);
            text = validText(rawText);
        } catch (LoketException e) {
            return Uni.createFrom().failure(e);
        }
        Redactor.Result clean = privacy.redact(text);
        // the resident hears why, unless it was an internal note they never see
        boolean tell = clean.redacted() && !sender.isNote();
        return repository.post(conversationId, sender, clientMsgId, clean.text(),
                        tell ? SystemText.REDACTED.nl() : null, tell ? SystemText.REDACTED.en() : null)
                .map(result -> switch (result.outcome()) {
                    case "stored" -> {
                        stored.increment();
                        JsonObject event = new JsonObject(result.payload());
                        db.delivered(new Signal.Conversation(event));
                        // the sender's own message only: the whole change is read once, by the fan-out
                        yield new Posted(ConversationEvent.message(conversationId, event.getJsonArray("m").getJsonObject(0)), false);
                    }
                    case "duplicate" -> {
                        // sent again: perhaps because the first try's outcome was lost with its connection after the commit,
                        // and then nobody here delivered it. Rare, so the conversation's connections here read it once
                        db.delivered(new Signal.Reread(conversationId));
                        yield new Posted(ConversationEvent.message(conversationId, new JsonObject(result.payload())), true);
                    }
                    case "not_found" -> throw notFound();
                    case "not_assigned" -> throw notAssigned();
                    case "conversation_ended" -> throw LoketException.of("conversation_ended",
                            "Dit gesprek is beëindigd. / This conversation has ended.");
                    default -> throw new IllegalStateException("loket_post answered " + result.outcome());
                });
    }

    /**
     * PostgreSQL refuses a NUL character in text, in the id as in the message: the statement
     * failed, the sender heard "internal" and retried in vain, and it counted as a failure of the
     * service (in a batch, it failed the batch, whose messages then went again one by one).
     */
    static void validClientMsgId(String clientMsgId) {
        if (clientMsgId != null && clientMsgId.indexOf('\u0000') >= 0) {
            throw new LoketException("bad_request", 400,
                    "Een clientMsgId mag geen NUL-teken (U+0000) bevatten. / A clientMsgId may not contain a NUL character (U+0000).");
        }
    }

    public static String validText(String raw) {
        String text = raw == null ? "" : raw.strip();
        if (text.isEmpty() || text.length() > MAX_TEXT) {
            throw new LoketException("invalid_message", 400,
                    "Een bericht heeft 1 tot " + MAX_TEXT + " tekens. / A message has 1 to " + MAX_TEXT + " characters.");
        }
        if (text.indexOf('\u0000') >= 0) {
            // PostgreSQL refuses it in text: the statement failed, and the client heard "internal" and retried in vain
            throw new LoketException("invalid_message", 400,
                    "Een bericht mag geen NUL-teken (U+0000) bevatten. / A message may not contain a NUL character (U+0000).");
        }
        return text;
    }

    private static Uni<Message> system(Db.Tx tx, UUID conversationId, String text) {
        return ConversationRepository.append(tx, conversationId, Sender.SYSTEM, text, null, false);
    }

    // ---- claims --------------------------------------------------------------------------------

    /** What an agent asked for: a specific conversation, the next of one topic, or the next of all theirs. */
    public record ClaimTarget(UUID conversationId, String topic) {
    }

    /** Claims a conversation for the agent, in one statement, and returns its id. */
    public Uni<UUID> claim(UUID agentId, ClaimTarget target) {
        return claim(agentId, target, id -> { });
    }

    /**
     * As {@link #claim(UUID, ClaimTarget)}; {@code claimed} is told the id before the claim is
     * delivered to this node's connections, so the claiming socket knows its claim when the
     * {@code assigned} is written.
     */
    public Uni<UUID> claim(UUID agentId, ClaimTarget target, java.util.function.Consumer<UUID> claimed) {
        if (target.topic() != null && target.topic().indexOf('\u0000') >= 0) {
            // no topic has one (PostgreSQL cannot store it), so nobody serves it; sent on, the statement
            // failed and the agent heard "internal"
            return Uni.createFrom().failure(topicNotAllowed());
        }
        return repository.claim(agentId, target.topic(), target.conversationId()).map(result -> switch (result.outcome()) {
            case "claimed" -> {
                JsonObject json = new JsonObject(result.payload());
                ConversationEvent event = ConversationEvent.of(json);
                claimed.accept(event.id());
                db.delivered(new Signal.Conversation(json));
                db.delivered(new Signal.Queue(event.topic()));
                db.delivered(new Signal.Agent(agentId));
                yield event.id();
            }
            case "agent_unavailable" -> throw LoketException.of("agent_unavailable",
                    "Zet uw status op beschikbaar om gesprekken aan te nemen. / Set your status to available to take conversations.");
            case "at_capacity" -> throw LoketException.of("at_capacity",
                    "U voert al het maximale aantal gesprekken. / You are at your maximum number of conversations.");
            case "topic_not_allowed" -> throw topicNotAllowed();
            case "not_found" -> throw notFound();
            case "already_claimed" -> throw LoketException.of("already_claimed",
                    "Dit gesprek is al aangenomen. / This conversation was already taken.");
            case "nothing_waiting" -> throw LoketException.of("nothing_waiting", "Er wacht niemand. / Nobody is waiting.");
            default -> throw new IllegalStateException("loket_claim answered " + result.outcome());
        });
    }

    // ---- moves by the agent who holds the conversation -----------------------------------------

    private static Uni<ConversationRow> lockAssigned(Db.Tx tx, UUID conversationId, UUID agentId, Move move) {
        return ConversationRepository.lock(tx, conversationId).map(conv -> {
            if (!move.allowedFrom(conv.state()) || !agentId.equals(conv.assignedAgent())) {
                throw notAssigned();
            }
            return conv;
        });
    }

    /** Back to a topic's queue, keeping queuedAt so the resident keeps their place. */
    public Uni<Void> transferToTopic(UUID agentId, UUID conversationId, String topicId) {
        return topics.find(topicId).chain(found -> {
            Topic topic = found.orElseThrow(() -> LoketException.of("not_found", "Onbekend onderwerp. / Unknown topic."));
            return db.tx(tx -> lockAssigned(tx, conversationId, agentId, Move.TRANSFER_TO_TOPIC).chain(conv -> {
                tx.signal(new Signal.Queue(topicId));
                tx.signal(new Signal.Agent(agentId));
                return ConversationRepository.requeue(tx, conversationId, topicId)
                        .chain(() -> ConversationRepository.endAssignment(tx, conversationId, agentId, EndReason.TRANSFERRED))
                        .chain(() -> system(tx, conversationId, SystemText.TRANSFERRED_TOPIC.in(conv.locale(), topic.name(conv.locale()))))
                        .chain(() -> event(tx, DomainEvents.CONVERSATION_QUEUED, conversationId, topicId, null))
                        .chain(() -> announce(tx, conv, Move.TRANSFER_TO_TOPIC, agentId));
            }));
        });
    }

    /** Straight to a colleague who is online, available, serves the topic and has a free slot. */
    public Uni<Void> transferToAgent(UUID agentId, UUID conversationId, UUID colleagueId) {
        // the colleague's account before the conversation, as a claim takes them: a transfer to a colleague who
        // claims that very conversation at the same moment (from a board not yet updated) deadlocked the other way round
        return db.tx(tx -> UserRepository.lockAccount(tx, colleagueId).chain(() -> lockAssigned(tx, conversationId, agentId,
                Move.TRANSFER_TO_AGENT)).chain(conv -> {
            if (colleagueId.equals(agentId)) {
                throw LoketException.of("agent_unavailable", "U heeft dit gesprek al. / You already hold this conversation.");
            }
            return users.lockForTransfer(tx, colleagueId, conv.topic()).chain(colleague -> {
                tx.signal(new Signal.Agent(agentId));
                tx.signal(new Signal.Agent(colleagueId));
                return ConversationRepository.endAssignment(tx, conversationId, agentId, EndReason.TRANSFERRED)
                        .chain(() -> ConversationRepository.reassign(tx, conversationId, colleagueId))
                        .chain(() -> system(tx, conversationId, SystemText.TRANSFERRED_AGENT.in(conv.locale(), colleague.name())))
                        .chain(() -> event(tx, DomainEvents.CONVERSATION_ASSIGNED, conversationId, conv.topic(), colleagueId))
                        .chain(() -> announce(tx, conv, Move.TRANSFER_TO_AGENT, agentId));
            });
        }));
    }

    public Uni<Void> close(UUID agentId, UUID conversationId, String outcome, String summary, Boolean confidential) {
        return db.tx(tx -> lockAssigned(tx, conversationId, agentId, Move.CLOSE).chain(conv -> {
            tx.signal(new Signal.Agent(agentId));
            return ConversationRepository.end(tx, conversationId, Move.CLOSE, outcome, summary, confidential)
                    .chain(() -> system(tx, conversationId, SystemText.CLOSED.in(conv.locale())))
                    .chain(() -> ConversationRepository.endAssignment(tx, conversationId, agentId, EndReason.CLOSED))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, conversationId, conv.topic(), agentId))
                    .chain(() -> announce(tx, conv, Move.CLOSE, agentId));
        }));
    }

    /** The resident leaves: a queued conversation is abandoned, an active one closed. */
    public Uni<Void> leave(UUID conversationId) {
        return db.tx(tx -> ConversationRepository.lock(tx, conversationId).chain(conv -> {
            Optional<Move> move = Move.leaving(conv.state());
            if (move.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            Uni<Void> ended = ConversationRepository.end(tx, conversationId, move.get(), null, null, null);
            if (move.get() == Move.LEAVE_QUEUE) {
                tx.signal(new Signal.Queue(conv.topic()));
                return ended.chain(() -> event(tx, DomainEvents.CONVERSATION_ABANDONED, conversationId, conv.topic(), null))
                        .chain(() -> announce(tx, conv, move.get(), null));
            }
            tx.signal(new Signal.Agent(conv.assignedAgent()));
            return ended.chain(() -> ConversationRepository.endAssignment(tx, conversationId, conv.assignedAgent(), EndReason.RESIDENT_LEFT))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, conversationId, conv.topic(), conv.assignedAgent()))
                    .chain(() -> announce(tx, conv, move.get(), conv.assignedAgent()));
        }));
    }

    // ---- the callback hand-off, inside the callback owner's transaction -----------------------

    /**
     * Locks a conversation that is about to become a callback request: by its resident while
     * waiting (agentId null), or by the agent who holds it.
     */
    public Uni<ConversationRow> lockForCallback(Db.Tx tx, UUID conversationId, UUID agentId) {
        return ConversationRepository.lock(tx, conversationId).map(conv -> {
            if (agentId == null && !Move.CALLBACK_FROM_QUEUE.allowedFrom(conv.state())) {
                throw LoketException.of("invalid_state",
                        "Een terugbelverzoek kan alleen terwijl u wacht. / A callback can only be requested while waiting.");
            }
            if (agentId != null && (!Move.CALLBACK_FROM_CHAT.allowedFrom(conv.state()) || !agentId.equals(conv.assignedAgent()))) {
                throw notAssigned();
            }
            return conv;
        });
    }

    /** The conversation ends in state callback, keeps its transcript and tells the resident. */
    public Uni<Void> handOffToCallback(Db.Tx tx, ConversationRow conv, UUID callbackId, UUID agentId) {
        Move move = agentId == null ? Move.CALLBACK_FROM_QUEUE : Move.CALLBACK_FROM_CHAT;
        if (agentId == null) {
            tx.signal(new Signal.Queue(conv.topic()));
        } else {
            tx.signal(new Signal.Agent(agentId));
        }
        return ConversationRepository.handOff(tx, conv.id(), move, callbackId)
                .chain(() -> agentId == null ? Uni.createFrom().voidItem()
                        : ConversationRepository.endAssignment(tx, conv.id(), agentId, EndReason.CALLBACK))
                .chain(() -> system(tx, conv.id(), SystemText.CALLBACK_MADE.in(conv.locale())))
                .chain(() -> DomainEvents.record(tx, DomainEvents.CONVERSATION_CLOSED, closedByCallback(conv, move, callbackId, agentId)))
                .chain(() -> announce(tx, conv, move, conv.assignedAgent()));
    }

    /**
     * The {@code conversation.closed} of a hand-off: its state and callback, and the agent who
     * handed it off, as every close by an agent names them (docs/events.md); none from the queue.
     */
    private static JsonObject closedByCallback(ConversationRow conv, Move move, UUID callbackId, UUID agentId) {
        JsonObject data = new JsonObject().put("conversationId", conv.id().toString()).put("topic", conv.topic())
                .put("state", move.to().wire()).put("callbackId", callbackId.toString());
        if (agentId != null) {
            data.put("agentId", agentId.toString());
        }
        return data;
    }

    // ---- rating --------------------------------------------------------------------------------

    /** One rating per closed conversation; 409 before it is closed or when already rated. */
    public Uni<Void> rate(UUID id, int score, String comment) {
        return repository.rate(id, score, privacy.clean(comment)).map(rated -> {
            if (!rated) {
                throw LoketException.of("cannot_rate",
                        "U kunt een gesprek één keer beoordelen, nadat het is afgesloten. / You can rate a conversation once, after it has ended.");
            }
            return null;
        });
    }

    // ---- the resident's presence, recorded by the cluster ---------------------------------------

    /** Those of these conversations whose resident counts as gone now. */
    public Uni<List<UUID>> residentsGoneAmong(List<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return repository.residentsGoneAmong(conversationIds);
    }

    /** The residents of these conversations have a connection again: no grace period runs. */
    public Uni<Void> residentsBack(Db.Tx tx, List<UUID> conversationIds) {
        if (conversationIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ConversationRepository.residentsBack(tx, conversationIds).invoke(events -> events.forEach(tx::announced))
                .replaceWithVoid();
    }

    /**
     * The residents of these conversations lost a connection at {@code at} (null: now); those
     * without another connection anywhere count as gone from then, so their grace period runs.
     */
    public Uni<Void> residentsGone(Db.Tx tx, List<UUID> conversationIds, Instant at) {
        if (conversationIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return ConversationRepository.residentsGone(tx, conversationIds, at)
                .chain(gone -> ConversationRepository.announceEach(tx, gone, ConversationEvent.PRESENCE));
    }

    // ---- timed moves, run by whichever node sweeps first -----------------------------------------

    /** Queued conversations whose resident has been gone longer than the grace period. */
    Uni<Integer> abandonGoneResidents(Duration grace, ConversationRepository.Scope scope) {
        return db.tx(tx -> ConversationRepository.abandonGone(tx, grace, scope).chain(rows -> each(rows, r -> {
            tx.signal(new Signal.Queue(r.topic()));
            return event(tx, DomainEvents.CONVERSATION_ABANDONED, r.id(), r.topic(), null)
                    .chain(() -> ConversationRepository.announce(tx, r.id(), Move.ABANDON.name(), null, r.lastSeq()));
        }).chain(() -> ConversationRepository.lockQueueLengths(tx, rows)).replaceWith(rows.size())));
    }

    /** Each topic's kept queue length checked against a count and set right; {@code drifted} hears each that was off, with how far. */
    public Uni<Void> recountQueues(java.util.function.ObjIntConsumer<String> drifted) {
        return repository.recountQueues(drifted);
    }

    /** Conversations of agents gone longer than the grace period go back to the front of their queue. */
    Uni<Integer> requeueFromGoneAgents(Duration grace, ConversationRepository.Scope scope) {
        return db.tx(tx -> ConversationRepository.requeueFromGoneAgents(tx, grace, scope).chain(rows -> each(rows, r -> {
            tx.signal(new Signal.Queue(r.topic()));
            tx.signal(new Signal.Agent(r.agentId()));
            return ConversationRepository.endAssignment(tx, r.id(), r.agentId(), EndReason.AGENT_GONE)
                    .chain(() -> system(tx, r.id(), SystemText.AGENT_GONE.in(r.locale())))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_QUEUED, r.id(), r.topic(), null))
                    .chain(() -> ConversationRepository.announce(tx, r.id(), Move.REQUEUE.name(), r.agentId(), r.lastSeq()));
        }).chain(() -> ConversationRepository.lockQueueLengths(tx, rows)).replaceWith(rows.size())));
    }

    /** Active conversations without a message from either side for the inactivity period. */
    Uni<Integer> closeInactive(Duration inactivity, ConversationRepository.Scope scope) {
        return db.tx(tx -> ConversationRepository.closeInactive(tx, inactivity, scope).chain(rows -> each(rows, r -> {
            tx.signal(new Signal.Agent(r.agentId()));
            return system(tx, r.id(), SystemText.TIMEOUT.in(r.locale(), SystemText.period(inactivity, r.locale())))
                    .chain(() -> ConversationRepository.endAssignment(tx, r.id(), r.agentId(), EndReason.TIMEOUT))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, r.id(), r.topic(), r.agentId()))
                    .chain(() -> ConversationRepository.announce(tx, r.id(), Move.TIME_OUT.name(), r.agentId(), r.lastSeq()));
        }).replaceWith(rows.size())));
    }

    /**
     * At most {@code limit} ids of the conversations a sweep would move now, but for those held
     * back: what a sweep whose batch failed moves one by one.
     */
    Uni<List<UUID>> due(ConversationRepository.SweepKind kind, Duration after, java.util.Collection<UUID> held, int limit) {
        return repository.due(kind, after, held, limit);
    }

    // ---- personal data, for retention and requests to be forgotten ------------------------------

    public Uni<Integer> purgeEndedBefore(Db.Tx tx, Instant cutoff, int limit) {
        return ConversationRepository.purgeEndedBefore(tx, cutoff, limit);
    }

    public Uni<Boolean> forget(Db.Tx tx, UUID id) {
        return ConversationRepository.forget(tx, id);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** Announces a move made in this transaction, with the messages it wrote since the conversation was locked. */
    private static Uni<Void> announce(Db.Tx tx, ConversationRow before, Move move, UUID previousAgent) {
        return ConversationRepository.announce(tx, before.id(), move.name(), previousAgent, before.lastSeq());
    }

    private static Uni<Void> event(Db.Tx tx, String type, UUID conversationId, String topic, UUID agentId) {
        JsonObject payload = new JsonObject().put("conversationId", conversationId.toString()).put("topic", topic);
        if (agentId != null) {
            payload.put("agentId", agentId.toString());
        }
        return DomainEvents.record(tx, type, payload);
    }

    /** Runs the steps one after another: a transaction's connection takes one query at a time. */
    private static <T> Uni<Void> each(List<T> rows, Function<T, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (T r : rows) {
            chain = chain.chain(() -> step.apply(r));
        }
        return chain;
    }

    private static LoketException notAssigned() {
        return LoketException.of("not_assigned", "Dit gesprek is niet aan u toegewezen. / This conversation is not assigned to you.");
    }

    private static LoketException notFound() {
        return LoketException.of("not_found", "Onbekend gesprek. / Unknown conversation.");
    }

    private static LoketException topicNotAllowed() {
        return LoketException.of("topic_not_allowed", "U werkt niet voor dit onderwerp. / You do not serve this topic.");
    }
}
