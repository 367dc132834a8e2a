package nl.loket.privacy;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.audit.Audit;
import nl.loket.common.Db;
import nl.loket.config.LoketConfig;
import nl.loket.security.LoginThrottle;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Purges personal data when its time is up (SPEC §6): message texts, resident names, notes,
 * summaries and rating comments of conversations ended more than the retention period ago;
 * phone numbers, names, notes and typed cancel reasons of ended callback requests; callback
 * requests still waiting after the retention period are cancelled ("expired") and purged at
 * once; login failures past their window; audit entries older than a year. Counts and timings
 * stay for statistics. Every node schedules it; a transaction-level
 * advisory lock lets one run at a time, and each run is itself audited.
 */
@ApplicationScoped
public class Retention {

    /** Advisory lock key: "LOKETRET" as a number, shared by every node. */
    static final long LOCK = 0x4c4f4b4554524554L;

    public record Run(boolean ran, int conversations, int callbacks, int expiredCallbacks, int loginFailures, int auditEntries) {
    }

    /** Cancel reasons Loket itself writes; anything else was typed by someone and is purged. */
    private static final String[] OWN_REASONS = {"resident", "cancelled", "expired", "forgotten"};

    private final Db db;
    private final LoketConfig config;
    private final LoginThrottle logins;

    public Retention(Db db, LoketConfig config, LoginThrottle logins) {
        this.db = db;
        this.config = config;
        this.logins = logins;
    }

    @Scheduled(every = "${loket.privacy.retention-every:1h}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge(Instant.now()).invoke(run -> {
            if (run.ran() && run.conversations() + run.callbacks() + run.expiredCallbacks() > 0) {
                Log.infof("Retention purged %d conversations and %d callback requests (%d of them expired unanswered)",
                        run.conversations(), run.callbacks() + run.expiredCallbacks(), run.expiredCallbacks());
            }
        }).onFailure().invoke(e -> Log.warn("Retention run failed; the next one retries", e)).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One purge as of {@code now} (a parameter, so tests can move the clock). */
    public Uni<Run> purge(Instant now) {
        var cutoff = now.minus(java.time.Duration.ofDays(config.privacy().retentionDays())).atOffset(ZoneOffset.UTC);
        var auditCutoff = now.minus(java.time.Duration.ofDays(config.privacy().auditDays())).atOffset(ZoneOffset.UTC);
        return db.tx(tx -> tx.query("select pg_try_advisory_xact_lock($1) as locked", Tuple.of(LOCK)).chain(lock -> {
            if (!lock.iterator().next().getBoolean("locked")) {
                return Uni.createFrom().item(new Run(false, 0, 0, 0, 0, 0));
            }
            return tx.query("""
                            with purged as (
                                update conversation set resident_name = null, summary = null, rating_comment = null,
                                       purged_at = $2, updated_at = $2
                                where closed_at < $1 and purged_at is null and state in ('closed', 'abandoned', 'callback')
                                returning id
                            ), texts as (
                                update message m set text = null from purged p where m.conversation_id = p.id returning 1
                            )
                            select count(*) as n from purged""", Tuple.of(cutoff, now.atOffset(ZoneOffset.UTC)))
                    .chain(c -> tx.query("""
                                    with purged as (
                                        update callback_request set phone = null, name = null, note = null, purged_at = $2, updated_at = $2,
                                               cancel_reason = case when cancel_reason = any($3) then cancel_reason end
                                        where ended_at < $1 and purged_at is null and state in ('done', 'failed', 'cancelled')
                                        returning id
                                    ), notes as (
                                        update callback_attempt a set note = null from purged p where a.callback_id = p.id returning 1
                                    )
                                    select count(*) as n from purged""", Tuple.of(cutoff, now.atOffset(ZoneOffset.UTC), OWN_REASONS))
                            .chain(b -> expireCallbacks(tx, cutoff, now).chain(e -> logins.purge(now).chain(l ->
                                    tx.query("delete from audit where at < $1", Tuple.of(auditCutoff)).chain(a -> {
                                Run run = new Run(true, c.iterator().next().getLong("n").intValue(),
                                        b.iterator().next().getLong("n").intValue(), e, l, a.rowCount());
                                return Audit.record(tx, "loket", "system", Audit.RETENTION_RUN, null, new JsonObject()
                                                .put("asOf", now.toString()).put("retentionDays", config.privacy().retentionDays())
                                                .put("conversations", run.conversations()).put("callbacks", run.callbacks())
                                                .put("expiredCallbacks", run.expiredCallbacks()).put("loginFailures", run.loginFailures())
                                                .put("auditEntries", run.auditEntries()))
                                        .replaceWith(run);
                            })))));
        }));
    }

    /**
     * Callback requests nobody ended within the retention period: cancelled with reason
     * {@code expired} and purged at once, since their data is already older than it may be kept.
     */
    private static Uni<Integer> expireCallbacks(Db.Tx tx, java.time.OffsetDateTime cutoff, Instant now) {
        return tx.query("""
                        with expired as (
                            update callback_request set state = 'cancelled', cancel_reason = 'expired', ended_at = $2, claimed_by = null,
                                   phone = null, name = null, note = null, purged_at = $2, updated_at = $2
                            where state in ('open', 'claimed', 'merged') and created_at < $1
                            returning id, topic
                        ), notes as (
                            update callback_attempt a set note = null from expired e where a.callback_id = e.id returning 1
                        )
                        select id, topic from expired""", Tuple.of(cutoff, now.atOffset(ZoneOffset.UTC)))
                .map(rows -> {
                    rows.forEach(r -> tx.signal(new nl.loket.cluster.Signal.Callbacks(r.getString("topic"))));
                    return rows.size();
                });
    }

    /** A resident's request to be forgotten: one conversation's personal data, now. */
    public Uni<Boolean> forgetConversation(UUID id, String actor) {
        return db.tx(tx -> tx.query("""
                        with purged as (
                            update conversation set resident_name = null, summary = null, rating_comment = null,
                                   purged_at = now(), updated_at = now()
                            where id = $1 returning id
                        ), texts as (
                            update message m set text = null from purged p where m.conversation_id = p.id returning 1
                        )
                        select count(*) as n from purged""", Tuple.of(id))
                .chain(rows -> {
                    boolean found = rows.iterator().next().getLong("n") > 0;
                    if (!found) {
                        return Uni.createFrom().item(false);
                    }
                    return Audit.record(tx, actor, "admin", Audit.FORGET_CONVERSATION, id, new JsonObject()).replaceWith(true);
                }));
    }

    /** Every callback request of a phone number: open ones are cancelled, all lose their personal data. */
    public Uni<Integer> forgetCallbacks(String e164, String actor) {
        return db.tx(tx -> tx.query("""
                        with purged as (
                            update callback_request set state = case when state in ('open', 'claimed', 'merged') then 'cancelled' else state end,
                                   cancel_reason = case when state in ('open', 'claimed', 'merged') then 'forgotten'
                                                        when cancel_reason = any($2) then cancel_reason end,
                                   ended_at = coalesce(ended_at, now()), claimed_by = null,
                                   phone = null, name = null, note = null, purged_at = now(), updated_at = now()
                            where phone = $1 returning id, topic
                        ), notes as (
                            update callback_attempt a set note = null from purged p where a.callback_id = p.id returning 1
                        )
                        select id, topic from purged""", Tuple.of(e164, OWN_REASONS))
                .chain(rows -> {
                    rows.forEach(r -> tx.signal(new nl.loket.cluster.Signal.Callbacks(r.getString("topic"))));
                    return Audit.record(tx, actor, "admin", Audit.FORGET_CALLBACKS, null, new JsonObject().put("requests", rows.size()))
                            .replaceWith(rows.size());
                }));
    }
}
