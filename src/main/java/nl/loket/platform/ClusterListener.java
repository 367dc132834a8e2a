package nl.loket.platform;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.hibernate.validator.constraints.time.DurationMin;

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
 *
 * <p>A connection can also die without a word: a firewall, a NAT or a cloud load balancer that
 * forgets an idle connection and drops its packets, a failover that moves the database's address,
 * a partition. Neither end is told, and the node would hear nothing from the others for as long
 * as it lasts while it counts itself as listening. So every {@code loket.listen.probe-interval}
 * (5 s) the node proves that the connection still carries notifications, end to end: it sends
 * {@code pg_notify} on the channel over the listening connection itself and must hear it back
 * there before the next probe is due. A probe not heard back counts as a loss (the WARN and the
 * count above, readiness DOWN, revoked tokens asked of the database), and the connection is
 * closed, so that the reconnect policy connects anew and the resync reads what was missed.
 * docs/architecture.md (§3) says why a notification on this connection rather than a plain query,
 * or one sent through the shared pool. TCP keepalive on this connection is a second line.
 *
 * <p>The probe's payload has no {@code |}: every node, this one and those of the version before
 * included, passes over such a payload before reading it as a signal.
 */
@ApplicationScoped
public class ClusterListener {

    /** What a probe's payload starts with; followed by the node's id and the probe's number, without a {@code |}. */
    static final String PROBE = "probe:";

    /**
     * The probe's statement, before its payload: {@code pg_notify} on the listening connection,
     * which LISTENs on the channel and so hears its own notification. Committed asynchronously:
     * nothing of it needs to be on disk, and PostgreSQL's one notification lock is not held while
     * the disk flushes. A simple query, not a prepared one: one message, and nothing that the
     * client holds back a close behind (it does behind a statement being prepared).
     */
    private static final String PROBE_SQL = "select set_config('synchronous_commit', 'off', true), pg_notify('" + Db.CHANNEL + "', '";

    /**
     * {@code loket.listen.*} ({@code LOKET_LISTEN_PROBE_INTERVAL}; README, Configuration). A
     * mapping: the mapping of {@code loket.*} refuses keys it does not know.
     */
    @ConfigMapping(prefix = "loket.listen")
    public interface Config {
        /**
         * How often the listening connection proves that it carries notifications; a probe not
         * heard back within this is a loss. 0 turns the probe off.
         */
        @WithDefault("5s")
        @DurationMin(millis = 0)
        Duration probeInterval();
    }

    private final Vertx vertx;
    private final Signals signals;
    private final Failures failures;
    private final String node;
    private final String probePrefix;
    private final PgOptions pgOptions;
    private final Duration probeInterval;
    private PgSubscriber subscriber;
    /** The node is stopping: the connection's end is deliberate. */
    private volatile boolean stopping;
    /** When the connection was lost, in nanoTime; 0 while it is up. Written under this object's lock. */
    private volatile long lostAt;
    private boolean subscribedBefore;
    private long probeTimer = -1;
    /** The probe waiting to be heard back and the connection it was sent on; touched by the probe's timer only. */
    private long probeSent;
    private PgConnection probedConnection;
    /** When the probe's timer last ran, in nanoTime. */
    private long lastTick;
    /** The number of the last probe heard back (on the connection's event loop). */
    private volatile long probeHeard;

    public ClusterListener(Vertx vertx, Signals signals, Failures failures, NodeId nodeId, PgOptions pgOptions, Config config) {
        this.vertx = vertx;
        this.signals = signals;
        this.failures = failures;
        this.node = nodeId.id().toString();
        this.probePrefix = PROBE + node + ":";
        this.pgOptions = pgOptions;
        this.probeInterval = config.probeInterval();
    }

    void start(@Observes StartupEvent event) {
        // as the shared pool connects, TLS included; its client metrics as postgresql_*{clientName="loket-listen"}
        PgConnectOptions options = pgOptions.connectOptions("loket-listen");
        // named in pg_stat_activity, which otherwise shows its last statement (a probe) like any other
        options.addProperty("application_name", "loket-listen");
        // a second line behind the probe: the kernel closes a connection whose peer is gone after
        // about 90 s without an answer, not the two hours of its default (where the probe is off, say)
        options.setTcpKeepAlive(true).setTcpKeepAliveIdleSeconds(60).setTcpKeepAliveIntervalSeconds(10).setTcpKeepAliveCount(3);
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
        if (!probeInterval.isZero()) {
            probeTimer = vertx.setPeriodic(probeInterval.toMillis(), id -> probe());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        stopping = true;
        if (probeTimer >= 0) {
            vertx.cancelTimer(probeTimer);
        }
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /** Connected and LISTENing: the first time at start, then after each loss. */
    private void subscribed() {
        PgConnection connection = subscriber.getDelegate().actualConnection();
        if (connection != null) {
            connection.exceptionHandler(this::lost);
        }
        long lost;
        synchronized (this) {
            lost = lostAt;
            lostAt = 0;
        }
        if (lost != 0) {
            Log.infof("The database connection that hears the other nodes (LISTEN) is back after %d ms; "
                    + "reading what changed meanwhile", (System.nanoTime() - lost) / 1_000_000);
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
        if (!stopping && markLost()) {
            failures.record("listen", failure, "Lost the database connection that hears the other nodes (LISTEN); reconnecting. "
                    + "Until it is back this node does not hear the other nodes' changes");
        }
    }

    /** Whether this is the first news of the loss (a loss is reported once). */
    private synchronized boolean markLost() {
        if (lostAt != 0) {
            return false;
        }
        lostAt = System.nanoTime();
        return true;
    }

    /**
     * Every probe interval: judges the last probe, and sends the next. A probe not heard back on
     * the connection it was sent on, an interval after, means the connection no longer carries
     * notifications: a loss, and the connection is closed so that the subscriber connects anew.
     * While the subscriber is reconnecting there is nothing to probe.
     */
    private void probe() {
        if (stopping) {
            return;
        }
        long now = System.nanoTime();
        // the node itself stood still (a long GC pause, a blocked event loop): its probe's answer
        // may be waiting unread behind the stall, so nothing is judged on this round
        boolean stood = lastTick != 0 && now - lastTick > probeInterval.toNanos() * 3 / 2;
        lastTick = now;
        PgConnection connection = subscriber.getDelegate().actualConnection();
        if (connection == null || lostAt() != 0) {
            probedConnection = null;
            return;
        }
        if (probedConnection == connection && probeHeard < probeSent && !stood) {
            probedConnection = null;
            if (markLost()) {
                failures.record("listen", null, "The database connection that hears the other nodes (LISTEN) did not carry "
                        + "this node's probe back within %d ms; closing it and reconnecting. Until it is back this node does "
                        + "not hear the other nodes' changes", probeInterval.toMillis());
            }
            // its close handler reconnects (the subscriber's reconnect policy)
            connection.close();
            return;
        }
        long number = ++probeSent;
        probedConnection = connection;
        // the payload is this node's id (a UUID) and a number: nothing in it to quote
        connection.query(PROBE_SQL + probePrefix + number + "')").execute().onFailure(e ->
                // judged when it is not heard back: a failed statement of a lost connection is the loss's own news
                Log.debugf("A probe of the LISTEN connection failed: %s", e.toString()));
    }

    private long lostAt() {
        return lostAt;
    }

    /**
     * Whether the LISTEN connection is up now (read by the readiness check). The subscriber drops
     * its connection while it reconnects; a connection lost without a word counts as down from
     * the probe that noticed.
     */
    public boolean listening() {
        PgSubscriber s = subscriber;
        return s != null && !s.closed() && s.getDelegate().actualConnection() != null && lostAt() == 0;
    }

    private void onPayload(String payload) {
        if (payload.startsWith(PROBE)) {
            // a probe: this node's, heard back; another node's, passed over
            if (payload.startsWith(probePrefix)) {
                try {
                    probeHeard = Math.max(probeHeard, Long.parseLong(payload.substring(probePrefix.length())));
                } catch (NumberFormatException ignored) {
                    // not one this node sent
                }
            }
            return;
        }
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
        if (signal == null) {
            // a kind a newer node sends, in a rolling upgrade: not for this version
            Log.debugf("Ignoring a cluster signal of a kind this version does not know (%d bytes)", payload.length());
            return;
        }
        signals.deliver(signal);
    }
}
