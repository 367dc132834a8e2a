package nl.loket.callback;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Signal;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.platform.ValidationException;
import nl.loket.config.LoketConfig;
import nl.loket.conversation.ConversationRow;
import nl.loket.conversation.Conversations;
import nl.loket.events.DomainEvents;
import nl.loket.privacy.Privacy;
import nl.loket.security.ReadScope;
import nl.loket.user.HeldWork;
import nl.loket.user.UserRepository;

import java.util.ArrayList;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Callback requests: made directly, from a waiting conversation, or by an agent on the
 * resident's behalf; then claimed, attempted and ended by agents. The partial unique index on
 * (topic, phone) makes "one open request per number and topic" hold across nodes.
 *
 * <p>A request for a number and topic that already have an open one is a <em>repeat</em>: it is
 * stored as its own row in state {@code merged}, linked to the open one ({@code merged_into}),
 * which keeps the earlier priority. Its maker is answered exactly as for a new request and
 * reaches only their own row, so asking again neither reveals nor hands out someone else's
 * request. Agents see and work the open one; repeats end with it. A resident who cancels the
 * open one cancels only their own submission: the oldest repeat takes its place.
 *
 * <p>A claim ends in a call attempt, or is given back: by the agent who holds it, by a supervisor
 * for anyone's ({@link #release}), and by itself when the holder's account can no longer work
 * ({@link #giveBack}).
 */
@ApplicationScoped
public class CallbackService implements HeldWork {

    private final Db db;
    private final LoketConfig config;
    private final Privacy privacy;
    private final Conversations conversations;

    public CallbackService(Db db, LoketConfig config, Privacy privacy, Conversations conversations) {
        this.conversations = conversations;
        this.db = db;
        this.config = config;
        this.privacy = privacy;
    }

    /** The caller's own request, and whether it was merged into an open one for the same number and topic. */
    public record Created(UUID id, boolean merged) {
    }

    /**
     * {@code POST /api/v1/callbacks}: a resident who does not want to, or cannot, chat. {@code
     * clientKey} is the keyed hash of the caller's address ({@code ClientKeys}): beyond {@code
     * loket.limits.open-callbacks-per-address} live requests of that client, 429.
     */
    public Uni<Created> create(String topic, CallbackInput input, String clientKey) {
        return db.tx(tx -> tx.query("select 1 from topic where id = $1", Tuple.of(topic)).chain(rows -> {
            if (rows.size() == 0) {
                throw ValidationException.of("topic", "onbekend onderwerp / unknown topic");
            }
            return admit(tx, clientKey).chain(() -> insert(tx, topic, null, input, null, clientKey));
        }));
    }

    /**
     * Hands a conversation off to a callback: by its resident while waiting (agentId null), or by
     * the agent who holds it. The conversation ends in state {@code callback}; the request keeps
     * the conversation's original queuedAt as its priority and the transcript stays attached.
     */
    public Uni<Created> fromConversation(UUID conversationId, CallbackInput input, UUID agentId) {
        // the request belongs to the client the chat came from; only the resident's own request is held to its limit
        return db.tx(tx -> conversations.lockForCallback(tx, conversationId, agentId).chain(conv -> tx.query(
                        "select client_key from conversation where id = $1", Tuple.of(conv.id()))
                .map(rows -> rows.iterator().next().getString("client_key"))
                .call(clientKey -> agentId == null ? admit(tx, clientKey) : Uni.createFrom().voidItem())
                .chain(clientKey -> insert(tx, conv.topic(), conv, input, agentId, clientKey))
                .call(created -> conversations.handOffToCallback(tx, conv, created.id(), agentId))));
    }

    /**
     * The per-address limit, decided in the database so that it holds across nodes: the client's
     * live requests (open, claimed, or merged into another) are counted under an advisory lock
     * per client, taken in a statement of its own, so the count sees every request that another
     * transaction of the same client stored before it let go of the lock. A new request and a
     * repeat are counted alike, before either is stored: the refusal says nothing about the number.
     */
    /**
     * A client's live requests ($1 the keyed client address), as {@link #admit} counts them before
     * it stores one. The states are in the text, as the partial index {@code callback_live_by_client}
     * (V44) names them, not bound: a prepared statement's plan turns generic after a few runs, and a
     * generic plan cannot use a partial index for a bound list, so every count read the whole table.
     */
    static final String LIVE_OF_CLIENT = "select count(*) as n from callback_request where client_key = $1 "
            + "and state in ('open', 'claimed', 'merged')";

    private Uni<Void> admit(Db.Tx tx, String clientKey) {
        int limit = config.limits().openCallbacksPerAddress();
        if (limit <= 0 || clientKey == null) {
            return Uni.createFrom().voidItem();
        }
        return tx.query("select pg_advisory_xact_lock(hashtextextended('loket-callback-client:' || $1, 0))", Tuple.of(clientKey))
                .chain(() -> tx.query(LIVE_OF_CLIENT, Tuple.of(clientKey)))
                .map(rows -> {
                    if (rows.iterator().next().getLong("n") >= limit) {
                        throw new LoketException("too_many_callbacks", 429,
                                "Vanaf dit adres staan al " + limit + " terugbelverzoeken open. Trek er een in of probeer het later opnieuw. "
                                        + "/ There are already " + limit + " open callback requests from this address. "
                                        + "Cancel one or try again later.");
                    }
                    return null;
                }).replaceWithVoid();
    }

    /**
     * Stores the caller's request. A new one and a repeat take the same two statements, so neither
     * the answer nor its timing tells whether the number already had an open request.
     */
    private Uni<Created> insert(Db.Tx tx, String topic, ConversationRow conv, CallbackInput in, UUID agentId, String clientKey) {
        UUID id = UUID.randomUUID();
        List<Object> values = Arrays.asList(id, topic, conv == null ? null : conv.id(),
                in.name() != null ? privacy.clean(in.name()) : conv == null ? null : conv.residentName(),
                in.phone(), in.window(), privacy.clean(in.note()), conv == null ? null : conv.queuedAt().atOffset(java.time.ZoneOffset.UTC),
                clientKey);
        tx.signal(new Signal.Callbacks(topic));
        // on a repeat the open request keeps the earlier priority of the two
        return tx.query("insert into callback_request (id, topic, conversation_id, name, phone, preferred_window, note, state, "
                                + "priority_at, client_key) values ($1, $2, $3, $4, $5, $6, $7, 'open', coalesce($8, now()), $9) "
                                // the conflict target must name the unique index's own predicate (V2)
                                + "on conflict (topic, phone) where state in ('open', 'claimed') do update "
                                + "set priority_at = least(callback_request.priority_at, excluded.priority_at) returning id",
                        Tuple.tuple(values))
                .chain(rows -> {
                    UUID open = rows.iterator().next().getUUID("id");
                    if (open.equals(id)) {
                        return DomainEvents.record(tx, DomainEvents.CALLBACK_REQUESTED, new JsonObject()
                                        .put("callbackId", id.toString()).put("topic", topic)
                                        .put("conversationId", conv == null ? null : conv.id().toString()))
                                .replaceWith(new Created(id, false));
                    }
                    List<Object> repeat = new ArrayList<>(values);
                    repeat.add(open);
                    repeat.add(CallbackState.MERGED.wire());
                    return tx.query("insert into callback_request (id, topic, conversation_id, name, phone, preferred_window, note, "
                                    + "state, priority_at, client_key, merged_into) values ($1, $2, $3, $4, $5, $6, $7, $11, "
                                    + "coalesce($8, now()), $9, $10)",
                            Tuple.tuple(repeat)).replaceWith(new Created(id, true));
                });
    }

    /** The list agents work from, by priority (original queuedAt), then creation. */
    public Uni<List<CallbackRequest>> list(String state, String topic, ReadScope scope) {
        // one entry per number and topic: repeats show inside the request they were merged into
        StringBuilder where = new StringBuilder("where r.merged_into is null");
        List<Object> args = new ArrayList<>();
        if (state == null) {
            args.add(CallbackState.wire(EnumSet.of(CallbackState.OPEN, CallbackState.CLAIMED)));
            where.append(" and r.state = any($").append(args.size()).append(")");
        } else {
            args.add(state);
            where.append(" and r.state = $").append(args.size());
            if (CallbackState.OPEN.wire().equals(state)) {
                // "open" means claimable now: a retry waits for its time
                where.append(" and (r.next_attempt_at is null or r.next_attempt_at <= now())");
            }
        }
        if (topic != null) {
            args.add(topic);
            where.append(" and r.topic = $").append(args.size());
        }
        args.add(scope.agentOrNull());
        where.append(" and ").append(inScope(args.size()));
        return db.query("select " + CallbackRequest.COLUMNS + CallbackRequest.FROM + where
                        + " order by r.priority_at, r.created_at limit 500", Tuple.tuple(args))
                .chain(this::withAttempts);
    }

    /** One request; empty when unknown, 403 {@code forbidden} when out of the caller's scope. */
    public Uni<Optional<CallbackRequest>> find(UUID id, ReadScope scope) {
        return db.query("select " + inScope(2) + " as in_scope, " + CallbackRequest.COLUMNS + CallbackRequest.FROM + "where r.id = $1",
                        Tuple.of(id, scope.agentOrNull()))
                .invoke(rows -> rows.forEach(r -> checkScope(r.getBoolean("in_scope"))))
                .chain(this::withAttempts)
                .map(list -> list.isEmpty() ? Optional.empty() : Optional.of(list.get(0)));
    }

    private Uni<List<CallbackRequest>> withAttempts(RowSet<Row> rows) {
        List<Row> requests = new ArrayList<>();
        rows.forEach(requests::add);
        if (requests.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        UUID[] ids = requests.stream().map(r -> r.getUUID("id")).toArray(UUID[]::new);
        Uni<Map<UUID, List<CallbackRequest.Attempt>>> attempts = db.query("select a.callback_id, a.at, a.result, a.note, u.username "
                        + "from callback_attempt a left join app_user u on u.id = a.by_user where a.callback_id = any($1) order by a.at, a.id",
                        Tuple.of(ids))
                .map(attemptRows -> {
                    Map<UUID, List<CallbackRequest.Attempt>> byRequest = new HashMap<>();
                    for (Row a : attemptRows) {
                        byRequest.computeIfAbsent(a.getUUID("callback_id"), k -> new ArrayList<>()).add(new CallbackRequest.Attempt(
                                a.getOffsetDateTime("at").toInstant(), a.getString("result"), a.getString("note"), a.getString("username")));
                    }
                    return byRequest;
                });
        Uni<Map<UUID, List<CallbackRequest.Repeat>>> repeats = db.query("select merged_into, id, created_at, state, name, "
                        + "preferred_window, note from callback_request where merged_into = any($1) order by created_at, id", Tuple.of(ids))
                .map(repeatRows -> {
                    Map<UUID, List<CallbackRequest.Repeat>> byRequest = new HashMap<>();
                    for (Row r : repeatRows) {
                        byRequest.computeIfAbsent(r.getUUID("merged_into"), k -> new ArrayList<>()).add(CallbackRequest.Repeat.map(r));
                    }
                    return byRequest;
                });
        return Uni.combine().all().unis(attempts, repeats).asTuple().map(t -> requests.stream().map(r -> CallbackRequest.map(r,
                t.getItem1().getOrDefault(r.getUUID("id"), List.of()), t.getItem2().getOrDefault(r.getUUID("id"), List.of()))).toList());
    }

    /**
     * Atomic: of two agents claiming at once, one gets it and the other a 409. Out of the agent's
     * scope: 403. The agent's account is taken first, as an administrator's update of it takes it
     * before giving back what it holds ({@link #giveBack}): a claim that committed after such an
     * update had looked for what to give back stayed with a disabled account, and nobody could
     * claim the request again. Now the update waits for the claim and gives that request back
     * too, or the claim waits for the update and is refused ({@code agent_unavailable}).
     */
    public Uni<Void> claim(UUID id, UUID agentId, ReadScope scope) {
        return db.tx(tx -> UserRepository.lockToHoldWork(tx, agentId).chain(mayHold -> {
            if (!mayHold) {
                throw LoketException.of("agent_unavailable", "Uw account kan geen terugbelverzoeken meer oppakken. "
                        + "/ Your account can no longer claim callback requests.");
            }
            return tx.query("update callback_request r set state = $4, claimed_by = $2, claimed_at = now(), "
                                + "updated_at = now() where id = $1 and state = $5 "
                                + "and (next_attempt_at is null or next_attempt_at <= now()) and " + inScope(3) + " returning topic",
                        Tuple.of(id, agentId, scope.agentOrNull(), CallbackState.CLAIMED.wire(), CallbackState.OPEN.wire()))
                .chain(rows -> {
                    if (rows.size() > 0) {
                        tx.signal(new Signal.Callbacks(rows.iterator().next().getString("topic")));
                        return Uni.createFrom().voidItem();
                    }
                    return tx.query("select state, next_attempt_at, " + inScope(2) + " as in_scope from callback_request r where id = $1",
                            Tuple.of(id, scope.agentOrNull())).map(r -> {
                        if (r.size() == 0) {
                            throw unknown();
                        }
                        Row row = r.iterator().next();
                        checkScope(row.getBoolean("in_scope"));
                        CallbackState now = CallbackState.of(row.getString("state"));
                        if (now == CallbackState.MERGED) {
                            throw LoketException.of("merged", "Dit verzoek hoort bij een ander verzoek voor hetzelfde nummer; "
                                    + "pak dat op. / This request belongs to another one for the same number; claim that one.");
                        }
                        if (now == CallbackState.OPEN) {
                            throw LoketException.of("not_yet", "Dit verzoek kan pas vanaf " + row.getOffsetDateTime("next_attempt_at")
                                    + " opnieuw worden opgepakt. / This request can be claimed again from " + row.getOffsetDateTime("next_attempt_at") + ".");
                        }
                        throw LoketException.of("already_claimed", "Een collega heeft dit verzoek al, of het is afgerond. "
                                + "/ A colleague has this request already, or it has ended.");
                    });
                });
        }));
    }

    /**
     * Gives a claimed request back: open again for every agent of its topic, at once (any retry
     * time had passed when it was claimed). By the agent who holds it, or by a supervisor for
     * anyone's ({@code anyone}): another agent gets a 403. 409 when it is not claimed.
     */
    public Uni<Void> release(UUID id, UUID agentId, boolean anyone, ReadScope scope) {
        return db.tx(tx -> tx.query("select state, claimed_by, topic, " + inScope(2) + " as in_scope from callback_request r "
                        + "where id = $1 for update", Tuple.of(id, scope.agentOrNull()))
                .chain(rows -> {
                    Row r = heldOpen(rows);
                    CallbackState state = CallbackState.of(r.getString("state"));
                    if (state != CallbackState.CLAIMED) {
                        throw LoketException.of("not_claimed", "Niemand heeft dit verzoek opgepakt. / Nobody has claimed this request.");
                    }
                    if (!anyone && !agentId.equals(r.getUUID("claimed_by"))) {
                        throw new LoketException("forbidden", 403, "Alleen wie het verzoek heeft, of een teamleider, kan het "
                                + "teruggeven. / Only whoever holds the request, or a team lead, can give it back.");
                    }
                    tx.signal(new Signal.Callbacks(r.getString("topic")));
                    return tx.query("update callback_request set state = $2, claimed_by = null, claimed_at = null, updated_at = now() "
                            + "where id = $1", Tuple.of(id, CallbackState.OPEN.wire())).replaceWithVoid();
                }));
    }

    /** Every request the user claimed is open again: their account was disabled, or can no longer work callbacks. */
    @Override
    public Uni<Void> giveBack(Db.Tx tx, UUID userId) {
        return tx.query("update callback_request set state = $2, claimed_by = null, claimed_at = null, updated_at = now() "
                        + "where claimed_by = $1 and state = $3 returning topic",
                        Tuple.of(userId, CallbackState.OPEN.wire(), CallbackState.CLAIMED.wire()))
                .invoke(rows -> rows.forEach(r -> tx.signal(new Signal.Callbacks(r.getString("topic")))))
                .replaceWithVoid();
    }

    /** Records a call attempt by the agent holding the request, and moves it on. */
    public Uni<Void> attempt(UUID id, UUID agentId, String result, String note, ReadScope scope) {
        return db.tx(tx -> tx.query("select state, claimed_by, topic, (select count(*) from callback_attempt a where a.callback_id = r.id) "
                        + "as attempts, " + inScope(2) + " as in_scope from callback_request r where id = $1 for update",
                        Tuple.of(id, scope.agentOrNull()))
                .chain(rows -> {
                    Row r = heldOpen(rows);
                    CallbackState state = CallbackState.of(r.getString("state"));
                    if (state != CallbackState.CLAIMED || !agentId.equals(r.getUUID("claimed_by"))) {
                        throw LoketException.of("not_claimed", "Pak het verzoek eerst op. / Claim the request first.");
                    }
                    long attempts = r.getLong("attempts") + 1;
                    String topic = r.getString("topic");
                    CallbackState next = CallbackState.afterAttempt(result, attempts, config.callbacks().maxAttempts());
                    tx.signal(new Signal.Callbacks(topic));
                    return tx.query("insert into callback_attempt (callback_id, result, note, by_user) values ($1, $2, $3, $4)",
                                    Tuple.of(id, result, privacy.clean(note), agentId))
                            .chain(() -> tx.query("update callback_request set state = $2, claimed_by = null, claimed_at = null, "
                                            + "next_attempt_at = case when $4 then now() + make_interval(secs => $3) else next_attempt_at end, "
                                            + "ended_at = case when $4 then null else now() end, updated_at = now() where id = $1",
                                    Tuple.of(id, next.wire(), (double) config.callbacks().retryDelay().toSeconds(), next.live())))
                            .chain(() -> next.live() ? Uni.createFrom().voidItem() : endRepeats(tx, id, next, null))
                            .chain(() -> next.live() ? Uni.createFrom().voidItem()
                                    : DomainEvents.record(tx, next == CallbackState.DONE ? DomainEvents.CALLBACK_COMPLETED : DomainEvents.CALLBACK_FAILED,
                                    new JsonObject().put("callbackId", id.toString()).put("topic", topic).put("result", result)
                                            .put("attempts", attempts)));
                }));
    }

    /**
     * Cancels a request that still waits (409 once it has ended). Staff cancel it with its repeats
     * ({@code withRepeats}); a resident cancels only their own submission, and when that was the
     * open request its oldest repeat takes its place, with its priority and claim ({@link #promoteRepeat}).
     */
    public Uni<Void> cancel(UUID id, String typedReason, boolean withRepeats, ReadScope scope) {
        String reason = privacy.clean(typedReason); // typed by a resident or staff: no BSN or IBAN kept, as in every other text
        // claimed or given back between the look at its holder and its lock: once more, with the holder of then
        return cancel(id, reason, withRepeats, scope, false)
                .onFailure(HolderChanged.class).recoverWithUni(() -> cancel(id, reason, withRepeats, scope, true));
    }

    private Uni<Void> cancel(UUID id, String reason, boolean withRepeats, ReadScope scope, boolean lastTry) {
        // the holder's account before the request, for the claim its repeat may take over (staff end the repeats: nothing passes)
        return db.tx(tx -> (withRepeats ? Uni.createFrom().item(Holders.NONE) : lockHolders(tx, "r.id = $1", Tuple.of(id)))
                .chain(holders -> tx.query("select state, topic, claimed_by, claimed_at, next_attempt_at, priority_at, " + inScope(2)
                        + " as in_scope from callback_request r where id = $1 for update", Tuple.of(id, scope.agentOrNull()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        throw unknown();
                    }
                    Row was = rows.iterator().next();
                    checkScope(was.getBoolean("in_scope"));
                    CallbackState state = CallbackState.of(was.getString("state"));
                    if (!state.mayBecome(CallbackState.CANCELLED)) {
                        throw LoketException.of("already_ended", "Dit verzoek is al afgerond. / This request has already ended.");
                    }
                    if (!withRepeats && !lastTry && !holders.covers(was.getUUID("claimed_by"))) {
                        throw new HolderChanged(); // rolled back before the next try takes the new holder's account
                    }
                    tx.signal(new Signal.Callbacks(was.getString("topic")));
                    Uni<RowSet<Row>> cancelled = tx.query("update callback_request set state = $3, cancel_reason = $2, "
                            + "ended_at = now(), claimed_by = null, updated_at = now() where id = $1",
                            Tuple.of(id, reason, CallbackState.CANCELLED.wire()));
                    if (state == CallbackState.MERGED) {
                        return cancelled.replaceWithVoid();
                    }
                    return cancelled.chain(() -> withRepeats ? endRepeats(tx, id, CallbackState.CANCELLED, reason)
                            : promoteRepeat(tx, id, was, holders));
                })));
    }

    /** The request's holder changed after {@link #lockHolders} looked; the cancel is tried once more. */
    private static final class HolderChanged extends RuntimeException {
        HolderChanged() {
            super(null, null, false, false); // never leaves cancel: no stack trace to fill
        }
    }

    /**
     * The accounts of the agents whose claims a move may hand on to a repeat (a cancel, retention's
     * expiry, forgetting a chat), taken (shared) before the move locks any request; whether each
     * may still hold a claim. In the order of a claim and of an administrator's update of an account
     * ({@link UserRepository#lockToHoldWork}): taken after the request, an update that disables the
     * agent could give back what the account held before the repeat got the claim, and the repeat
     * stayed with an account nobody can log in to, never called.
     */
    public static final class Holders {
        static final Holders NONE = new Holders(Map.of());

        private final Map<UUID, Boolean> mayHold;

        private Holders(Map<UUID, Boolean> mayHold) {
            this.mayHold = mayHold;
        }

        /** Whether the account holding a claim (null: none) was taken here. */
        boolean covers(UUID claimedBy) {
            return claimedBy == null || mayHold.containsKey(claimedBy);
        }

        /** Whether the claim may pass to a repeat: its account was taken here and may still hold one. */
        boolean passes(UUID claimedBy) {
            return claimedBy != null && Boolean.TRUE.equals(mayHold.get(claimedBy));
        }
    }

    /**
     * Takes the accounts holding the requests {@code which} selects (on {@code r}). The holders
     * are read before any lock: a request claimed meanwhile by someone else is not covered
     * ({@link Holders#covers}), and its claim is not handed on ({@link #promoteRepeat}).
     */
    private static Uni<Holders> lockHolders(Db.Tx tx, String which, Tuple args) {
        return tx.query("select distinct r.claimed_by from callback_request r where r.claimed_by is not null and " + which, args)
                .chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("claimed_by")));
                    return UserRepository.lockToHoldWork(tx, ids);
                })
                .map(Holders::new);
    }

    /**
     * Whether request {@code r} lies within the read scope bound as parameter {@code $n} (null:
     * everything): of a topic the agent serves now, or claimed by the agent.
     */
    static String inScope(int n) {
        String agent = "$" + n + "::uuid";
        return "(" + agent + " is null"
                + " or r.topic = any(coalesce((select s.topics from app_user s where s.id = " + agent + "), '{}'))"
                + " or r.claimed_by is not distinct from " + agent + ")";
    }

    /**
     * The request row read {@code for update} (with {@code state} and {@code in_scope}) when it is
     * one a claim can be worked on: it exists, is in the reader's scope, still runs and is no
     * repeat merged into another. Otherwise the refusal the agent must hear.
     */
    private static Row heldOpen(RowSet<Row> rows) {
        if (rows.size() == 0) {
            throw unknown();
        }
        Row r = rows.iterator().next();
        checkScope(r.getBoolean("in_scope"));
        CallbackState state = CallbackState.of(r.getString("state"));
        if (state == CallbackState.CANCELLED) {
            throw LoketException.of("already_ended", "Dit verzoek is ingetrokken. / This request was cancelled.");
        }
        if (!state.live()) {
            throw LoketException.of("already_ended", "Dit verzoek is al afgerond. / This request has already ended.");
        }
        if (state == CallbackState.MERGED) {
            throw LoketException.of("merged", "Dit verzoek hoort bij een ander verzoek voor hetzelfde nummer. "
                    + "/ This request belongs to another one for the same number.");
        }
        return r;
    }

    /** The refusal of a request that does not exist (or no longer does), here and in {@link CallbackResource}. */
    static LoketException unknown() {
        return new LoketException("not_found", 404, "Onbekend terugbelverzoek. / Unknown callback request.");
    }

    private static void checkScope(boolean inScope) {
        if (!inScope) {
            throw new LoketException("forbidden", 403,
                    "Dit terugbelverzoek hoort niet bij uw onderwerpen. / This callback request is not of a topic you serve.");
        }
    }

    /** The repeats of a request end with it. */
    private static Uni<Void> endRepeats(Db.Tx tx, UUID id, CallbackState ended, String reason) {
        return tx.query("update callback_request set state = $2, cancel_reason = $3, ended_at = now(), updated_at = now() "
                + "where merged_into = $1 and state = $4", Tuple.of(id, ended.wire(), reason, CallbackState.MERGED.wire())).replaceWithVoid();
    }

    /**
     * The oldest repeat of a cancelled request becomes the open request; the other repeats follow
     * it. It takes the request's claim only when the holder's account was taken before the request
     * ({@link #lockHolders}) and may still hold one: a claim of an account disabled meanwhile, or of
     * a holder the move did not take, is not handed on, and the repeat is open for every colleague.
     */
    private static Uni<Void> promoteRepeat(Db.Tx tx, UUID id, Row was, Holders holders) {
        UUID holder = was.getUUID("claimed_by");
        boolean passes = holders.passes(holder);
        CallbackState state = CallbackState.of(was.getString("state"));
        CallbackState promoted = state == CallbackState.CLAIMED && !passes ? CallbackState.OPEN : state;
        return tx.query("""
                        with next as (
                            select id from callback_request where merged_into = $1 and state = $7
                            order by created_at, id limit 1 for update
                        ), promoted as (
                            update callback_request c set state = $2, claimed_by = $3, claimed_at = $4, next_attempt_at = $5,
                                   priority_at = least(c.priority_at, $6), merged_into = null, updated_at = now()
                            from next where c.id = next.id returning c.id
                        )
                        update callback_request c set merged_into = promoted.id from promoted
                        where c.merged_into = $1 and c.state = $7 and c.id <> promoted.id""",
                Tuple.tuple(Arrays.asList(id, promoted.wire(), passes ? holder : null, passes ? was.getOffsetDateTime("claimed_at") : null,
                        was.getOffsetDateTime("next_attempt_at"), was.getOffsetDateTime("priority_at"), CallbackState.MERGED.wire())))
                .replaceWithVoid();
    }

    /**
     * When the request ended (called back, failed, cancelled, expired; a repeat when the request it
     * was merged into did), null while it is live or when there is no such request: its own resident
     * token reads it only for a while after that ({@link nl.loket.privacy.EndedReads}).
     */
    public Uni<Instant> endedAt(UUID id) {
        return db.query("select ended_at from callback_request where id = $1", Tuple.of(id)).map(rows -> {
            if (rows.size() == 0) {
                return null;
            }
            OffsetDateTime endedAt = rows.iterator().next().getOffsetDateTime("ended_at");
            return endedAt == null ? null : endedAt.toInstant();
        });
    }

    /**
     * The conversation a resident token may also open this request with, and when it ended; a
     * conversation whose record is gone (purged) counts as ended long ago, not as still open.
     */
    public Uni<Optional<ChatOrigin>> conversationOf(UUID id) {
        return db.query("""
                        select r.conversation_id, case when c.id is null then timestamptz 'epoch' else c.closed_at end as closed_at
                        from callback_request r
                        left join conversation c on c.id = r.conversation_id where r.id = $1""", Tuple.of(id))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    var row = rows.iterator().next();
                    UUID conversation = row.getUUID("conversation_id");
                    OffsetDateTime closedAt = row.getOffsetDateTime("closed_at");
                    return conversation == null ? Optional.empty()
                            : Optional.of(new ChatOrigin(conversation, closedAt == null ? null : closedAt.toInstant()));
                });
    }

    /** The chat a request came from, and when that conversation ended (null: not yet). */
    public record ChatOrigin(UUID conversation, Instant closedAt) {
    }

    // ---- personal data, for retention and requests to be forgotten ------------------------------

    /** Cancel reasons Loket itself writes; anything else was typed by someone and is purged. */
    private static final String[] OWN_REASONS = {"resident", "cancelled", "expired", "forgotten"};

    /** The live states, as the purges bind them. */
    private static final String[] LIVE = CallbackState.wire(CallbackState.LIVE);

    /** Purges phone numbers, names, notes and typed cancel reasons of requests that ended before the cutoff; how many. */
    public Uni<Integer> purgeEndedBefore(Db.Tx tx, Instant cutoff, Instant now) {
        return tx.query("""
                        with purged as (
                            update callback_request set phone = null, name = null, note = null, client_key = null, purged_at = $2, updated_at = $2,
                                   cancel_reason = case when cancel_reason = any($3) then cancel_reason end
                            where ended_at < $1 and purged_at is null and not (state = any($4))
                            returning id
                        ), notes as (
                            update callback_attempt a set note = null from purged p where a.callback_id = p.id returning 1
                        )
                        select count(*) as n from purged""",
                        Tuple.of(cutoff.atOffset(java.time.ZoneOffset.UTC), now.atOffset(java.time.ZoneOffset.UTC), OWN_REASONS, LIVE))
                .map(rows -> rows.iterator().next().getLong("n").intValue());
    }

    /**
     * Requests nobody ended within the retention period: cancelled with reason {@code expired}
     * and purged at once, since their data is already older than it may be kept; how many. A
     * younger repeat of an expired request is not expired with it: it takes the request's place,
     * as when its caller cancels ({@link #promoteRepeat}); repeats as old as the request expire too.
     * The accounts holding the claims to hand on are taken first ({@link #lockHolders}); a claim
     * taken between that look and the requests' locks is not handed on (the repeat is open): this
     * runs once an hour, and trying again would hold the run's other locks longer.
     */
    public Uni<Integer> expireUnanswered(Db.Tx tx, Instant cutoff, Instant now) {
        return lockHolders(tx, "r.created_at < $1", Tuple.of(cutoff.atOffset(java.time.ZoneOffset.UTC))).chain(holders -> tx.query("""
                        with expired as (
                            update callback_request c set state = $4, cancel_reason = 'expired', ended_at = $2, claimed_by = null,
                                   phone = null, name = null, note = null, client_key = null, purged_at = $2, updated_at = $2
                            from (select id, state, claimed_by, claimed_at, next_attempt_at, priority_at from callback_request
                                  where state = any($3) and created_at < $1 for update) was
                            where c.id = was.id
                            returning c.id, c.topic, was.state, was.claimed_by, was.claimed_at, was.next_attempt_at, was.priority_at,
                                      -- a repeat younger than the cutoff is left live by this statement
                                      was.state <> $5 and exists (select 1 from callback_request m where m.merged_into = c.id
                                                                  and m.state = $5 and m.created_at >= $1) as has_younger_repeat
                        ), notes as (
                            update callback_attempt a set note = null from expired e where a.callback_id = e.id returning 1
                        )
                        select * from expired""",
                        Tuple.of(cutoff.atOffset(java.time.ZoneOffset.UTC), now.atOffset(java.time.ZoneOffset.UTC), LIVE,
                                CallbackState.CANCELLED.wire(), CallbackState.MERGED.wire()))
                .chain(rows -> {
                    Uni<Void> promoted = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        tx.signal(new Signal.Callbacks(r.getString("topic")));
                        if (r.getBoolean("has_younger_repeat")) {
                            promoted = promoted.chain(() -> promoteRepeat(tx, r.getUUID("id"), r, holders));
                        }
                    }
                    return promoted.replaceWith(rows.size());
                }));
    }

    /** Every request of a phone number: open ones are cancelled, all lose their personal data; how many. */
    public Uni<Integer> forgetPhone(Db.Tx tx, String e164) {
        return forget(tx, "phone = $1", e164);
    }

    /**
     * The request a conversation was handed off to, if any, as {@link #forgetPhone} does: the
     * resident who asks to be forgotten gave its phone number (and name) in that conversation.
     * Later requests merged into it (the same number and topic, from another contact) are not
     * part of the request: the oldest becomes the open request, as when it is cancelled, with the
     * claim only of the account {@link #holderOfConversation} took before (the repeat is open otherwise).
     */
    public Uni<Integer> forgetOfConversation(Db.Tx tx, UUID conversationId, Holders holders) {
        return tx.query("select id, state, claimed_by, claimed_at, next_attempt_at, priority_at from callback_request "
                        + "where id = (select callback_id from conversation where id = $1) for update", Tuple.of(conversationId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    Row was = rows.iterator().next();
                    UUID id = was.getUUID("id");
                    CallbackState state = CallbackState.of(was.getString("state"));
                    return forget(tx, "id = $1", id).call(() -> state.live() && state != CallbackState.MERGED
                            ? promoteRepeat(tx, id, was, holders) : Uni.createFrom().voidItem());
                });
    }

    /**
     * Takes the account holding the request a conversation was handed off to, for {@link
     * #forgetOfConversation}: before the conversation, too, since a claim of a conversation takes
     * the agent's account before the conversation.
     */
    public Uni<Holders> holderOfConversation(Db.Tx tx, UUID conversationId) {
        return lockHolders(tx, "r.id = (select callback_id from conversation where id = $1)", Tuple.of(conversationId));
    }

    private Uni<Integer> forget(Db.Tx tx, String which, Object param) {
        return tx.query("""
                        with purged as (
                            update callback_request set state = case when state = any($3) then $4 else state end,
                                   cancel_reason = case when state = any($3) then 'forgotten'
                                                        when cancel_reason = any($2) then cancel_reason end,
                                   ended_at = coalesce(ended_at, now()), claimed_by = null,
                                   phone = null, name = null, note = null, client_key = null, purged_at = now(), updated_at = now()
                            where %s returning id, topic
                        ), notes as (
                            update callback_attempt a set note = null from purged p where a.callback_id = p.id returning 1
                        )
                        select id, topic from purged""".formatted(which), Tuple.of(param, OWN_REASONS, LIVE, CallbackState.CANCELLED.wire()))
                .map(rows -> {
                    rows.forEach(r -> tx.signal(new Signal.Callbacks(r.getString("topic"))));
                    return rows.size();
                });
    }
}
