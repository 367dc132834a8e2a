package nl.loket.security;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import jakarta.enterprise.context.ApplicationScoped;
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

    /** Beyond this many tracked clients the idle ones are forgotten (all, if need be): a flood of addresses must not fill memory. */
    private static final int MAX_TRACKED = 50_000;

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final int perMinute;

    public RateLimits(LoketConfig config) {
        this.perMinute = config.limits().publicRatePerMinute();
    }

    public void checkPublic(String address) {
        if (buckets.size() > MAX_TRACKED) {
            // first those refilled to the brim (idle for a minute): forgetting them loses no limit. Emptying every
            // bucket at once let anyone who sends from 50,000 addresses reset everybody else's limit
            buckets.values().removeIf(b -> b.getAvailableTokens() >= perMinute);
            if (buckets.size() > MAX_TRACKED) {
                buckets.clear();
            }
        }
        Bucket bucket = buckets.computeIfAbsent(address, a -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perMinute).refillGreedy(perMinute, Duration.ofMinutes(1)).build())
                .build());
        if (!bucket.tryConsume(1)) {
            throw new LoketException("rate_limited", 429,
                    "Te veel verzoeken; probeer het over een minuut opnieuw. / Too many requests; try again in a minute.");
        }
    }
}
