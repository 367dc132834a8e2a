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
 *
 * <p>A loss is logged once at WARN and counted ({@code loket_failures_total{where="listen"}}),
 * its recovery logged once at INFO; the reconnection attempts in between are silent. Vert.x tells
 * a loss only through the connection's exception handler (without one it prints the stack trace
 * to stderr, past the log format), and the subscriber's close handler only on a deliberate close:
 * a stop is not a loss.
 */
@ApplicationScoped
public class ClusterListener {

    private final Vertx vertx;
    private final Signals signals;
    private final Failures failures;
    private final String node;
    private final PgOptions pgOptions;
    private PgSubscriber subscriber;
    /** The node is stopping: the connection's end is deliberate. */
    private volatile boolean stopping;
    /** When the connection was lost, in nanoTime; 0 while it is up. Touched on the event loop only. */
    private volatile long lostAt;
    private boolean subscribedBefore;

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
                .subscribeHandler(this::subscribed);
        subscriber.closeHandler(() -> {
            if (!stopping) {
                // only when the reconnect policy gives up, which this one never does
                failures.record("listen", null, "Gave up reconnecting the database connection that hears the other nodes (LISTEN)");
            }
        });
        subscriber.connect().await().atMost(Duration.ofSeconds(30));
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Connected and LISTENing: the first time at start, then after each loss. */
    private void subscribed() {
        io.vertx.pgclient.PgConnection connection = subscriber.getDelegate().actualConnection();
        if (connection != null) {
            connection.exceptionHandler(this::lost);
        }
        if (lostAt != 0) {
            Log.infof("The database connection that hears the other nodes (LISTEN) is back after %d ms; "
                    + "reading what changed meanwhile", (System.nanoTime() - lostAt) / 1_000_000);
            lostAt = 0;
        } else if (subscribedBefore) {
            // lost without an error (the server closed it quietly): counted now, as it is noticed
            failures.record("listen", null, "The database connection that hears the other nodes (LISTEN) was closed "
                    + "and is back; reading what changed meanwhile");
        } else {
            Log.debug("Listening for cluster signals");
        }
        subscribedBefore = true;
        signals.deliver(new Signal.Resync());
    }

    /**
     * The connection failed (a restart, a failover, an idle-connection killer, the network): the
     * subscriber reconnects. One WARN and one count per loss, however many errors it brings
     * (a terminated backend says FATAL, then the socket is reset).
     */
    private void lost(Throwable failure) {
        if (stopping || lostAt != 0) {
            return;
        }
        lostAt = System.nanoTime();
        failures.record("listen", failure, "Lost the database connection that hears the other nodes (LISTEN); reconnecting. "
                + "Until it is back this node does not hear the other nodes' changes");
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
