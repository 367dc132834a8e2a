package nl.loket.resident;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.conversation.Conversations;
import nl.loket.platform.Beat;
import nl.loket.platform.Failures;
import nl.loket.platform.SetMaps;
import nl.loket.platform.Signal;
import nl.loket.queue.OfferPolicy;
import nl.loket.queue.QueueService;
import nl.loket.queue.QueueSnapshot;
import nl.loket.topic.Topic;
import nl.loket.topic.TopicCatalog;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The residents waiting on this node, by topic, and their places in the queue. When a queue
 * moves (a claim, a departure, a transfer; not an arrival, which joins the end and moves
 * nobody), the next tick reads the positions of every local waiting resident of the moved topics
 * in one query, computes the estimate once per topic and hands each resident their place; a
 * resident's connection sends a frame only when what they see changed. When only the estimates
 * change (an agent coming, going or filling a slot), nobody's position moved: the tick hands the
 * residents of the other topics their new estimate at the position they were last told, without
 * a query. The cost of a tick is at most two queries and a few comparisons per waiting resident
 * (the place, and the callback offer's reason with and without a margin), whatever the number
 * of changes.
 *
 * <p>Ticks are at least {@link #TICK_MILLIS} apart, and a change that finds the last tick that
 * long ago is ticked at once: after a lone claim the residents behind it hear their new place
 * without waiting for a fixed beat, and a surge's steady stream of changes is still pushed in
 * batches, five a second.
 *
 * <p>A resident who connects to the node that created their conversation, before anything in
 * the topic moved, is placed where the creation told them ({@link #remember}): a surge's
 * arrivals do not count their queue when they connect.
 */
@ApplicationScoped
public class WaitingRoom {

    /** How often, at most, changed queues are pushed to the residents waiting in them. */
    static final long TICK_MILLIS = 200;
    /** How many residents a tick hands their place to in one go on its event loop. */
    static final int SLICE = 200;
    /**
     * How often, at least, every waiting resident's estimate and offer are worked out again
     * though nothing was signalled: an offer's reason can start to hold with time alone (the topic
     * closes, or will before they are served; a capacity flag runs out). A resident hears only
     * what changed, so a quiet queue costs one comparison per resident.
     */
    static final long REESTIMATE_MILLIS = 5000;

    /**
     * Where a waiting resident stands: position, estimated wait (null: unknown), the callback
     * offer's reason (or null), and the reason there would be with a quarter more wait
     * ({@link nl.loket.queue.OfferPolicy#withMargin}): an offer told stays while that is its reason.
     */
    public record Place(int position, Integer estimatedWaitSeconds, String offer, String offerLoosely) {
    }

    private final Conversations conversations;
    private final QueueService queues;
    private final TopicCatalog topics;
    private final Failures failures;
    private final Vertx vertx;
    private final ConcurrentHashMap<String, Set<ResidentSession>> waiting = new ConcurrentHashMap<>();
    /** Where each waiting resident of this node stands, as they were last placed. */
    private final ConcurrentHashMap<ResidentSession, Seat> seats = new ConcurrentHashMap<>();
    /** Topics whose queue moved: their positions are read again. */
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    /** Every topic's positions are read again (topics edited, or signals perhaps missed). */
    private final AtomicBoolean allDirty = new AtomicBoolean();
    /** Every topic's estimates and offers changed, not its positions. */
    private final AtomicBoolean estimatesDirty = new AtomicBoolean();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final Beat beat;
    private final AtomicLong heard = new AtomicLong();
    /** Per topic, how many changes that can move a waiting resident this node has heard of (arrivals do not). */
    private final ConcurrentHashMap<String, Long> moves = new ConcurrentHashMap<>();
    /** Places told at creation on this node, kept for the resident's first connect. */
    private final ConcurrentHashMap<UUID, Fresh> fresh = new ConcurrentHashMap<>();
    private long freshSweptAt = System.nanoTime();
    private long timer = -1;
    private long reestimatedAt = System.nanoTime();

    /** How long a place told at creation waits for its resident's first connect. */
    static final long FRESH_NANOS = 60_000_000_000L;

    /**
     * A place told at creation: valid while the topic's {@code moves} are unchanged.
     * {@code changes} is {@link #changes()} as it was before the statement that read the place.
     */
    record Fresh(String topic, int position, long moves, long changes, long atNanos) {
    }

    /** What {@link #remember} needs, sampled before the statement that reads the place. */
    record BeforeCount(String topic, long moves, long changes) {
    }

    /** A waiting resident's topic and the position they were last placed at. */
    private record Seat(String topic, int position) {
    }

    public WaitingRoom(Conversations conversations, QueueService queues, TopicCatalog topics, Failures failures, Vertx vertx) {
        this.conversations = conversations;
        this.queues = queues;
        this.topics = topics;
        this.failures = failures;
        this.vertx = vertx;
        this.beat = new Beat(vertx, TICK_MILLIS, this::tick);
    }

    void start(@Observes StartupEvent event) {
        timer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(timer);
    }

    void onSignal(@Observes Signal signal) {
        if (signal instanceof Signal.Queue q) {
            if (!q.arrival()) {
                // an arrival joins the end: nobody waiting moves, and the newcomer is told at connect
                heard.incrementAndGet(); // before the topic is dirtied: see place()
                moves.merge(q.topic(), 1L, Long::sum);
                dirty.add(q.topic());
                beat.soon();
            }
        } else if (signal instanceof Signal.Agent) {
            // agents coming, going or filling up change every topic's estimate and offers, and move nobody
            heard.incrementAndGet();
            estimatesDirty.set(true);
            beat.soon();
        } else if (signal instanceof Signal.Topics || signal instanceof Signal.Resync) {
            // topics edited, or signals perhaps missed: no place counted or told before is trusted
            heard.incrementAndGet();
            fresh.clear();
            allDirty.set(true);
            beat.soon();
        }
    }

    /** Sampled just before a conversation is created in the topic (see {@link #remember}). */
    BeforeCount beforeCount(String topic) {
        return new BeforeCount(topic, moves.getOrDefault(topic, 0L), changes());
    }

    /** The creation told this place for the conversation; its resident's first connect here may use it. */
    void remember(UUID conversationId, BeforeCount before, int position) {
        fresh.put(conversationId, new Fresh(before.topic(), position, before.moves(), before.changes(), System.nanoTime()));
    }

    /**
     * The place told at creation, once, if nothing in its topic moved since; else null (the
     * caller counts). A move signalled after this check is caught by {@link #place}'s comparison
     * of {@link #changes()}, or by the tick it causes.
     */
    Fresh fresh(UUID conversationId) {
        Fresh f = fresh.remove(conversationId);
        return f != null && moves.getOrDefault(f.topic(), 0L) == f.moves() ? f : null;
    }

    /**
     * Changes heard so far that can move a waiting resident or change what they are told: taken
     * before reading a position, handed to {@link #place}. Counted here, before the topic is
     * marked for the tick, so a change is either seen by {@code place} or ticked after the
     * resident entered, never neither.
     */
    long changes() {
        return heard.get();
    }

    /**
     * The resident waits in the topic at the given position, read after {@code changesBefore}
     * (from {@link #changes}): their place now (estimate and offer included). A change signalled
     * since the read began may have been ticked before the resident was here to hear it, so the
     * topic is looked at again on the next tick.
     */
    Uni<Place> place(ResidentSession session, String topic, int position, long changesBefore) {
        enter(session, topic, position);
        if (!session.connection().isOpen()) {
            // closed while its read ran: its close has left already (the connection is closed before that), so
            // nobody else takes it out, and every tick would go on placing a socket that is gone
            left(session);
        }
        if (heard.get() != changesBefore) {
            dirty.add(topic);
            beat.soon();
        }
        return Uni.combine().all().unis(queues.snapshot(), topics.find(topic)).asTuple()
                .map(t -> place(t.getItem2(), t.getItem1(), position, Instant.now()));
    }

    /** The resident no longer waits here (served, gone, or disconnected). */
    void left(ResidentSession session) {
        Seat seat = seats.remove(session);
        if (seat != null) {
            SetMaps.remove(waiting, seat.topic(), session);
        }
    }

    int waitingHere() {
        return seats.size();
    }

    private void enter(ResidentSession session, String topic, int position) {
        Seat before = seats.put(session, new Seat(topic, position));
        if (before != null && !before.topic().equals(topic)) {
            SetMaps.remove(waiting, before.topic(), session);
        }
        SetMaps.add(waiting, topic, session);
    }

    private Place place(Optional<Topic> topic, QueueSnapshot snapshot, int position, Instant now) {
        return placeMaker(topic, snapshot, now).place(position);
    }

    /** Places whose resident never connected here (another node, or gone) are forgotten after a minute. */
    private void sweepFresh() {
        long now = System.nanoTime();
        if (now - freshSweptAt > FRESH_NANOS / 6 && !fresh.isEmpty()) {
            freshSweptAt = now;
            fresh.values().removeIf(f -> now - f.atNanos() > FRESH_NANOS);
        }
    }

    /** A topic's estimate and offer, worked out once, for any position in its queue. */
    private record PlaceMaker(IntFunction<Integer> estimates, Function<Integer, String> offers) {
        Place place(int position) {
            Integer ewt = estimates.apply(position);
            return new Place(position, ewt, offers.apply(ewt), offers.apply(OfferPolicy.withMargin(ewt)));
        }
    }

    private PlaceMaker placeMaker(Optional<Topic> topic, QueueSnapshot snapshot, Instant now) {
        QueueSnapshot.TopicLoad load = snapshot.topic(topic.map(Topic::id).orElse(""));
        return new PlaceMaker(load.estimates(), topic.<Function<Integer, String>>map(
                t -> topics.offers(t, load, now)).orElse(ewt -> null));
    }

    private void tick() {
        sweepFresh();
        if (System.nanoTime() - reestimatedAt > REESTIMATE_MILLIS * 1_000_000) {
            reestimatedAt = System.nanoTime();
            estimatesDirty.set(true);
        }
        if ((dirty.isEmpty() && !allDirty.get() && !estimatesDirty.get()) || waiting.isEmpty()) {
            return;
        }
        if (!beat.due() || !ticking.compareAndSet(false, true)) {
            return; // the last tick was a moment ago (this one is scheduled), or runs (and calls soon() when done)
        }
        beat.began();
        Set<String> moved = new HashSet<>();
        if (allDirty.getAndSet(false)) {
            dirty.clear();
            moved.addAll(waiting.keySet());
        } else {
            for (String t : List.copyOf(dirty)) {
                dirty.remove(t);
                if (waiting.containsKey(t)) {
                    moved.add(t);
                }
            }
        }
        Set<String> reestimated = new HashSet<>();
        if (estimatesDirty.getAndSet(false)) {
            waiting.keySet().stream().filter(t -> !moved.contains(t)).forEach(reestimated::add);
        }
        List<ResidentSession> toRead = new ArrayList<>();
        moved.forEach(t -> toRead.addAll(waiting.getOrDefault(t, Set.of())));
        List<ResidentSession> toEstimate = new ArrayList<>();
        reestimated.forEach(t -> toEstimate.addAll(waiting.getOrDefault(t, Set.of())));
        if (toRead.isEmpty() && toEstimate.isEmpty()) {
            done();
            return;
        }
        Uni<Map<UUID, Integer>> read = toRead.isEmpty() ? Uni.createFrom().item(Map.of())
                : conversations.positions(List.copyOf(moved), toRead.stream().map(ResidentSession::conversationId).toList());
        Uni.combine().all().unis(read, queues.snapshot(), topics.topics()).asTuple()
                .subscribe().with(t -> {
                    List<ResidentSession> to = new ArrayList<>(toRead.size() + toEstimate.size());
                    List<Place> places = new ArrayList<>(toRead.size() + toEstimate.size());
                    try {
                        if (!queues.estimatesCurrent(t.getItem2())) {
                            tickAgain(moved, reestimated); // the estimate came from before the last change
                        }
                        Map<UUID, Integer> positions = t.getItem1();
                        Instant now = Instant.now();
                        // the estimate and the offer's reasons once per topic; per resident only their position
                        Map<String, PlaceMaker> makers = new HashMap<>();
                        Function<String, PlaceMaker> maker = topic -> makers.computeIfAbsent(topic,
                                k -> placeMaker(Optional.ofNullable(t.getItem3().get(k)), t.getItem2(), now));
                        for (ResidentSession s : toRead) {
                            Integer position = positions.get(s.conversationId());
                            Seat seat = position == null ? null
                                    : seats.computeIfPresent(s, (k, before) -> new Seat(before.topic(), position));
                            if (seat != null) {
                                to.add(s);
                                places.add(maker.apply(seat.topic()).place(position));
                            }
                        }
                        for (ResidentSession s : toEstimate) {
                            Seat seat = seats.get(s);
                            if (seat != null && reestimated.contains(seat.topic())) {
                                to.add(s);
                                places.add(maker.apply(seat.topic()).place(seat.position()));
                            }
                        }
                    } catch (RuntimeException e) {
                        retryNextTick(moved, reestimated, e);
                        return;
                    }
                    hand(to, places, 0);
                }, e -> retryNextTick(moved, reestimated, e));
    }

    /** Working out places failed: the topics of this tick are ticked again, and the failure is logged and counted. */
    private void retryNextTick(Set<String> moved, Set<String> reestimated, Throwable e) {
        tickAgain(moved, reestimated);
        done();
        failures.record("queue-positions", e, "Pushing queue positions failed; the next tick retries");
    }

    /**
     * Hands the places to their residents {@link #SLICE} at a time, each slice a task of its own
     * on this event loop: a tick for thousands of residents does not hold up the chats whose
     * frames this event loop carries too.
     */
    private void hand(List<ResidentSession> to, List<Place> places, int from) {
        int end = Math.min(from + SLICE, to.size());
        try {
            for (int i = from; i < end; i++) {
                to.get(i).place(places.get(i));
            }
        } catch (RuntimeException e) {
            allDirty.set(true); // the rest of this tick's residents are not told: everyone again
            done();
            failures.record("queue-positions", e, "Pushing queue positions failed; the next tick retries");
            return;
        }
        if (end < to.size()) {
            vertx.runOnContext(v -> hand(to, places, end));
        } else {
            done();
        }
    }

    /** This tick's topics are ticked again at the next turn: their positions read, their estimates worked out. */
    private void tickAgain(Set<String> moved, Set<String> reestimated) {
        moved.forEach(dirty::add);
        if (!reestimated.isEmpty()) {
            estimatesDirty.set(true);
        }
    }

    /** A tick is over: changes heard while it ran are ticked at the next turn. */
    private void done() {
        ticking.set(false);
        if (!dirty.isEmpty() || allDirty.get() || estimatesDirty.get()) {
            beat.soon();
        }
    }
}
