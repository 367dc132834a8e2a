package nl.loket.retention;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.audit.Audit;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.callback.CallbackService;
import nl.loket.config.LoketConfig;
import nl.loket.security.LoginThrottle;
import nl.loket.conversation.Conversations;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Purges personal data when its time is up: message texts, resident names, notes, summaries and
 * rating comments of conversations ended more than the retention period ago; phone numbers,
 * names, notes and typed cancel reasons of ended callback requests; callback requests still
 * waiting after the retention period (cancelled as "expired" and purged at once); login
 * failures past their window; audit entries older than a year. Counts and
 * timings stay for statistics. The owners of the tables do the purging; this class decides
 * when. Every node schedules it; a transaction-level advisory lock lets one run at a time, and
 * each run is itself audited.
 *
 * <p>A run that fails is logged and counted ({@code loket_failures_total{where="retention"}}); the
 * next one, an hour later, tries again. {@code loket_retention_last_success_seconds} is when this
 * node's last run ended well (epoch seconds; 0 before the first): an alert on its age sees a
 * purge that has failed for hours, which the log alone would let pass for days.
 */
@ApplicationScoped
public class Retention {

    /** Advisory lock key: "LOKETRET" as a number, shared by every node. */
    static final long LOCK = 0x4c4f4b4554524554L;
    /** Conversations purged in one transaction: each commits well within the integrators' feed's safety lag. */
    static final int PURGE_BATCH = 200;

    public record Run(boolean ran, int conversations, int callbacks, int expiredCallbacks, int loginFailures, int auditEntries) {
    }

    private final Db db;
    private final LoketConfig config;
    private final Conversations conversations;
    private final CallbackService callbacks;
    private final LoginThrottle logins;
    private final Failures failures;
    /** When this node's last run ended without failing, in epoch seconds; 0 before the first. */
    private final AtomicLong lastSuccess = new AtomicLong();

    public Retention(Db db, LoketConfig config, Conversations conversations, CallbackService callbacks, LoginThrottle logins,
                     Failures failures, MeterRegistry registry) {
        this.logins = logins;
        this.failures = failures;
        Gauge.builder("loket.retention.last.success.seconds", lastSuccess, AtomicLong::doubleValue)
                .description("When this node's last retention run (the purge of personal data) ended without failing, in epoch seconds; "
                        + "0 before the first")
                .register(registry);
        this.db = db;
        this.config = config;
        this.conversations = conversations;
        this.callbacks = callbacks;
    }

    @Scheduled(every = "${loket.privacy.retention-every:1h}", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge(Instant.now()).invoke(run -> {
            // a run another node was doing at the same moment (its lock) counts too: the purge went on
            lastSuccess.set(Instant.now().getEpochSecond());
            if (run.ran() && run.conversations() + run.callbacks() + run.expiredCallbacks() > 0) {
                Log.infof("Retention purged %d conversations and %d callback requests (%d of them expired unanswered)",
                        run.conversations(), run.callbacks() + run.expiredCallbacks(), run.expiredCallbacks());
            }
        }).onFailure().invoke(e -> failures.record("retention", e, "Retention run failed; the next run retries")).onFailure().recoverWithNull().replaceWithVoid();
    }

    /** One purge as of {@code now} (a parameter, so tests can move the clock). */
    public Uni<Run> purge(Instant now) {
        Instant cutoff = now.minus(java.time.Duration.ofDays(config.privacy().retentionDays()));
        var auditCutoff = now.minus(java.time.Duration.ofDays(config.privacy().auditDays())).atOffset(ZoneOffset.UTC);
        return db.tx(tx -> tx.query("select pg_try_advisory_xact_lock($1) as locked", Tuple.of(LOCK)).chain(lock -> {
            if (!lock.iterator().next().getBoolean("locked")) {
                return Uni.createFrom().item(new Run(false, 0, 0, 0, 0, 0));
            }
            // conversations in short transactions of their own, while this one holds the run's lock: see purgeEndedBefore.
            // This one runs nothing meanwhile, for as long as a long backlog takes: PostgreSQL must not end it as idle
            // (loket.db.idle-in-transaction-timeout), or the rest of the run fails, every run (LongPurgeTest)
            // expiry before the purge of ended requests: it takes the accounts whose claims it hands on before any request
            return tx.liftIdleBound().chain(() -> purgeConversations(cutoff))
                    .chain(c -> callbacks.expireUnanswered(tx, cutoff, now)
                            .chain(e -> callbacks.purgeEndedBefore(tx, cutoff, now)
                                    .chain(b -> logins.purge(now)
                                            .chain(l -> Audit.purgeBefore(tx, auditCutoff).chain(a -> {
                                                Run run = new Run(true, c, b, e, l, a);
                                                return Audit.record(tx, "loket", "system", Audit.RETENTION_RUN, null, new JsonObject()
                                                                .put("asOf", now.toString()).put("retentionDays", config.privacy().retentionDays())
                                                                .put("conversations", run.conversations()).put("callbacks", run.callbacks())
                                                                .put("expiredCallbacks", run.expiredCallbacks())
                                                                .put("loginFailures", run.loginFailures())
                                                                .put("auditEntries", run.auditEntries()))
                                                        .replaceWith(run);
                                            })))));
        }));
    }

    /**
     * Conversations ended before the cutoff, {@link #PURGE_BATCH} to a transaction, until a batch
     * is not full. A repetition, not a chain of chains: a first run over a long backlog (a shorter
     * retention period) would otherwise nest one subscriber per batch.
     */
    private Uni<Integer> purgeConversations(Instant cutoff) {
        AtomicInteger purged = new AtomicInteger();
        return Multi.createBy().repeating()
                .uni(() -> db.tx(tx -> conversations.purgeEndedBefore(tx, cutoff, PURGE_BATCH)).invoke(purged::addAndGet))
                .until(n -> n < PURGE_BATCH)
                .collect().last()
                .replaceWith(purged::get);
    }

    /** A resident's request to be forgotten: one conversation's personal data, now. */
    public Uni<Boolean> forgetConversation(UUID id, String actor) {
        // the account holding that request's claim first, before the conversation and the request (see holderOfConversation)
        return db.tx(tx -> callbacks.holderOfConversation(tx, id).chain(holder -> conversations.forget(tx, id).chain(found -> !found
                ? Uni.createFrom().item(false)
                // and the callback request it was handed off to: the same resident's number and name
                : callbacks.forgetOfConversation(tx, id, holder).chain(n -> Audit.record(tx, actor, "admin", Audit.FORGET_CONVERSATION, id,
                        new JsonObject().put("callbacks", n)).replaceWith(true)))));
    }

    /** Every callback request of a phone number: open ones are cancelled, all lose their personal data. */
    public Uni<Integer> forgetCallbacks(String e164, String actor) {
        return db.tx(tx -> callbacks.forgetPhone(tx, e164).chain(n ->
                Audit.record(tx, actor, "admin", Audit.FORGET_CALLBACKS, null, new JsonObject().put("requests", n)).replaceWith(n)));
    }
}
