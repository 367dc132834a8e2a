package nl.loket.conversation;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import nl.loket.conversation.ConversationRepository.Scope;
import nl.loket.conversation.ConversationRepository.SweepKind;
import nl.loket.platform.Failures;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The timed moves: grace periods of residents and agents who went away, and inactivity. Every
 * node sweeps; each sweep is a guarded update, so a move happens once whichever node gets there
 * first, and keeps happening while any node is alive.
 *
 * <p>Each sweep has a schedule of its own: they ran as one chain, and a sweep that failed or
 * hung (a lock wait up to its bound, a slow statement) held up the ones after it on that node,
 * every second (SweepsApartTest). A sweep skips the conversations another transaction holds
 * (ConversationRepository) and takes them a second later. A failure is counted under the
 * sweep's own name ({@code loket_failures_total{where="sweep-residents"|"sweep-agents"|"sweep-inactive"}})
 * and logged as a streak (the first, once a minute while it goes on, the recovery); when each
 * ended well is {@code loket_sweep_last_success_seconds{sweep}}: a sweep that hangs fails nothing
 * until its bound, and only the age of its last success shows it.
 *
 * <p>A sweep moves its rows in one transaction. One row that PostgreSQL refuses to move (a
 * constraint or a trigger that an operator's repair broke, a row that a later migration no longer
 * accepts) failed that transaction every second, and with it every other conversation of the
 * sweep: no gone resident's conversation was abandoned any more. So when the batch is refused, the
 * due rows are moved one by one, each in its own transaction; a row that fails alone is held back
 * (counted under the sweep's name, logged by the conversation's id only), left out of the batches
 * and tried again by itself every {@code loket.cluster.sweep-retry} (60 s) until it moves or is no
 * longer due ({@code loket_sweep_held_back{sweep}}: how many this node holds back). Every failed try
 * is counted; the log gets the row's first failure at WARN with its reason (the exception's class,
 * SQLSTATE and constraint, never its message, which may quote the row), the later tries failing
 * for the same reason at DEBUG, a WARN again when the reason changes, and an INFO when the row
 * moves or is no longer due: a row held for a day wrote a WARN a minute on every node. The holding
 * back is this node's memory only, and only saves work: another node, or this one after a
 * restart, finds the row by failing a batch once. When every row fails alike, it is not a row's
 * fault (a broken grant, the database away): the run fails as a whole, as before, and nothing is
 * held back.
 */
@ApplicationScoped
public class Sweeps {

    private final Conversations conversations;
    private final LoketConfig config;
    private final Failures failures;
    private final Sweep residents;
    private final Sweep agents;
    private final Sweep inactive;

    public Sweeps(Conversations conversations, LoketConfig config, Failures failures, MeterRegistry registry) {
        this.conversations = conversations;
        this.config = config;
        this.failures = failures;
        Duration retry = config.cluster().sweepRetry();
        this.residents = new Sweep("residents", "Sweeping the conversations of gone waiting residents", retry, failures, registry);
        this.agents = new Sweep("agents", "Sweeping the conversations of gone agents", retry, failures, registry);
        this.inactive = new Sweep("inactive", "Sweeping the silent conversations", retry, failures, registry);
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepResidents() {
        Duration grace = config.grace().resident();
        return residents.run(scope -> conversations.abandonGoneResidents(grace, scope),
                held -> conversations.due(SweepKind.ABANDON, grace, held, Sweep.ONE_BY_ONE));
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepAgents() {
        Duration grace = config.grace().agent();
        return agents.run(scope -> conversations.requeueFromGoneAgents(grace, scope),
                held -> conversations.due(SweepKind.REQUEUE, grace, held, Sweep.ONE_BY_ONE));
    }

    @Scheduled(every = "${loket.cluster.sweep:1s}", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweepInactive() {
        Duration inactivity = config.grace().inactivity();
        return inactive.run(scope -> conversations.closeInactive(inactivity, scope),
                held -> conversations.due(SweepKind.TIME_OUT, inactivity, held, Sweep.ONE_BY_ONE));
    }

    /**
     * A safety net for the places told at a start: each topic's kept queue length (V36) is
     * checked against a count of its waiting conversations. The triggers keep it exact, so a drift
     * means something wrote around them (an operator's repair); it is set right, logged and
     * counted ({@code loket_failures_total{where="queue-length"}}). A recount that fails is
     * counted apart ({@code where="queue-recount"}).
     */
    @Scheduled(every = "60s", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> recount() {
        return conversations.recountQueues((topic, drift) -> failures.record("queue-length", null,
                        "The queue length of topic %s was off by %d; set to the count", topic, drift))
                .onFailure().invoke(e -> failures.record("queue-recount", e, "Recounting the queue lengths failed; the next one retries"))
                .onFailure().recoverWithNull();
    }

    /** One sweep's failures, last success and the rows it holds back. */
    private static final class Sweep {

        /** The most rows moved one by one in a run after its batch failed; the rest go with the next batch. */
        static final int ONE_BY_ONE = 200;

        private final String what;
        private final Duration retry;
        private final Failures failures;
        private final String where;
        private final Failures.Streak streak;
        /** When this node's last run of the sweep ended without failing, in epoch seconds; 0 before the first. */
        private final AtomicLong lastSuccess = new AtomicLong();
        /** The rows that failed alone, with when each is tried again and why it failed last; touched by the sweep's run only. */
        private final Map<UUID, Held> held = new ConcurrentHashMap<>();

        Sweep(String name, String what, Duration retry, Failures failures, MeterRegistry registry) {
            this.what = what;
            this.retry = retry;
            this.failures = failures;
            this.where = "sweep-" + name;
            this.streak = failures.streak(where);
            Gauge.builder("loket.sweep.last.success.seconds", lastSuccess, AtomicLong::doubleValue)
                    .tag("sweep", name)
                    .description("When this node's last run of a sweep (residents, agents, inactive, dead-nodes) ended without failing, "
                            + "in epoch seconds; 0 before the first")
                    .register(registry);
            Gauge.builder("loket.sweep.held.back", held, Map::size)
                    .tag("sweep", name)
                    .description("Conversations this node's sweep could not move alone and tries again later by themselves")
                    .register(registry);
        }

        /**
         * One run: the held-back rows that are due for another try, each alone; then the batch of
         * the others; if PostgreSQL refuses the batch, its rows one by one.
         *
         * @param move moves the due rows of a scope in one transaction
         * @param due  the ids of the due rows but for those given, read without a lock
         */
        Uni<Void> run(Function<Scope, Uni<Integer>> move, Function<List<UUID>, Uni<List<UUID>>> due) {
            return Uni.createFrom().deferred(() -> retryHeld(move)
                            .chain(() -> move.apply(Scope.allBut(held.keySet())))
                            .onFailure(PgException.class).recoverWithUni(refused -> oneByOne(move, due, refused)))
                    .invoke(moved -> {
                        lastSuccess.set(Instant.now().getEpochSecond());
                        streak.succeeded("%s works again", what);
                    })
                    .onFailure().invoke(e -> streak.failed(e, "%s failed; the next run retries", what))
                    .onFailure().recoverWithNull()
                    .replaceWithVoid();
        }

        /** The held-back rows whose time has come, each alone; a failure other than a refusal fails the run. */
        private Uni<Void> retryHeld(Function<Scope, Uni<Integer>> move) {
            long now = System.nanoTime();
            List<UUID> due = held.entrySet().stream().filter(e -> now - e.getValue().nextTry() >= 0).map(Map.Entry::getKey).toList();
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (UUID id : due) {
                chain = chain.chain(() -> move.apply(Scope.only(id))
                        .invoke(moved -> {
                            // moved, or no longer due (moved by another node, repaired and moved on): not held any more
                            held.remove(id);
                            if (moved > 0) {
                                Log.infof("%s: conversation %s, held back, is moved now", what, id);
                            } else {
                                Log.infof("%s: conversation %s is no longer held back: it is no longer due (moved by another node, "
                                        + "or changed)", what, id);
                            }
                        })
                        .replaceWithVoid()
                        .onFailure(PgException.class).recoverWithItem(e -> {
                            hold(id, e);
                            return null;
                        }));
            }
            return chain;
        }

        /**
         * After the batch was refused: its rows (at most {@link #ONE_BY_ONE}) each in a
         * transaction of its own; those that fail alone are held back. When every one of several
         * fails, the cause is not a row: the run fails with the batch's failure.
         */
        private Uni<Integer> oneByOne(Function<Scope, Uni<Integer>> move, Function<List<UUID>, Uni<List<UUID>>> due,
                                      Throwable batchFailure) {
            return due.apply(List.copyOf(held.keySet())).chain(ids -> {
                List<UUID> refused = new ArrayList<>();
                Map<UUID, Throwable> why = new ConcurrentHashMap<>();
                AtomicLong moved = new AtomicLong();
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (UUID id : ids) {
                    chain = chain.chain(() -> move.apply(Scope.only(id))
                            .invoke(n -> moved.addAndGet(n))
                            .replaceWithVoid()
                            .onFailure(PgException.class).recoverWithItem(e -> {
                                refused.add(id);
                                why.put(id, e);
                                return null;
                            }));
                }
                return chain.map(done -> {
                    if (refused.size() > 1 && refused.size() == ids.size()) {
                        throw batchFailure instanceof RuntimeException r ? r : new IllegalStateException(batchFailure);
                    }
                    refused.forEach(id -> hold(id, why.get(id)));
                    return (int) moved.get();
                });
            });
        }

        /**
         * A row that failed alone: counted, and left out of the batches until its next try. Logged
         * by its id and the failure's reason only: at WARN the first time and when the reason
         * changes, at DEBUG while it stays the same.
         */
        private void hold(UUID id, Throwable failure) {
            String reason = reason(failure);
            Held before = held.put(id, new Held(System.nanoTime() + retry.toNanos(), reason));
            failures.counter(where).increment();
            if (before == null) {
                Log.warnf("%s: conversation %s could not be moved (%s) and is held back; the others are moved, it is tried "
                        + "again by itself every %d s (later failures for the same reason at DEBUG)", what, id, reason,
                        retry.toSeconds());
            } else if (!reason.equals(before.reason())) {
                Log.warnf("%s: conversation %s, held back, still could not be moved, now for another reason (%s; was %s); "
                        + "tried again in %d s", what, id, reason, before.reason(), retry.toSeconds());
            } else {
                Log.debugf("%s: conversation %s, held back, still could not be moved (%s); tried again in %d s", what, id,
                        reason, retry.toSeconds());
            }
        }

        /** The failure's class, SQLSTATE and constraint: never its message, which may quote the row. */
        static String reason(Throwable failure) {
            String reason = failure.getClass().getSimpleName();
            if (failure instanceof PgException pg) {
                reason += " " + pg.getSqlState();
                if (pg.getConstraint() != null) {
                    reason += " constraint " + pg.getConstraint();
                }
            }
            return reason;
        }
    }

    /** A row held back: when it is tried again (System.nanoTime) and the reason of its last failure. */
    private record Held(long nextTry, String reason) {
    }
}
