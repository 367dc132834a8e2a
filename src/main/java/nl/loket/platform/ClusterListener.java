package nl.loket.platform;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;

/**
 * Listens on the PostgreSQL channel every node notifies, and hands each signal to
 * {@link Signals}. When the listening connection drops it reconnects, and on every (re)subscribe
 * it delivers {@link Signal.Resync}: whatever was notified meanwhile is read from the tables.
 */
@ApplicationScoped
public class ClusterListener {

    private final Vertx vertx;
    private final Signals signals;
    private final Failures failures;
    private final String node;
    private final PgOptions pgOptions;
    private PgSubscriber subscriber;

    public ClusterListener(Vertx vertx, Signals signals, Failures failures, NodeId nodeId, PgOptions pgOptions) {
        this.vertx = vertx;
        this.signals = signals;
        this.failures = failures;
        this.node = nodeId.id().toString();
        this.pgOptions = pgOptions;
    }

    void start(@Observes StartupEvent event) {
        // as the shared pool connects, TLS included; its client metrics as postgresql_*{clientName="loket-listen"}
        PgConnectOptions options = pgOptions.connectOptions("loket-listen");
        subscriber = PgSubscriber.subscriber(vertx, options)
                // keep trying for as long as the node lives: a database restart must not end fan-out
                .reconnectPolicy(retries -> Math.min(5_000L, 100L * (1L << Math.min(retries, 6))));
        subscriber.channel(Db.CHANNEL)
                .handler(this::onPayload)
                .subscribeHandler(() -> {
                    Log.debug("Listening for cluster signals");
                    signals.deliver(new Signal.Resync());
                });
        subscriber.closeHandler(() -> Log.warn("Cluster signal connection closed; reconnecting"));
        subscriber.connect().await().atMost(Duration.ofSeconds(30));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /**
     * Whether the LISTEN connection is up now (read by the readiness check). The subscriber drops
     * its connection while it reconnects.
     */
    public boolean listening() {
        PgSubscriber s = subscriber;
        return s != null && !s.closed() && s.getDelegate().actualConnection() != null;
    }

    private void onPayload(String payload) {
        int bar = payload.indexOf('|');
        if (bar < 0 || payload.startsWith(node)) {
            return; // this node delivered its own signals from memory after the commit
        }
        Signal signal;
        try {
            signal = Signal.decode(payload.substring(bar + 1));
        } catch (RuntimeException e) {
            // the payload may carry message text: never log it
            failures.record("signal", e, "Ignoring a cluster signal that could not be read (%d bytes)", payload.length());
            return;
        }
        signals.deliver(signal);
    }
}
