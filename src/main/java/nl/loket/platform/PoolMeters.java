package nl.loket.platform;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.Set;

/**
 * Buckets for the database pool's two timers, which Vert.x reports with a sum, a count and a
 * maximum only: {@code sql_pool_queue_delay_seconds} (how long a statement waited for a
 * connection) and {@code sql_pool_usage_seconds} (how long it held one). With buckets an operator
 * (and the hot-path benchmark) can tell a tail spent waiting for the pool from one spent in
 * PostgreSQL. The same buckets for {@code loket.db.batch.wait} ({@link Batcher}: how long a
 * message waited for a chat connection to take it). Fixed buckets, not a full histogram: eleven
 * series per timer. The API's requests ({@code http_server_requests_seconds}, per endpoint and
 * status) get buckets of their own, up to 10 s, so that an operator can alert on their latency
 * (README, What to monitor).
 */
@Singleton
public class PoolMeters {

    static final Set<String> TIMERS = Set.of("sql.pool.queue.delay", "sql.pool.usage", "loket.db.batch.wait");

    static final double[] BUCKETS_MS = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000};

    static final String HTTP_SERVER = "http.server.requests";

    static final double[] HTTP_BUCKETS_MS = {5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};

    @Produces
    @Singleton
    MeterFilter poolBuckets() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                double[] millis = TIMERS.contains(id.getName()) ? BUCKETS_MS
                        : HTTP_SERVER.equals(id.getName()) ? HTTP_BUCKETS_MS : null;
                if (millis == null) {
                    return config;
                }
                double[] nanos = new double[millis.length];
                for (int i = 0; i < nanos.length; i++) {
                    nanos[i] = millis[i] * Duration.ofMillis(1).toNanos();
                }
                return DistributionStatisticConfig.builder().serviceLevelObjectives(nanos).build().merge(config);
            }
        };
    }
}
