package nl.loket.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import nl.loket.platform.LoketException;
import nl.loket.config.LoketConfig;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-client-address limits on the public POST endpoints. Buckets live in this node's memory:
 * with N nodes behind a round-robin proxy a client gets at most N times the limit, which is
 * still a limit; nothing a user needs is lost when a node forgets its buckets.
 */
@ApplicationScoped
public class RateLimits {

    /** Beyond this many tracked clients the idle ones are forgotten (all, past twice as many): a flood of addresses must not fill memory. */
    private static final int MAX_TRACKED = 50_000;

    private static final long SWEEP_NANOS = 10_000_000_000L;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int perMinute;
    private final int maxTracked;
    private final TimeMeter clock;
    private volatile long sweptAt;

    @Inject
    public RateLimits(LoketConfig config) {
        this(config.limits().publicRatePerMinute(), MAX_TRACKED, TimeMeter.SYSTEM_NANOTIME);
    }

    /** With a mark and a clock of a test's choosing. */
    RateLimits(int perMinute, int maxTracked, TimeMeter clock) {
        this.perMinute = perMinute;
        this.maxTracked = maxTracked;
        this.clock = clock;
        this.sweptAt = clock.currentTimeNanos() - SWEEP_NANOS;
    }

    public void checkPublic(String address) {
        if (buckets.size() > maxTracked) {
            long now = clock.currentTimeNanos();
            if (now - sweptAt > SWEEP_NANOS) {
                // those refilled to the brim (idle for a minute) go: forgetting them loses no limit. Emptying every
                // bucket at once let anyone who sends from 50,000 addresses reset everybody else's limit. At most
                // one such look every 10 s: just under the mark, the next client must not pay for another
                sweptAt = now;
                buckets.values().removeIf(b -> b.getAvailableTokens() >= perMinute);
            }
            if (buckets.size() > 2 * maxTracked) {
                buckets.clear(); // twice as many clients active within a minute: memory first
            }
        }
        Bucket bucket = buckets.computeIfAbsent(address, a -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .withCustomTimePrecision(clock)
                .build());
        if (!bucket.tryConsume(1)) {
            throw new LoketException("rate_limited", 429,
                    "Te veel verzoeken; probeer het over een minuut opnieuw. / Too many requests; try again in a minute.");
        }
    }

    /** How many clients this node keeps a bucket for. */
    int tracked() {
        return buckets.size();
    }
}
