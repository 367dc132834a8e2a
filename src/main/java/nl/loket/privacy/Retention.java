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

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Purges personal data when its time is up (SPEC §6): message texts, resident names, notes,
 * summaries and rating comments of conversations ended more than the retention period ago;
 * phone numbers, names and notes of ended callback requests; audit entries older than a year.
 * Counts and timings stay for statistics. Every node schedules it; a transaction-level
 * advisory lock lets one run at a time, and each run is itself audited.
 */
@ApplicationScoped
public class Retention {

    /** Advisory lock key: "LOKETRET" as a number, shared by every node. */
    static final long LOCK = 0x4c4f4b4554524554L;

    public record Run(boolean ran, int conversations, int callbacks, int auditEntries) {
    }

    private final Db db;
    private final LoketConfig config;

    public Retention(Db db, LoketConfig config) {
        this.db = db;
        this.config = config;
    }

    @Scheduled(every = "${loket.privacy.retention-every:1h}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge(Instant.now()).invoke(run -> {
            if (run.ran() && run.conversations() + run.callbacks() > 0) {
                Log.infof("Retention purged %d conversations and %d callback requests", run.conversations(), run.callbacks());
            }
        }).onFailure().invoke(e -> Log.warn("Retention run failed; the next one retries", e)).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One purge as of {@code now} (a parameter, so tests can move the clock). */
    public Uni<Run> purge(Instant now) {
        var cutoff = now.minus(java.time.Duration.ofDays(config.privacy().retentionDays())).atOffset(ZoneOffset.UTC);
        var auditCutoff = now.minus(java.time.Duration.ofDays(config.privacy().auditDays())).atOffset(ZoneOffset.UTC);
        return db.tx(tx -> tx.query("select pg_try_advisory_xact_lock($1) as locked", Tuple.of(LOCK)).chain(lock -> {
            if (!lock.iterator().next().getBoolean("locked")) {
                return Uni.createFrom().item(new Run(false, 0, 0, 0));
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
                                        update callback_request set phone = null, name = null, note = null, purged_at = $2, updated_at = $2
                                        where ended_at < $1 and purged_at is null and state in ('done', 'failed', 'cancelled')
                                        returning id
                                    ), notes as (
                                        update callback_attempt a set note = null from purged p where a.callback_id = p.id returning 1
                                    )
                                    select count(*) as n from purged""", Tuple.of(cutoff, now.atOffset(ZoneOffset.UTC)))
                            .chain(b -> tx.query("delete from audit where at < $1", Tuple.of(auditCutoff)).chain(a -> {
                                Run run = new Run(true, c.iterator().next().getLong("n").intValue(),
                                        b.iterator().next().getLong("n").intValue(), a.rowCount());
                                return Audit.record(tx, "loket", "system", Audit.RETENTION_RUN, null, new JsonObject()
                                                .put("asOf", now.toString()).put("retentionDays", config.privacy().retentionDays())
                                                .put("conversations", run.conversations()).put("callbacks", run.callbacks())
                                                .put("auditEntries", run.auditEntries()))
                                        .replaceWith(run);
                            })));
        }));
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
                            update callback_request set state = case when state in ('open', 'claimed') then 'cancelled' else state end,
                                   cancel_reason = case when state in ('open', 'claimed') then 'forgotten' else cancel_reason end,
                                   ended_at = coalesce(ended_at, now()), claimed_by = null,
                                   phone = null, name = null, note = null, purged_at = now(), updated_at = now()
                            where phone = $1 returning id, topic
                        ), notes as (
                            update callback_attempt a set note = null from purged p where a.callback_id = p.id returning 1
                        )
                        select id, topic from purged""", Tuple.of(e164))
                .chain(rows -> {
                    rows.forEach(r -> tx.signal(new nl.loket.cluster.Signal.Callbacks(r.getString("topic"))));
                    return Audit.record(tx, actor, "admin", Audit.FORGET_CALLBACKS, null, new JsonObject().put("requests", rows.size()))
                            .replaceWith(rows.size());
                }));
    }
}
