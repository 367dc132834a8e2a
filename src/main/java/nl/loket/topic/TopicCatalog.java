package nl.loket.topic;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Signal;
import nl.loket.config.LoketConfig;
import nl.loket.queue.OfferPolicy;
import nl.loket.queue.QueueSnapshot;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.function.Function;

/**
 * The topics with their opening hours, read at most every few seconds (every waiting resident
 * asks on every queue change), and the questions asked of them: open now? until when? offer a
 * callback?
 */
@ApplicationScoped
public class TopicCatalog {

    private static final long TTL_NANOS = 5_000_000_000L;

    private final TopicRepository repository;
    private final LoketConfig config;
    private volatile Uni<Map<String, Topic>> cached;
    private volatile long cachedAt;

    public TopicCatalog(TopicRepository repository, LoketConfig config) {
        this.repository = repository;
        this.config = config;
    }

    public Uni<Map<String, Topic>> topics() {
        Uni<Map<String, Topic>> c = cached;
        if (c != null && System.nanoTime() - cachedAt < TTL_NANOS) {
            return c;
        }
        Uni<Map<String, Topic>> fresh = repository.all()
                .map(list -> list.stream().collect(Collectors.toMap(Topic::id, Function.identity())))
                .memoize().indefinitely();
        cached = fresh;
        cachedAt = System.nanoTime();
        return fresh;
    }

    /** A topic created since the last read is found at once: a miss reads the table again. */
    /**
     * Nothing when {@code id} is null or a topic; else a field error on {@code topic}, so that a
     * filter with a typo is refused rather than answered with nothing found.
     */
    public Uni<Void> requireKnown(String id) {
        if (id == null) {
            return Uni.createFrom().voidItem();
        }
        return find(id).map(found -> {
            if (found.isEmpty()) {
                throw nl.loket.platform.ValidationException.of("topic", "onbekend onderwerp / unknown topic");
            }
            return null;
        });
    }

    public Uni<Optional<Topic>> find(String id) {
        return topics().chain(all -> {
            if (all.containsKey(id)) {
                return Uni.createFrom().item(Optional.of(all.get(id)));
            }
            invalidate();
            return topics().map(fresh -> Optional.ofNullable(fresh.get(id)));
        });
    }

    public Uni<List<Topic>> ordered() {
        return topics().map(all -> all.values().stream()
                .sorted((a, b) -> a.sortOrder() != b.sortOrder() ? Integer.compare(a.sortOrder(), b.sortOrder()) : a.id().compareTo(b.id()))
                .toList());
    }

    public void invalidate() {
        cached = null;
    }

    void onTopicsChanged(@Observes Signal.Topics changed) {
        invalidate();
    }

    /** The listener reconnected or this node (re)registered: a change may have gone unheard. */
    void onResync(@Observes Signal.Resync resync) {
        invalidate();
    }

    /** Open now? A closed date wins over LOKET_ALWAYS_OPEN: an administrator closing a day means closed. */
    public boolean isOpen(Topic topic, Instant at) {
        if (topic.hours().closedDay(at)) {
            return false;
        }
        return config.alwaysOpen() || topic.hours().isOpen(at);
    }

    /** When a topic that is closed at {@code at} opens next; empty when not within two weeks. */
    public Optional<Instant> nextOpenAt(Topic topic, Instant at) {
        return config.alwaysOpen() ? topic.hours().nextOpenDay(at) : topic.hours().nextOpening(at);
    }

    /** Why a resident waiting at {@code position} should be offered a callback now, or null. */
    public String offerReason(Topic topic, QueueSnapshot.TopicLoad load, Integer ewt, Instant now) {
        return offers(topic, load, now).apply(ewt);
    }

    /**
     * {@link #offerReason} for many residents of one topic: the opening hours are looked at once,
     * the answer per resident depends only on their estimate.
     */
    public Function<Integer, String> offers(Topic topic, QueueSnapshot.TopicLoad load, Instant now) {
        Instant openUntil = topic.hours().closingTime(now).orElse(null);
        boolean aroundTheClock = config.alwaysOpen() && !topic.hours().closedDay(now);
        boolean capacityShort = load.capacityShort();
        int threshold = topic.callbackThresholdSeconds();
        return ewt -> OfferPolicy.reason(now, aroundTheClock, openUntil, capacityShort, ewt, threshold);
    }
}
