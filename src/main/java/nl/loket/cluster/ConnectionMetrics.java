package nl.loket.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/** Gauges of this node's open WebSocket connections, by kind. */
@Startup
@ApplicationScoped
public class ConnectionMetrics {

    public ConnectionMetrics(MeterRegistry registry, Fanout fanout) {
        Gauge.builder("loket.connections", fanout, Fanout::residentConnections).tag("kind", "resident")
                .description("Open resident WebSocket connections on this node").register(registry);
        Gauge.builder("loket.connections", fanout, Fanout::agentConnections).tag("kind", "agent")
                .description("Open agent WebSocket connections on this node").register(registry);
    }
}
