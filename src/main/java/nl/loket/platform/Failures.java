package nl.loket.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Unexpected failures are never silent: each is logged at WARN (with ids only — never message
 * text, names, phone numbers or tokens) and counted in {@code loket_failures_total{where}}.
 */
@ApplicationScoped
public class Failures {

    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

    public Failures(MeterRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param where  a short stable name of the path that failed ("resident-socket", "delivery", …)
     * @param format a message with ids only; formatted with {@code args}
     */
    public void record(String where, Throwable failure, String format, Object... args) {
        counter(where).increment();
        Log.warnf(failure, format, args);
    }

    public Counter counter(String where) {
        return counters.computeIfAbsent(where, w -> Counter.builder("loket.failures").tag("where", w)
                .description("Unexpected failures, by the path they happened on").register(registry));
    }
}
