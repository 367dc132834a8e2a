package nl.loket.queue;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The gauge of queue length per topic (the same on every node, read from the database). */
@ApplicationScoped
public class QueueMetrics {

    private final MeterRegistry registry;
    private final QueueService queues;
    private final Map<String, AtomicInteger> lengths = new ConcurrentHashMap<>();

    public QueueMetrics(MeterRegistry registry, QueueService queues) {
        this.registry = registry;
        this.queues = queues;
    }

    @Scheduled(every = "5s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return queues.snapshot().invoke(snapshot -> snapshot.topics().forEach((topic, load) ->
                lengths.computeIfAbsent(topic, t -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge.builder("loket.queue.length", value, AtomicInteger::get).tag("topic", t)
                            .description("Conversations waiting in the topic's queue").register(registry);
                    return value;
                }).set(load.waiting()))).replaceWithVoid();
    }
}
