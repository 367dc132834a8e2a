package nl.loket.conversation;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.events.DomainEvents;
import nl.loket.cluster.Signal;
import nl.loket.common.Db;
import nl.loket.common.LoketException;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The moves of a conversation between states (SPEC §2): claim, transfer, close, leave, and the
 * timed ones (abandon, requeue, timeout). Every move is one transaction guarded by the state it
 * starts from, so whichever node makes it, it happens once.
 */
@ApplicationScoped
public class Moves {

    private final Db db;

    public Moves(Db db) {
        this.db = db;
    }

    // ---- claims --------------------------------------------------------------------------

    /** What an agent asked for: a specific conversation, the next of one topic, or the next of all theirs. */
    public record ClaimTarget(UUID conversationId, String topic) {
    }

    /** Claims a conversation for the agent and returns its id. */
    public Uni<UUID> claim(UUID agentId, ClaimTarget target) {
        return db.tx(tx -> lockAvailableAgent(tx, agentId).chain(agent -> {
            if (target.conversationId() != null) {
                return claimSpecific(tx, agent, target.conversationId());
            }
            List<String> topics = agent.topics();
            if (target.topic() != null) {
                if (!topics.contains(target.topic())) {
                    throw LoketException.of("topic_not_allowed", "U werkt niet voor dit onderwerp. / You do not serve this topic.");
                }
                topics = List.of(target.topic());
            }
            List<String> allowed = topics;
            return nextWaiting(tx, allowed, true)
                    .chain(found -> found != null ? Uni.createFrom().item(found) : nextWaiting(tx, allowed, false))
                    .chain(found -> {
                        if (found == null) {
                            throw LoketException.of("nothing_waiting", "Er wacht niemand. / Nobody is waiting.");
                        }
                        return assign(tx, found, agentId);
                    });
        }));
    }

    private record AgentRow(UUID id, String name, List<String> topics, int maxConcurrent) {
    }

    private static Uni<AgentRow> lockAvailableAgent(Db.Tx tx, UUID agentId) {
        // the row lock serialises one agent's claims (two tabs), so maxConcurrent holds
        return tx.query("select id, display_name, topics, max_concurrent, chosen_status, active, "
                        + "(select count(*) from conversation c where c.assigned_agent = u.id and c.state = 'active') as held "
                        + "from app_user u where id = $1 for update", Tuple.of(agentId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw LoketException.of("agent_unavailable", "Onbekende medewerker. / Unknown agent.");
                    }
                    Row r = rows.iterator().next();
                    if (!r.getBoolean("active") || "away".equals(r.getString("chosen_status"))) {
                        throw LoketException.of("agent_unavailable",
                                "Zet uw status op beschikbaar om gesprekken aan te nemen. / Set your status to available to take conversations.");
                    }
                    if (r.getLong("held") >= r.getInteger("max_concurrent")) {
                        throw LoketException.of("at_capacity", "U voert al het maximale aantal gesprekken. / You are at your maximum number of conversations.");
                    }
                    return new AgentRow(r.getUUID("id"), r.getString("display_name"), List.of(r.getArrayOfStrings("topics")),
                            r.getInteger("max_concurrent"));
                });
    }

    private record Waiting(UUID id, String topic) {
    }

    /**
     * The longest-waiting conversation of the topics. First skipping rows other transactions hold
     * (another agent's claim); if that finds none but some exist, once more waiting for the locks,
     * so a claim fails only when nothing is waiting.
     */
    private static Uni<Waiting> nextWaiting(Db.Tx tx, List<String> topics, boolean skipLocked) {
        return tx.query("select id, topic from conversation where state = 'queued' and topic = any($1) "
                                + "order by queued_at, id limit 1 for update" + (skipLocked ? " skip locked" : ""),
                        Tuple.of(topics.toArray(new String[0])))
                .map(rows -> rows.size() == 0 ? null : new Waiting(rows.iterator().next().getUUID("id"), rows.iterator().next().getString("topic")));
    }

    private static Uni<UUID> claimSpecific(Db.Tx tx, AgentRow agent, UUID conversationId) {
        return tx.query("select id, topic, state from conversation where id = $1 for update", Tuple.of(conversationId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw LoketException.of("not_found", "Onbekend gesprek. / Unknown conversation.");
                    }
                    Row r = rows.iterator().next();
                    if (!"queued".equals(r.getString("state"))) {
                        throw LoketException.of("already_claimed", "Dit gesprek is al aangenomen. / This conversation was already taken.");
                    }
                    if (!agent.topics().contains(r.getString("topic"))) {
                        throw LoketException.of("topic_not_allowed", "U werkt niet voor dit onderwerp. / You do not serve this topic.");
                    }
                    return assign(tx, new Waiting(conversationId, r.getString("topic")), agent.id());
                });
    }

    private static Uni<UUID> assign(Db.Tx tx, Waiting conv, UUID agentId) {
        tx.signal(new Signal.Conversation(conv.id(), agentId));
        tx.signal(new Signal.Queue(conv.topic()));
        tx.signal(new Signal.Agent(agentId));
        return tx.query("update conversation set state = 'active', assigned_agent = $2, assigned_at = now(), "
                                + "first_assigned_at = coalesce(first_assigned_at, now()), last_activity_at = now(), updated_at = now() "
                                + "where id = $1", Tuple.of(conv.id(), agentId))
                .chain(() -> tx.query("insert into assignment (conversation_id, agent_id, assigned_at) values ($1, $2, now())",
                        Tuple.of(conv.id(), agentId)))
                .chain(() -> event(tx, DomainEvents.CONVERSATION_ASSIGNED, conv.id(), conv.topic(), agentId))
                .replaceWith(conv.id());
    }

    // ---- moves by the agent who holds the conversation ------------------------------------

    /** Locks a conversation row for the rest of the transaction (for moves made elsewhere). */
    public static Uni<ConversationRow> lock(Db.Tx tx, UUID conversationId) {
        return ConversationService.lock(tx, conversationId);
    }

    /** Appends a system message in the transaction. */
    public static Uni<Message> system(Db.Tx tx, UUID conversationId, String text) {
        return ConversationService.system(tx, conversationId, text);
    }

    private static Uni<ConversationRow> lockAssigned(Db.Tx tx, UUID conversationId, UUID agentId) {
        return ConversationService.lock(tx, conversationId).map(conv -> {
            if (!"active".equals(conv.state()) || !agentId.equals(conv.assignedAgent())) {
                throw LoketException.of("not_assigned", "Dit gesprek is niet aan u toegewezen. / This conversation is not assigned to you.");
            }
            return conv;
        });
    }

    public static Uni<Void> endAssignment(Db.Tx tx, UUID conversationId, UUID agentId, String reason) {
        return tx.query("update assignment set ended_at = now(), end_reason = $3 "
                        + "where conversation_id = $1 and agent_id = $2 and ended_at is null",
                Tuple.of(conversationId, agentId, reason)).replaceWithVoid();
    }

    /** Back to a topic's queue, keeping queuedAt so the resident keeps their place. */
    public Uni<Void> transferToTopic(UUID agentId, UUID conversationId, String topic) {
        return db.tx(tx -> lockAssigned(tx, conversationId, agentId).chain(conv ->
                tx.query("select name_nl, name_en from topic where id = $1", Tuple.of(topic)).chain(rows -> {
                    if (rows.size() == 0) {
                        throw LoketException.of("not_found", "Onbekend onderwerp. / Unknown topic.");
                    }
                    Row t = rows.iterator().next();
                    String name = "en".equals(conv.locale()) ? t.getString("name_en") : t.getString("name_nl");
                    tx.signal(new Signal.Conversation(conversationId, agentId));
                    tx.signal(new Signal.Queue(topic));
                    tx.signal(new Signal.Agent(agentId));
                    return tx.query("update conversation set state = 'queued', topic = $2, assigned_agent = null, "
                                            + "assigned_at = null, updated_at = now() where id = $1", Tuple.of(conversationId, topic))
                            .chain(() -> endAssignment(tx, conversationId, agentId, "transferred"))
                            .chain(() -> ConversationService.system(tx, conversationId,
                                    SystemText.TRANSFERRED_TOPIC.in(conv.locale(), name)))
                            .chain(() -> event(tx, DomainEvents.CONVERSATION_QUEUED, conversationId, topic, null));
                })));
    }

    /** Straight to a colleague who is available with a free slot. */
    public Uni<Void> transferToAgent(UUID agentId, UUID conversationId, UUID colleagueId) {
        return db.tx(tx -> lockAssigned(tx, conversationId, agentId).chain(conv -> {
            if (colleagueId.equals(agentId)) {
                throw LoketException.of("agent_unavailable", "U heeft dit gesprek al. / You already hold this conversation.");
            }
            return lockAvailableAgent(tx, colleagueId)
                    .onFailure(LoketException.class).transform(e -> LoketException.of("agent_unavailable",
                            "Deze collega is niet beschikbaar of heeft geen plek. / This colleague is not available or has no free slot."))
                    .call(colleague -> tx.query("select 1 from presence where kind = 'agent' and subject = $1 limit 1",
                            Tuple.of(colleagueId)).map(rows -> {
                        if (rows.size() == 0) {
                            throw LoketException.of("agent_unavailable", "Deze collega is niet online. / This colleague is not online.");
                        }
                        return rows;
                    }))
                    .chain(colleague -> {
                        tx.signal(new Signal.Conversation(conversationId, colleagueId));
                        tx.signal(new Signal.Agent(agentId));
                        tx.signal(new Signal.Agent(colleagueId));
                        return tx.query("update conversation set assigned_agent = $2, assigned_at = now(), updated_at = now() "
                                        + "where id = $1", Tuple.of(conversationId, colleagueId))
                                .chain(() -> endAssignment(tx, conversationId, agentId, "transferred"))
                                .chain(() -> tx.query("insert into assignment (conversation_id, agent_id, assigned_at) "
                                        + "values ($1, $2, now())", Tuple.of(conversationId, colleagueId)))
                                .chain(() -> ConversationService.system(tx, conversationId,
                                        SystemText.TRANSFERRED_AGENT.in(conv.locale(), colleague.name())))
                                .chain(() -> event(tx, DomainEvents.CONVERSATION_ASSIGNED, conversationId, conv.topic(), colleagueId));
                    });
        }));
    }

    public Uni<Void> close(UUID agentId, UUID conversationId, String outcome, String summary, Boolean confidential) {
        return db.tx(tx -> lockAssigned(tx, conversationId, agentId).chain(conv -> {
            tx.signal(new Signal.Conversation(conversationId, agentId));
            tx.signal(new Signal.Agent(agentId));
            return tx.query("update conversation set state = 'closed', closed_at = now(), close_reason = 'closed', "
                                    + "outcome = $2, summary = $3, confidential = coalesce($4, confidential), updated_at = now() where id = $1",
                            Tuple.of(conversationId, outcome, summary, confidential))
                    .chain(() -> ConversationService.system(tx, conversationId, SystemText.CLOSED.in(conv.locale())))
                    .chain(() -> endAssignment(tx, conversationId, agentId, "closed"))
                    .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, conversationId, conv.topic(), agentId));
        }));
    }

    /** The resident leaves: a queued conversation is abandoned, an active one closed. */
    public Uni<Void> leave(UUID conversationId) {
        return db.tx(tx -> ConversationService.lock(tx, conversationId).chain(conv -> {
            tx.signal(new Signal.Conversation(conversationId, conv.assignedAgent()));
            switch (conv.state()) {
                case "queued":
                    tx.signal(new Signal.Queue(conv.topic()));
                    return tx.query("update conversation set state = 'abandoned', closed_at = now(), "
                                    + "close_reason = 'resident_left', updated_at = now() where id = $1", Tuple.of(conversationId))
                            .chain(() -> event(tx, DomainEvents.CONVERSATION_ABANDONED, conversationId, conv.topic(), null));
                case "active":
                    tx.signal(new Signal.Agent(conv.assignedAgent()));
                    return tx.query("update conversation set state = 'closed', closed_at = now(), "
                                    + "close_reason = 'resident_left', updated_at = now() where id = $1", Tuple.of(conversationId))
                            .chain(() -> endAssignment(tx, conversationId, conv.assignedAgent(), "resident_left"))
                            .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, conversationId, conv.topic(), conv.assignedAgent()));
                default:
                    return Uni.createFrom().voidItem();
            }
        }));
    }

    // ---- timed moves, run by whichever node sweeps first ---------------------------------

    /** Queued conversations whose resident has been gone longer than the grace period. */
    public Uni<Integer> abandonGoneResidents(Duration grace) {
        return db.tx(tx -> tx.query("update conversation set state = 'abandoned', closed_at = now(), close_reason = 'resident_gone', "
                                + "updated_at = now() where state = 'queued' and resident_gone_at < now() - make_interval(secs => $1) "
                                + "returning id, topic", Tuple.of((double) grace.toMillis() / 1000))
                .chain(rows -> each(rows, r -> {
                    tx.signal(new Signal.Conversation(r.getUUID("id"), null));
                    tx.signal(new Signal.Queue(r.getString("topic")));
                    return event(tx, DomainEvents.CONVERSATION_ABANDONED, r.getUUID("id"), r.getString("topic"), null);
                }).replaceWith(rows.size())));
    }

    /** Conversations of agents gone longer than the grace period go back to the front of their queue. */
    public Uni<Integer> requeueFromGoneAgents(Duration grace) {
        return db.tx(tx -> tx.query("update conversation c set state = 'queued', assigned_agent = null, assigned_at = null, "
                                + "updated_at = now() from app_user u where u.id = c.assigned_agent and c.state = 'active' "
                                + "and u.gone_at < now() - make_interval(secs => $1) returning c.id, c.topic, c.locale, u.id as agent_id",
                        Tuple.of((double) grace.toMillis() / 1000))
                .chain(rows -> each(rows, r -> {
                    UUID id = r.getUUID("id");
                    UUID agent = r.getUUID("agent_id");
                    tx.signal(new Signal.Conversation(id, agent));
                    tx.signal(new Signal.Queue(r.getString("topic")));
                    tx.signal(new Signal.Agent(agent));
                    return endAssignment(tx, id, agent, "agent_gone")
                            .chain(() -> ConversationService.system(tx, id, SystemText.AGENT_GONE.in(r.getString("locale"))))
                            .chain(() -> event(tx, DomainEvents.CONVERSATION_QUEUED, id, r.getString("topic"), null));
                }).replaceWith(rows.size())));
    }

    /** Active conversations without a message from either side for the inactivity period. */
    public Uni<Integer> closeInactive(Duration inactivity) {
        return db.tx(tx -> tx.query("update conversation set state = 'closed', closed_at = now(), close_reason = 'timeout', "
                                + "updated_at = now() where state = 'active' and last_activity_at < now() - make_interval(secs => $1) "
                                + "returning id, topic, locale, assigned_agent", Tuple.of((double) inactivity.toMillis() / 1000))
                .chain(rows -> each(rows, r -> {
                    UUID id = r.getUUID("id");
                    UUID agent = r.getUUID("assigned_agent");
                    tx.signal(new Signal.Conversation(id, agent));
                    tx.signal(new Signal.Agent(agent));
                    return ConversationService.system(tx, id, SystemText.TIMEOUT.in(r.getString("locale")))
                            .chain(() -> endAssignment(tx, id, agent, "timeout"))
                            .chain(() -> event(tx, DomainEvents.CONVERSATION_CLOSED, id, r.getString("topic"), agent));
                }).replaceWith(rows.size())));
    }

    static Uni<Void> event(Db.Tx tx, String type, UUID conversationId, String topic, UUID agentId) {
        JsonObject payload = new JsonObject().put("conversationId", conversationId.toString()).put("topic", topic);
        if (agentId != null) {
            payload.put("agentId", agentId.toString());
        }
        return DomainEvents.record(tx, type, payload);
    }

    /** Runs the steps one after another: a transaction's connection takes one query at a time. */
    private static Uni<Void> each(Iterable<Row> rows, java.util.function.Function<Row, Uni<Void>> step) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Row r : rows) {
            chain = chain.chain(() -> step.apply(r));
        }
        return chain;
    }
}
