package nl.loket.queue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Signal;
import nl.loket.platform.Db;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Reads queue lengths, positions and agent capacity; the basis of boards and wait estimates. */
@ApplicationScoped
public class QueueService {

    /** Average handle time assumed before a topic has any closed conversation in the last week. */
    public static final double DEFAULT_HANDLE_SECONDS = 300;

    /** How many recent conversations per topic make up the average handle time. */
    static final int HANDLE_TIME_SAMPLE = 50;

    private static final String SNAPSHOT = """
            with live_agents as (
                select id, max_concurrent, topics, held as active from agent_status where available
            ),
            away_agents as (
                select topics from agent_status where active and online and chosen_status = 'away'
            )
            select t.id,
                   coalesce((select q.waiting::bigint from queue_length q where q.topic = t.id), 0) as waiting,
                   -- the longest current wait: from queued_at, or from requeued_at for one that came back (V40)
                   least((select min(c.queued_at) from conversation c
                          where c.topic = t.id and c.state = 'queued' and c.requeued_at is null),
                         (select min(c.requeued_at) from conversation c
                          where c.topic = t.id and c.state = 'queued' and c.requeued_at is not null)) as waiting_since,
                   -- handle time: the time agents held each (its assignments summed, V44), not a wait in between
                   (select avg(r.handled) from (
                        select (select extract(epoch from sum(coalesce(a.ended_at, h.closed_at) - a.assigned_at))
                                from assignment a where a.conversation_id = h.id) as handled
                        from conversation h
                        where h.topic = t.id and h.state = 'closed' and h.assigned_at is not null
                          and h.closed_at > now() - interval '7 days'
                        order by h.closed_at desc limit $1) r) as aht,
                   coalesce((select array_agg(a.max_concurrent) from live_agents a where t.id = any(a.topics)), '{}') as slots,
                   coalesce((select array_agg(a.active) from live_agents a where t.id = any(a.topics)), '{}') as actives,
                   (select count(*) from away_agents a where t.id = any(a.topics)) as away,
                   exists (select 1 from capacity_flag f where f.topic = t.id and f.short
                           and (f.until is null or f.until > now())) as capacity_short,
                   (select count(*) from callback_request r where r.topic = t.id and r.state = 'open'
                    and (r.next_attempt_at is null or r.next_attempt_at <= now())) as callbacks_open,
                   now() as at
            from topic t
            order by t.sort_order, t.id collate "C"
            """;

    /** A snapshot younger than this is shared even when something changed since: a surge must not read per arrival. */
    static final long MIN_AGE_NANOS = 100_000_000L;
    /** A snapshot older than this is read again even when no change was signalled (waits grow, flags expire). */
    static final long MAX_AGE_NANOS = 1_000_000_000L;

    private final Db db;
    private volatile Uni<QueueSnapshot> cached;
    private volatile long cachedAtNanos;
    private volatile boolean stale = true;
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();
    /** Changes other than arrivals: those that can move a waiting resident or change an estimate. */
    private final java.util.concurrent.atomic.AtomicLong estimateGeneration = new java.util.concurrent.atomic.AtomicLong();
    /** Per topic, the changes of its callback list signalled to this node (see {@link QueueSnapshot#callbackChanges}). */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> callbackChanges = new java.util.concurrent.ConcurrentHashMap<>();
    /** The times this node may have missed signals (its listener was down): every callback list may have changed. */
    private final java.util.concurrent.atomic.AtomicLong callbackResyncs = new java.util.concurrent.atomic.AtomicLong();

    public QueueService(Db db) {
        this.db = db;
    }

    /**
     * The current snapshot, shared by every reader: read again when a queue, agent or callback
     * changed (at most every tenth of a second) or when it is a second old.
     */
    public Uni<QueueSnapshot> snapshot() {
        long now = System.nanoTime();
        Uni<QueueSnapshot> c = cached;
        long age = now - cachedAtNanos;
        if (c != null && (age < MIN_AGE_NANOS || (!stale && age < MAX_AGE_NANOS))) {
            return c;
        }
        stale = false;
        Uni<QueueSnapshot> fresh = read().onFailure().invoke(() -> stale = true).memoize().indefinitely();
        cached = fresh;
        cachedAtNanos = now;
        return fresh;
    }

    /** Something changed that the next reader must see. */
    public void invalidate() {
        estimateGeneration.incrementAndGet();
        arrived();
    }

    /** A conversation joined the end of a queue: the counts change, no position or estimate does. */
    private void arrived() {
        generation.incrementAndGet();
        stale = true;
    }

    /**
     * Whether no change was signalled since the snapshot was read. A reader that got a shared,
     * older snapshot (see {@link #MIN_AGE_NANOS}) must look again on its next tick.
     */
    public boolean current(QueueSnapshot snapshot) {
        return snapshot.generation() == generation.get();
    }

    /**
     * Whether no change but arrivals was signalled since the snapshot was read: its estimates
     * still hold. During a surge arrivals come every few milliseconds; a waiting room that asked
     * {@link #current} would never be done.
     */
    public boolean estimatesCurrent(QueueSnapshot snapshot) {
        return snapshot.estimateGeneration() == estimateGeneration.get();
    }

    void onSignal(@Observes Signal signal) {
        // counted before the snapshot is marked stale: a snapshot read after it carries the count
        if (signal instanceof Signal.Callbacks c) {
            callbackChanges.computeIfAbsent(c.topic(), t -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
        } else if (signal instanceof Signal.Resync) {
            callbackResyncs.incrementAndGet();
        }
        if (signal instanceof Signal.Queue q && q.arrival()) {
            arrived();
        } else if (signal instanceof Signal.Queue || signal instanceof Signal.Agent || signal instanceof Signal.Callbacks
                || signal instanceof Signal.Topics || signal instanceof Signal.Resync) {
            invalidate();
        }
    }

    private Uni<QueueSnapshot> read() {
        long before = generation.get();
        long estimatesBefore = estimateGeneration.get();
        long resyncsBefore = callbackResyncs.get();
        Map<String, Long> changesBefore = new HashMap<>();
        callbackChanges.forEach((topic, n) -> changesBefore.put(topic, n.get()));
        return db.query(SNAPSHOT, Tuple.of(HANDLE_TIME_SAMPLE)).map(rows -> {
            // in the administrator's order (sort order, then id): the boards list topics as the snapshot does
            Map<String, QueueSnapshot.TopicLoad> topics = new java.util.LinkedHashMap<>();
            Instant at = Instant.now();
            for (Row r : rows) {
                at = r.getOffsetDateTime("at").toInstant();
                Integer[] slots = r.getArrayOfIntegers("slots");
                Integer[] actives = r.getArrayOfIntegers("actives");
                List<WaitEstimate.Agent> agents = new ArrayList<>();
                for (int i = 0; i < slots.length; i++) {
                    agents.add(new WaitEstimate.Agent(slots[i], actives[i]));
                }
                Double aht = r.getDouble("aht");
                OffsetDateTime since = r.getOffsetDateTime("waiting_since");
                // the head's wait on the database's clock, which set queued_at: free slots nobody took (WaitEstimate)
                boolean idle = since != null && WaitEstimate.freeSlotsIdle(
                        Math.max(0, at.getEpochSecond() - since.toInstant().getEpochSecond()));
                topics.put(r.getString("id"), new QueueSnapshot.TopicLoad(r.getString("id"), r.getLong("waiting").intValue(),
                        since == null ? null : since.toInstant(), List.copyOf(agents),
                        aht == null ? DEFAULT_HANDLE_SECONDS : aht, r.getBoolean("capacity_short"),
                        r.getLong("callbacks_open").intValue(), r.getLong("away").intValue(),
                        (int) agents.stream().filter(a -> a.active() >= a.maxConcurrent()).count(), idle));
            }
            return new QueueSnapshot(at, java.util.Collections.unmodifiableMap(topics), before, estimatesBefore, Map.copyOf(changesBefore), resyncsBefore);
        });
    }
}
