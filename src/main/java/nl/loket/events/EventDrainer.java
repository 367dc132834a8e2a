package nl.loket.events;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Drains the outbox to the log ({@code LOKET_EVENTS=none}) or RabbitMQ ({@code rabbitmq}). Rows
 * are taken with SKIP LOCKED, so several nodes drain side by side without sending a row twice;
 * a row is marked sent only after the sink took it, so a crash in between sends it again (at
 * least once). Webhooks have their own drainer, {@link WebhookSender}.
 *
 * <p>A round sends batch after batch while they come back full, for up to {@link #ROUND}: in a
 * surge a few hundred events a second are written (every arrival is one), and one batch a
 * second would leave the consumers further behind with every second of it.
 *
 * <p>A round that fails (the broker or the database unreachable) leaves its events in the outbox
 * for the next; each is counted ({@code loket_failures_total{where="events"}}), and the log gets
 * the first, a line a minute while they go on, and the recovery, not a line every second.
 */
@ApplicationScoped
public class EventDrainer {

    static final int BATCH = 100;

    /** How long one round keeps sending full batches. */
    static final Duration ROUND = Duration.ofMillis(500);

    private final Db db;
    private final EventSink sink;
    private final boolean active;
    private final Failures.Streak failures;

    @Inject
    public EventDrainer(Db db, EventsConfig config, EventLog log, RabbitMqSink rabbitMq, Failures failures) {
        this(db, config.sink() == EventsConfig.Sink.RABBITMQ ? rabbitMq : log, config.sink() != EventsConfig.Sink.WEBHOOK, failures);
    }

    /** Sending to a sink of a test's choosing. */
    EventDrainer(Db db, EventSink sink, boolean active, Failures failures) {
        this.db = db;
        this.failures = failures.streak("events");
        this.sink = sink;
        this.active = active;
    }

    @Scheduled(every = "${loket.events.drain-every:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> drain() {
        if (!active) {
            return Uni.createFrom().voidItem();
        }
        return whileFull(this::drainOnce, BATCH, System.nanoTime() + ROUND.toNanos())
                .invoke(() -> failures.succeeded("Sending domain events works again"))
                .onFailure().invoke(e -> failures.failed(e, "Sending domain events failed; they stay in the outbox and are retried"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Runs {@code batch} again while it returns {@code full} (a full batch: more may wait) and the deadline has not passed. */
    static Uni<Void> whileFull(Supplier<Uni<Integer>> batch, int full, long deadlineNanos) {
        return batch.get().chain(n -> n >= full && System.nanoTime() - deadlineNanos < 0
                ? whileFull(batch, full, deadlineNanos) : Uni.createFrom().voidItem());
    }

    /** Sends one batch; the number sent. */
    public Uni<Integer> drainOnce() {
        return db.tx(tx -> tx.query("select " + OutboxEvent.COLUMNS + " from outbox where sent_at is null order by id "
                        + "limit $1 for update skip locked", Tuple.of(BATCH))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        OutboxEvent event = OutboxEvent.of(r);
                        ids.add(event.id());
                        chain = chain.chain(() -> sink.publish(event));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    // the batch goes out with no statement in between: no bound on this transaction's idle time
                    Uni<Void> sends = chain;
                    return liftIdleBound(tx).chain(() -> sends).chain(() -> tx.query("update outbox set sent_at = now() where id = any($1)",
                            Tuple.of(ids.toArray(new Long[0])))).replaceWith(ids.size());
                }));
    }

    /**
     * Lifts {@code loket.db.idle-in-transaction-timeout} for the rest of this transaction: it waits
     * for a broker or a webhook between two statements, for as long as a slow one takes, and
     * PostgreSQL ending it then would send the same events again and again, never marking them
     * sent. Its locks are the outbox rows it sends (other nodes skip them) or its URL's turn; a node
     * whose machine died gives them up with its connection (TCP keepalive, application.properties).
     */
    static Uni<Void> liftIdleBound(Db.Tx tx) {
        return tx.query("select set_config('idle_in_transaction_session_timeout', '0', true)", Tuple.tuple()).replaceWithVoid();
    }
}
