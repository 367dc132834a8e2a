package nl.loket.conversation;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
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

    /** A waiting conversation as an agent picks from the list. */
    public record Waiting(UUID id, String topic, String residentName, Instant queuedAt, String firstMessage) {
    }

    public Uni<List<Waiting>> waiting(List<String> topics, int limit) {
        return repository.waiting(topics, limit);
    }

    // ---- a resident starts ---------------------------------------------------------------------

    /** A new conversation, queued on its topic. The resident counts as gone until they connect. */
    public Uni<ConversationRow> create(String topic, String residentName, String locale) {
        UUID id = UUID.randomUUID();
        return db.tx(tx -> {
            tx.signal(new Signal.Queue(topic));
            tx.signal(new Signal.Conversation(id, null));
            return ConversationRepository.insert(tx, id, topic, residentName, locale)
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_QUEUED, id, topic, null))
                    .chain(() -> ConversationRepository.find(tx, id))
                    .map(Optional::orElseThrow);
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
            text = validText(rawText);
        } catch (LoketException e) {
            return Uni.createFrom().failure(e);
        }
        return db.tx(tx -> ConversationRepository.lock(tx, conversationId)
                .chain(conv -> ConversationRepository.existing(tx, conversationId, sender.key(), clientMsgId).chain(found -> {
                    if (found.isPresent()) {
                        return Uni.createFrom().item(new Posted(found.get(), true));
                    }
                    checkMayPost(conv, sender);
                    tx.signal(new Signal.Conversation(conversationId, conv.assignedAgent()));
                    Redactor.Result clean = privacy.redact(text);
                    return ConversationRepository.append(tx, conversationId, sender, clean.text(), clientMsgId, !sender.isNote())
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
            if (conv.state() != ConversationState.ACTIVE || !sender.agentId().equals(conv.assignedAgent())) {
                throw notAssigned();
            }
        } else if (conv.state().ended()) {
            throw LoketException.of("conversation_ended", "Dit gesprek is beëindigd. / This conversation has ended.");
        }
    }

    private static Uni<Message> system(Db.Tx tx, UUID conversationId, String text) {
        return ConversationRepository.append(tx, conversationId, Sender.SYSTEM, text, null, false);
    }

    // ---- claims --------------------------------------------------------------------------------

    /** What an agent asked for: a specific conversation, the next of one topic, or the next of all theirs. */
    public record ClaimTarget(UUID conversationId, String topic) {
    }

    /** Claims a conversation for the agent and returns its id. */
    public Uni<UUID> claim(UUID agentId, ClaimTarget target) {
        return db.tx(tx -> users.lockForClaim(tx, agentId).chain(agent -> {
            if (target.conversationId() != null) {
                return ConversationRepository.lock(tx, target.conversationId()).chain(conv -> {
                    if (!Move.CLAIM.allowedFrom(conv.state())) {
                        throw LoketException.of("already_claimed", "Dit gesprek is al aangenomen. / This conversation was already taken.");
                    }
                    if (!agent.topics().contains(conv.topic())) {
                        throw topicNotAllowed();
                    }
                    return assign(tx, conv, agentId);
                });
            }
            List<String> allowed = agent.topics();
            if (target.topic() != null) {
                if (!allowed.contains(target.topic())) {
                    throw topicNotAllowed();
                }
                allowed = List.of(target.topic());
            }
            List<String> wanted = allowed;
            // first skipping rows other claims hold; if that finds none, once more waiting for
            // the locks, so a claim fails only when nothing the agent may take is waiting
            return ConversationRepository.nextWaiting(tx, wanted, true)
                    .chain(found -> found != null ? Uni.createFrom().item(found) : ConversationRepository.nextWaiting(tx, wanted, false))
                    .chain(found -> {
                        if (found == null) {
                            throw LoketException.of("nothing_waiting", "Er wacht niemand. / Nobody is waiting.");
                        }
                        return assign(tx, found, agentId);
                    });
        }));
    }

    private Uni<UUID> assign(Db.Tx tx, ConversationRow conv, UUID agentId) {
        tx.signal(new Signal.Conversation(conv.id(), agentId));
        tx.signal(new Signal.Queue(conv.topic()));
        tx.signal(new Signal.Agent(agentId));
        return ConversationRepository.assign(tx, conv.id(), agentId)
                .chain(() -> event(tx, DomainEvents.CONVERSATION_ASSIGNED, conv.id(), conv.topic(), agentId))
                .replaceWith(conv.id());
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
                tx.signal(new Signal.Conversation(conversationId, agentId));
                tx.signal(new Signal.Queue(topicId));
                tx.signal(new Signal.Agent(agentId));
                return ConversationRepository.requeue(tx, conversationId, topicId)
                        .chain(() -> ConversationRepository.endAssignment(tx, conversationId, agentId, EndReason.TRANSFERRED))
                        .chain(() -> system(tx, conversationId, SystemText.TRANSFERRED_TOPIC.in(conv.locale(), topic.name(conv.locale()))))
                        .chain(() -> event(tx, DomainEvents.CONVERSATION_QUEUED, conversationId, topicId, null));
            }));
        });
    }

    /** Straight to a colleague who is online, available, serves the topic and has a free slot. */
    public Uni<Void> transferToAgent(UUID agentId, UUID conversationId, UUID colleagueId) {
        return db.tx(tx -> lockAssigned(tx, conversationId, agentId, Move.TRANSFER_TO_AGENT).chain(conv -> {
            if (colleagueId.equals(agentId)) {
                throw LoketException.of("agent_unavailable", "U heeft dit gesprek al. / You already hold this conversation.");
            }
            return users.lockForTransfer(tx, colleagueId).chain(colleague -> {
                tx.signal(new Signal.Conversation(conversationId, colleagueId));
                tx.signal(new Signal.Agent(agentId));
                tx.signal(new Signal.Agent(colleagueId));
                return ConversationRepository.endAssignment(tx, conversationId, agentId, EndReason.TRANSFERRED)
                        .chain(() -> ConversationRepository.reassign(tx, conversationId, colleagueId))
                        .chain(() -> system(tx, conversationId, SystemText.TRANSFERRED_AGENT.in(conv.locale(), colleague.name())))
                        .chain(() -> event(tx, DomainEvents.CONVERSATION_ASSIGNED, conversationId, conv.topic(), colleagueId));
            });
        }));
    }

    public Uni<Void> close(UUID agentId, UUID conversationId, String outcome, String summary, Boolean confidential) {
        return db.tx(tx -> lockAssigned(tx, conversationId, agentId, Move.CLOSE).chain(conv -> {
            tx.signal(new Signal.Conversation(conversationId, agentId));
            tx.signal(new Signal.Agent(agentId));
            return ConversationRepository.end(tx, conversationId, Move.CLOSE, outcome, summary, confidential)
                    .chain(() -> system(tx, conversationId, SystemText.CLOSED.in(conv.locale())))
                    .chain(() -> ConversationRepository.endAssignment(tx, conversationId, agentId, EndReason.CLOSED))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, conversationId, conv.topic(), agentId));
        }));
    }

    /** The resident leaves: a queued conversation is abandoned, an active one closed. */
    public Uni<Void> leave(UUID conversationId) {
        return db.tx(tx -> ConversationRepository.lock(tx, conversationId).chain(conv -> {
            Optional<Move> move = Move.leaving(conv.state());
            if (move.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            tx.signal(new Signal.Conversation(conversationId, conv.assignedAgent()));
            Uni<Void> ended = ConversationRepository.end(tx, conversationId, move.get(), null, null, null);
            if (move.get() == Move.LEAVE_QUEUE) {
                tx.signal(new Signal.Queue(conv.topic()));
                return ended.chain(() -> event(tx, DomainEvents.CONVERSATION_ABANDONED, conversationId, conv.topic(), null));
            }
            tx.signal(new Signal.Agent(conv.assignedAgent()));
            return ended.chain(() -> ConversationRepository.endAssignment(tx, conversationId, conv.assignedAgent(), EndReason.RESIDENT_LEFT))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, conversationId, conv.topic(), conv.assignedAgent()));
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
        tx.signal(new Signal.Conversation(conv.id(), conv.assignedAgent()));
        if (agentId == null) {
            tx.signal(new Signal.Queue(conv.topic()));
        } else {
            tx.signal(new Signal.Agent(agentId));
        }
        return ConversationRepository.handOff(tx, conv.id(), move, callbackId)
                .chain(() -> agentId == null ? Uni.createFrom().voidItem()
                        : ConversationRepository.endAssignment(tx, conv.id(), agentId, EndReason.CALLBACK))
                .chain(() -> system(tx, conv.id(), SystemText.CALLBACK_MADE.in(conv.locale())))
                .chain(() -> DomainEvents.record(tx, DomainEvents.CONVERSATION_CLOSED, new JsonObject()
                        .put("conversationId", conv.id().toString()).put("topic", conv.topic()).put("state", move.to().wire())
                        .put("callbackId", callbackId.toString())));
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

    /** The resident has a connection again: no grace period runs. */
    public Uni<Void> residentBack(Db.Tx tx, UUID conversationId) {
        tx.signal(new Signal.Conversation(conversationId, null));
        return ConversationRepository.residentBack(tx, conversationId);
    }

    /**
     * The residents of these conversations lost a connection at {@code at} (null: now); those
     * without another connection anywhere count as gone from then, so their grace period runs.
     */
    public Uni<Void> residentsGone(Db.Tx tx, List<UUID> conversationIds, Instant at) {
        if (conversationIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        conversationIds.forEach(id -> tx.signal(new Signal.Conversation(id, null)));
        return ConversationRepository.residentsGone(tx, conversationIds, at).replaceWithVoid();
    }

    // ---- timed moves, run by whichever node sweeps first -----------------------------------------

    /** Queued conversations whose resident has been gone longer than the grace period. */
    public Uni<Integer> abandonGoneResidents(Duration grace) {
        return db.tx(tx -> ConversationRepository.abandonGone(tx, grace).chain(rows -> each(rows, r -> {
            tx.signal(new Signal.Conversation(r.id(), null));
            tx.signal(new Signal.Queue(r.topic()));
            return event(tx, DomainEvents.CONVERSATION_ABANDONED, r.id(), r.topic(), null);
        }).replaceWith(rows.size())));
    }

    /** Conversations of agents gone longer than the grace period go back to the front of their queue. */
    public Uni<Integer> requeueFromGoneAgents(Duration grace) {
        return db.tx(tx -> ConversationRepository.requeueFromGoneAgents(tx, grace).chain(rows -> each(rows, r -> {
            tx.signal(new Signal.Conversation(r.id(), r.agentId()));
            tx.signal(new Signal.Queue(r.topic()));
            tx.signal(new Signal.Agent(r.agentId()));
            return ConversationRepository.endAssignment(tx, r.id(), r.agentId(), EndReason.AGENT_GONE)
                    .chain(() -> system(tx, r.id(), SystemText.AGENT_GONE.in(r.locale())))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_QUEUED, r.id(), r.topic(), null));
        }).replaceWith(rows.size())));
    }

    /** Active conversations without a message from either side for the inactivity period. */
    public Uni<Integer> closeInactive(Duration inactivity) {
        return db.tx(tx -> ConversationRepository.closeInactive(tx, inactivity).chain(rows -> each(rows, r -> {
            tx.signal(new Signal.Conversation(r.id(), r.agentId()));
            tx.signal(new Signal.Agent(r.agentId()));
            return system(tx, r.id(), SystemText.TIMEOUT.in(r.locale()))
                    .chain(() -> ConversationRepository.endAssignment(tx, r.id(), r.agentId(), EndReason.TIMEOUT))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, r.id(), r.topic(), r.agentId()));
        }).replaceWith(rows.size())));
    }

    // ---- personal data, for retention and requests to be forgotten ------------------------------

    public Uni<Integer> purgeEndedBefore(Db.Tx tx, Instant cutoff, Instant now) {
        return ConversationRepository.purgeEndedBefore(tx, cutoff, now);
    }

    public Uni<Boolean> forget(Db.Tx tx, UUID id) {
        return ConversationRepository.forget(tx, id);
    }

    // ---- helpers -------------------------------------------------------------------------------

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

    private static LoketException topicNotAllowed() {
        return LoketException.of("topic_not_allowed", "U werkt niet voor dit onderwerp. / You do not serve this topic.");
    }
}
