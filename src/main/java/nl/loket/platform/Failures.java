package nl.loket.platform;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
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

    /**
     * A failure that repeats for as long as its cause lasts (a webhook receiver down, the broker
     * gone, the database unreachable): see {@link Streak}.
     */
    public Streak streak(String where) {
        return new Streak(where, Streak.QUIET);
    }

    Streak streak(String where, Duration quiet) {
        return new Streak(where, quiet);
    }

    public Counter counter(String where) {
        return counters.computeIfAbsent(where, w -> Counter.builder("loket.failures").tag("where", w)
                .description("Unexpected failures, by the path they happened on").register(registry));
    }

    /**
     * The failures of one path that repeat while their cause lasts. Every one is counted, like
     * {@link #record}; the log gets the first (at WARN, with its stack trace), then at most one
     * line per {@link #QUIET} while they go on, saying how many more came, and the recovery (at
     * INFO, with how many failed). Failures further apart than that start a streak of their own.
     */
    public final class Streak {

        /** The least time between two lines of one streak. */
        static final Duration QUIET = Duration.ofMinutes(1);

        private final String where;
        private final long quietNanos;
        private volatile boolean failing;
        /** Failures of this streak, and those since its last line. */
        private long total;
        private long unlogged;
        private long startedAt;
        private long loggedAt;
        private long lastAt;

        private Streak(String where, Duration quiet) {
            this.where = where;
            this.quietNanos = quiet.toNanos();
        }

        /**
         * One more failure.
         *
         * @param format a message with ids only; formatted with {@code args}
         */
        public void failed(Throwable failure, String format, Object... args) {
            counter(where).increment();
            boolean first;
            long more;
            synchronized (this) {
                long now = System.nanoTime();
                first = !failing || now - lastAt > quietNanos;
                lastAt = now;
                if (first) {
                    failing = true;
                    total = 0;
                    startedAt = now;
                } else if (now - loggedAt < quietNanos) {
                    total++;
                    unlogged++;
                    return;
                }
                total++;
                more = unlogged;
                unlogged = 0;
                loggedAt = now;
            }
            if (first) {
                Log.warnf(failure, format, args);
            } else {
                Log.warnf("%s (%s; still failing, %d more failures since the line before)", String.format(format, args),
                        describe(failure), more);
            }
        }

        /**
         * The path works again: ends a streak, if one was going on, with a line at INFO.
         *
         * @param format a message with ids only; formatted with {@code args}
         */
        public void succeeded(String format, Object... args) {
            if (!failing) {
                return;
            }
            long failures;
            long seconds;
            synchronized (this) {
                if (!failing) {
                    return;
                }
                failing = false;
                failures = total;
                seconds = (System.nanoTime() - startedAt) / 1_000_000_000L;
            }
            Log.infof("%s (after %d failures in %d s)", String.format(format, args), failures, seconds);
        }

        /** Whether a streak is going on: a failure, and no success reported since. */
        public boolean failing() {
            return failing;
        }
    }

    /** The failure's kind and the first line of its message. */
    static String describe(Throwable failure) {
        if (failure == null) {
            return "no exception";
        }
        String message = failure.getMessage();
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }
}
