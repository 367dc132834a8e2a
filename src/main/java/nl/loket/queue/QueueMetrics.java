package nl.loket.queue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Failures;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gauge of queue length per topic (the same on every node, read from the database), every
 * 5 s. A read that fails is counted ({@code loket_failures_total{where="queue-metrics"}}) and
 * logged (the first, once a minute while it goes on, and the recovery); until a read succeeds
 * again every topic's length is NaN, not the last value read: in an outage the queue may
 * be growing, and a number that stands still would say otherwise. {@code
 * loket_queue_length_updated_seconds} is when the lengths were last read (epoch seconds).
 */
@ApplicationScoped
public class QueueMetrics {

    private final MeterRegistry registry;
    private final QueueService queues;
    private final Failures.Streak failures;
    private final Map<String, AtomicInteger> lengths = new ConcurrentHashMap<>();
    /** When the lengths were last read, in epoch seconds; 0 before the first read. */
    private final AtomicLong updated = new AtomicLong();
    /** The last read failed: the lengths are unknown. */
    private volatile boolean unknown;

    public QueueMetrics(MeterRegistry registry, QueueService queues, Failures failures) {
        this.registry = registry;
        this.queues = queues;
        this.failures = failures.streak("queue-metrics");
        Gauge.builder("loket.queue.length.updated.seconds", updated, AtomicLong::doubleValue)
                .description("When loket_queue_length was last read from the database, in epoch seconds; 0 before the first read")
                .register(registry);
    }

    @Scheduled(every = "5s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return queues.snapshot().invoke(snapshot -> {
            snapshot.topics().forEach((topic, load) -> lengths.computeIfAbsent(topic, t -> {
                AtomicInteger value = new AtomicInteger();
                Gauge.builder("loket.queue.length", value, v -> unknown ? Double.NaN : v.get()).tag("topic", t)
                        .description("Conversations waiting in the topic's queue; NaN while they cannot be read").register(registry);
                return value;
            }).set(load.waiting()));
            unknown = false;
            updated.set(Instant.now().getEpochSecond());
            failures.succeeded("Reading the queue lengths for loket_queue_length works again");
        }).onFailure().invoke(e -> {
            unknown = true;
            failures.failed(e, "Reading the queue lengths for loket_queue_length failed; they show NaN until a read succeeds");
        }).onFailure().recoverWithNull().replaceWithVoid();
    }
}
