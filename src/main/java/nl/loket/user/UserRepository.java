package nl.loket.user;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import nl.loket.platform.Signal;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The one owner of staff accounts ({@code app_user}): settings, the agent's chosen status and
 * presence-derived "gone since", and the locks claims and transfers take on an agent. What
 * "available" means is defined once, in the {@code agent_status} view.
 */
@ApplicationScoped
public class UserRepository {

    private final Db db;
    private final Instance<HeldWork> heldWork;

    public UserRepository(Db db, Instance<HeldWork> heldWork) {
        this.db = db;
        this.heldWork = heldWork;
    }

    public Uni<List<User>> all() {
        return db.query("select " + User.COLUMNS + " from app_user order by username").map(rows -> {
            List<User> users = new ArrayList<>();
            rows.forEach(r -> users.add(User.map(r)));
            return users;
        });
    }

    public Uni<Optional<User>> find(UUID id) {
        return db.query("select " + User.COLUMNS + " from app_user where id = $1", Tuple.of(id)).map(UserRepository::first);
    }

    /**
     * The user, their password hash and token generation, for a login; {@code mustChangePassword}
     * after an administrator's reset, until the user chose a new password.
     */
    public record Credentials(User user, String passwordHash, long tokenGeneration, boolean mustChangePassword) {
    }

    public Uni<Optional<Credentials>> credentials(String username) {
        return db.query("select " + User.COLUMNS + ", password_hash, token_generation, must_change_password from app_user "
                        + "where username = $1", Tuple.of(username))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new Credentials(User.map(r), r.getString("password_hash"), r.getLong("token_generation"),
                            r.getBoolean("must_change_password")));
                });
    }

    /**
     * An administrator's reset: a temporary password that only lets the user choose a new one.
     * The new password hash bumps the account's token generation (V20), so its tokens and
     * connections are revoked at once, on every node. Empty when the user is unknown.
     */
    public Uni<Optional<User>> resetPassword(UUID id, String temporaryHash) {
        Signal.Revoke[] revoke = new Signal.Revoke[1];
        return db.tx(tx -> {
            tx.signal(new Signal.Agent(id));
            return tx.query("update app_user set password_hash = $2, must_change_password = true, updated_at = now() "
                            + "where id = $1 returning " + User.COLUMNS + ", token_generation", Tuple.of(id, temporaryHash))
                    .map(rows -> {
                        revoke[0] = revocation(id, rows);
                        return UserRepository.first(rows);
                    });
        }).invoke(() -> deliver(revoke[0]));
    }

    /** The account as a password change left it: what the token that replaces the revoked ones carries. */
    public record Changed(User user, long generation) {
    }

    /**
     * The user chose a new password (their own, after logging in with the current one). Like any
     * password change it revokes the account's earlier tokens. Stored only while the password is
     * still {@code checkedHash}, the one the user proved: an administrator's reset made since the
     * check stays in force (empty then). The answer is the account as it is now, with its new
     * generation: roles or a department changed since the check are the ones its token carries.
     */
    public Uni<Optional<Changed>> changePassword(UUID id, String checkedHash, String passwordHash) {
        Signal.Revoke[] revoke = new Signal.Revoke[1];
        return db.tx(tx -> tx.query("update app_user set password_hash = $2, must_change_password = false, updated_at = now() "
                                + "where id = $1 and password_hash = $3 returning " + User.COLUMNS + ", token_generation",
                        Tuple.of(id, passwordHash, checkedHash))
                        .map(rows -> {
                            revoke[0] = revocation(id, rows);
                            return revoke[0] == null ? Optional.<Changed>empty()
                                    : Optional.of(new Changed(User.map(rows.iterator().next()), revoke[0].generation()));
                        }))
                .invoke(() -> deliver(revoke[0]));
    }

    private static Signal.Revoke revocation(UUID id, RowSet<Row> rows) {
        if (rows.size() == 0) {
            return null;
        }
        Row r = rows.iterator().next();
        return new Signal.Revoke(id, r.getLong("token_generation"), r.getBoolean("active"));
    }

    /** This node learns the new generation right after the commit, before the notification comes back. */
    private void deliver(Signal.Revoke revoke) {
        if (revoke != null) {
            db.delivered(revoke); // idempotent: an unchanged generation revokes nothing
        }
    }

    /**
     * Inserts a user; empty when the username is taken, also in another case ("Bart" when "bart"
     * exists): people, and the audit log's actor filter, tell usernames apart without case. An
     * unknown department is a field error. The check sees only what had committed when the
     * statement began; of two creations at the same moment the unique index on lower(username)
     * (V43) refuses the second, and "on conflict do nothing" (any unique index) makes that the
     * same "taken". Without that index (an installation with older pairs, {@link UsernameCaseIndex})
     * two creations at the same moment can still both pass.
     */
    public Uni<Optional<User>> insert(User u, String passwordHash) {
        return db.query("insert into app_user (id, username, display_name, password_hash, roles, topics, max_concurrent, active, department) "
                                + "select $1::uuid, $2::text, $3::text, $4::text, $5::text[], $6::text[], $7::int, $8::boolean, $9::text "
                                + "where not exists (select 1 from app_user where lower(username) = lower($2::text)) "
                                + "on conflict do nothing returning " + User.COLUMNS,
                        Tuple.tuple(Arrays.asList(u.id(), u.username(), u.displayName(), passwordHash,
                                u.roles().toArray(new String[0]), u.topics().toArray(new String[0]), u.maxConcurrent(), u.active(),
                                u.department())))
                .map(UserRepository::first)
                .onFailure(UserRepository::unknownDepartment).transform(e -> unknownDepartment());
    }

    /**
     * Replaces a user's settings (and password when given); empty when unknown. A change of roles,
     * topics, password or active bumps the account's token generation (the trigger of V20, which
     * also notifies every node); this node learns the new generation from memory right after the
     * commit, so the very next request with an old token is refused here too. An account that can
     * no longer work (disabled, or no longer an agent or supervisor) gives back what it held
     * ({@link HeldWork}) in the same transaction.
     */
    public Uni<Optional<User>> update(User u, String passwordHash) {
        Signal.Revoke[] revoke = new Signal.Revoke[1];
        return db.tx(tx -> {
            tx.signal(new Signal.Agent(u.id()));
            tx.signal(new Signal.Account(u.id()));
            return tx.query("update app_user set display_name = $2, password_hash = coalesce($3, password_hash), roles = $4, "
                                    + "topics = $5, max_concurrent = $6, active = $7, department = $8, updated_at = now() "
                                    + "where id = $1 returning "
                                    + User.COLUMNS + ", token_generation",
                            Tuple.tuple(Arrays.asList(u.id(), u.displayName(), passwordHash, u.roles().toArray(new String[0]),
                                    u.topics().toArray(new String[0]), u.maxConcurrent(), u.active(), u.department())))
                    .map(rows -> {
                        revoke[0] = revocation(u.id(), rows);
                        return UserRepository.first(rows);
                    })
                    .call(updated -> updated.isPresent() && !worksCallbacks(updated.get()) ? giveBack(tx, u.id())
                            : Uni.createFrom().voidItem());
        }).invoke(() -> deliver(revoke[0])).onFailure(UserRepository::unknownDepartment).transform(e -> unknownDepartment());
    }

    /** Whether the account may still claim and call: active, and an agent (a supervisor is one too). */
    private static boolean worksCallbacks(User u) {
        return worksCallbacks(u.active(), u.roles());
    }

    private static boolean worksCallbacks(boolean active, java.util.Collection<String> roles) {
        return active && (roles.contains(Roles.AGENT) || roles.contains(Roles.SUPERVISOR));
    }

    private Uni<Void> giveBack(Db.Tx tx, UUID userId) {
        Uni<Void> all = Uni.createFrom().voidItem();
        for (HeldWork work : heldWork) {
            all = all.chain(() -> work.giveBack(tx, userId));
        }
        return all;
    }

    /** The department named does not exist (app_user.department references department). */
    private static boolean unknownDepartment(Throwable e) {
        return e instanceof io.vertx.pgclient.PgException pg && "23503".equals(pg.getSqlState())
                && pg.getConstraint() != null && pg.getConstraint().contains("department");
    }

    private static ValidationException unknownDepartment() {
        return ValidationException.of("department", "onbekende afdeling / unknown department");
    }

    /** An account's token generation and whether it is active, for checking a token. */
    public record Generation(UUID id, long generation, boolean active) {
    }

    /** Every account's generation, in one statement (when the node starts listening, and after the listener reconnects). */
    public Uni<List<Generation>> generations() {
        return db.query("select id, token_generation, active from app_user").map(rows -> {
            List<Generation> list = new ArrayList<>();
            rows.forEach(r -> list.add(new Generation(r.getUUID("id"), r.getLong("token_generation"), r.getBoolean("active"))));
            return list;
        });
    }

    /** One account's generation; empty when unknown. */
    public Uni<Optional<Generation>> generation(UUID id) {
        return db.query("select id, token_generation, active from app_user where id = $1", Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(new Generation(id,
                        rows.iterator().next().getLong("token_generation"), rows.iterator().next().getBoolean("active"))));
    }

    public Uni<Void> setStatus(UUID id, String status) {
        return db.tx(tx -> {
            tx.signal(new Signal.Agent(id));
            return tx.query("update app_user set chosen_status = $2, updated_at = now() where id = $1", Tuple.of(id, status))
                    .replaceWithVoid();
        });
    }

    /** An agent as a transfer sees them: name, topics, capacity. (A claim checks the same in loket_claim.) */
    public record AgentSlot(UUID id, String name, List<String> topics, int maxConcurrent) {
    }

    /**
     * Locks a colleague who is to receive a conversation of {@code topic}: serving that topic
     * ({@code topic_not_allowed} otherwise, whatever their status), online, available and with a
     * free slot ({@code agent_unavailable}).
     */
    public Uni<AgentSlot> lockForTransfer(Db.Tx tx, UUID colleagueId, String topic) {
        return lockStatus(tx, colleagueId).map(r -> {
            if (r != null && r.getBoolean("active") && !List.of(r.getArrayOfStrings("topics")).contains(topic)) {
                throw LoketException.of("topic_not_allowed",
                        "Deze collega werkt niet voor dit onderwerp. / This colleague does not serve this topic.");
            }
            if (r == null || !r.getBoolean("active") || "away".equals(r.getString("chosen_status"))
                    || r.getInteger("held") >= r.getInteger("max_concurrent")) {
                throw LoketException.of("agent_unavailable",
                        "Deze collega is niet beschikbaar of heeft geen plek. / This colleague is not available or has no free slot.");
            }
            if (!r.getBoolean("online")) {
                throw LoketException.of("agent_unavailable", "Deze collega is niet online. / This colleague is not online.");
            }
            return slot(r);
        });
    }

    /**
     * Takes the account's row lock, as a claim does first: a move that also locks a conversation
     * takes this one before it, in a claim's order, so the two never wait for each other in a circle.
     */
    public static Uni<Void> lockAccount(Db.Tx tx, UUID agentId) {
        return tx.query("select 1 from app_user where id = $1 for update", Tuple.of(agentId)).replaceWithVoid();
    }

    /**
     * Takes the account's row lock for a move that gives the account work that {@link HeldWork}
     * gives back (a claim of a callback request), before that work's row: in the order of
     * {@link #update}, which takes the account and then gives back what it holds, so the two never
     * wait for each other in a circle, and the update sees the work the move gave. Shared: the
     * account's own moves do not wait for each other. Answers, as of the lock, whether the account
     * may still hold such work: an update that disabled it, or took away the role that does it,
     * has committed and given back what it held, and the move must not give it more.
     */
    public static Uni<Boolean> lockToHoldWork(Db.Tx tx, UUID userId) {
        return lockToHoldWork(tx, List.of(userId)).map(mayHold -> mayHold.getOrDefault(userId, false));
    }

    /**
     * {@link #lockToHoldWork(Db.Tx, UUID)} for several accounts at once (a move that hands on the
     * claims of several agents, such as retention's expiry of requests), in the order of their
     * ids; which of them may still hold such work. An unknown account is left out.
     */
    public static Uni<Map<UUID, Boolean>> lockToHoldWork(Db.Tx tx, Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        // FOR SHARE, not FOR KEY SHARE: a key share lock (what the foreign key claimed_by takes) does not wait for an update
        return tx.query("select id, active, roles from app_user where id = any($1) order by id for share",
                Tuple.of(userIds.toArray(new UUID[0]))).map(rows -> {
            Map<UUID, Boolean> mayHold = new HashMap<>();
            rows.forEach(r -> mayHold.put(r.getUUID("id"), worksCallbacks(r.getBoolean("active"), List.of(r.getArrayOfStrings("roles")))));
            return mayHold;
        });
    }

    /** Locks the account, then reads its status in a fresh snapshot, so a claim that just committed is counted. */
    private static Uni<Row> lockStatus(Db.Tx tx, UUID agentId) {
        return tx.query("select 1 from app_user where id = $1 for update", Tuple.of(agentId))
                .chain(() -> tx.query("select * from agent_status where id = $1", Tuple.of(agentId)))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next());
    }

    private static AgentSlot slot(Row r) {
        return new AgentSlot(r.getUUID("id"), r.getString("display_name"), List.of(r.getArrayOfStrings("topics")),
                r.getInteger("max_concurrent"));
    }

    /** Those of these agents who count as gone now. */
    public Uni<List<UUID>> agentsGoneAmong(List<UUID> agentIds) {
        if (agentIds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return db.query("select id from app_user where id = any($1) and gone_at is not null", Tuple.of(agentIds.toArray(new UUID[0])))
                .map(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("id")));
                    return ids;
                });
    }

    /** The agent has a connection again: no grace period runs. */
    public Uni<Void> agentBack(Db.Tx tx, UUID agentId) {
        tx.signal(new Signal.Agent(agentId));
        return tx.query("update app_user set gone_at = null where id = $1", Tuple.of(agentId)).replaceWithVoid();
    }

    /** {@link #agentBack} for several agents, in one statement. */
    public Uni<Void> agentsBack(Db.Tx tx, List<UUID> agentIds) {
        if (agentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        agentIds.forEach(id -> tx.signal(new Signal.Agent(id)));
        // every row, as agentBack does: an agent's "gone" being recorded meanwhile elsewhere is waited for and undone
        return tx.query("update app_user set gone_at = null where id = any($1)",
                Tuple.of(agentIds.toArray(new UUID[0]))).replaceWithVoid();
    }

    /**
     * These agents lost a connection at {@code at} (null: now); those without another connection
     * anywhere count as gone from then, so the grace period for their conversations runs.
     */
    public Uni<Void> agentsGone(Db.Tx tx, List<UUID> agentIds, java.time.Instant at) {
        if (agentIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        agentIds.forEach(id -> tx.signal(new Signal.Agent(id)));
        return tx.query("update app_user u set gone_at = coalesce($2, now()) where u.id = any($1) and u.gone_at is null "
                        + "and not exists (select 1 from presence p where p.subject = u.id)",
                Tuple.of(agentIds.toArray(new UUID[0]), at == null ? null : at.atOffset(java.time.ZoneOffset.UTC))).replaceWithVoid();
    }

    public Uni<Long> count() {
        return db.query("select count(*) as n from app_user").map(rows -> rows.iterator().next().getLong("n"));
    }

    private static Optional<User> first(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(User.map(rows.iterator().next()));
    }
}
