package nl.loket.ops;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.vertx.http.runtime.filters.QuarkusRequestWrapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A rolling restart, seen from the node that stops. On SIGTERM Quarkus first reports readiness
 * DOWN and waits {@code quarkus.shutdown.delay}; at the start of that wait this node refuses new
 * WebSocket upgrades (503, so a proxy tries the next node) and closes its sockets with 1012
 * "service restart", which the widget and the console take as "reconnect now, to any node".
 * Their presence rows go with the close, so the grace periods run while they move; in-flight
 * frames and requests finish as usual (quarkus.shutdown.timeout).
 *
 * <p>An upgraded request is not an HTTP request in flight: its socket is closed here. Quarkus
 * (3.33) counts it as one until the process ends, so without {@link #upgraded} every node that
 * ever held a WebSocket waited out the whole shutdown timeout on each stop and logged an error
 * that it timed out.
 */
@ApplicationScoped
public class Draining implements HttpUpgradeCheck {

    /** RFC 6455 §7.4.1, IANA registry: the service is restarting; a client may reconnect. */
    public static final int SERVICE_RESTART = 1012;
    static final String REASON = "Dienst herstart / Service restart";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    /** Quarkus's own "this request is done", for an upgraded one (see {@link #upgraded}); null when this Quarkus has none. */
    private static final Method REQUEST_DONE = requestDone();

    private final OpenConnections connections;
    private final Scheduler scheduler;
    private volatile boolean draining;

    public Draining(OpenConnections connections, Scheduler scheduler) {
        this.scheduler = scheduler;
        this.connections = connections;
    }

    public boolean draining() {
        return draining;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        if (draining) {
            return CheckResult.rejectUpgrade(503);
        }
        upgraded(context.httpRequest());
        return CheckResult.permitUpgrade();
    }

    /**
     * Quarkus's graceful shutdown counts every request until its response ends or its connection
     * closes, and neither is ever seen for a request that became a WebSocket. This tells it the
     * request is done: the count is kept once per request, so a refusal after this check (a 401)
     * is not counted twice. Quarkus's other done-handlers run now too: with the access log turned
     * on (it is off by default), the upgrade is logged at this check rather than after its 101.
     * Quarkus offers no public way to say so; without the method (another Quarkus version) a stop
     * waits out the timeout, as it did before, and the start says why.
     */
    static void upgraded(HttpServerRequest request) {
        if (REQUEST_DONE == null) {
            return;
        }
        try {
            REQUEST_DONE.invoke(QuarkusRequestWrapper.get(request));
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.debugf("Could not tell Quarkus that an upgraded request is done: %s", e.toString());
        }
    }

    private static Method requestDone() {
        try {
            Method done = QuarkusRequestWrapper.class.getDeclaredMethod("done");
            done.setAccessible(true);
            return done;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Log.warnf("A stop will wait out quarkus.shutdown.timeout once a WebSocket was open: this Quarkus has no %s.done() (%s)",
                    QuarkusRequestWrapper.class.getSimpleName(), e.toString());
            return null;
        }
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /**
     * Without a shutdown delay (tests, dev mode) the sockets are closed here, before the rest stops.
     * And from here no scheduled job starts: one that fired after the connection pool had closed
     * logged "Pool closed" (the outbox, the sweeps), and one after the container had gone an
     * error of the scheduler's own ("Error Occurred After Shutdown"). Not at a shutdown delay's
     * start: the heartbeat must go on while the node still serves.
     */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        scheduler.pause();
        drain();
    }

    synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        List<Uni<Void>> closing = new ArrayList<>();
        for (WebSocketConnection connection : connections.listAll()) {
            if (connection.isOpen()) {
                closing.add(connection.close(new CloseReason(SERVICE_RESTART, REASON)).onFailure().recoverWithNull());
            }
        }
        Log.infof("Stopping: refusing new WebSocket connections, closing %d with %d", closing.size(), SERVICE_RESTART);
        if (!closing.isEmpty()) {
            try {
                Uni.join().all(closing).andCollectFailures().await().atMost(CLOSE_WAIT);
            } catch (RuntimeException e) {
                Log.warnf("Not every WebSocket closed within %s: %s", CLOSE_WAIT, e.toString());
            }
        }
        awaitCallbacks(deadline);
    }

    /**
     * A connection leaves {@link OpenConnections} when its {@code @OnClose} has run, and that
     * records it gone in the database. Those closed by their clients just before the stop are
     * still in that line too (thousands, when a surge ends). Quarkus stops the application
     * after this method: a callback it runs later fails, and finds the connection pool closed.
     */
    private void awaitCallbacks(long deadline) {
        int left = connections.listAll().size();
        while (left > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            left = connections.listAll().size();
        }
        if (left > 0) {
            Log.warnf("%d WebSocket connections were still closing after %s; their presence goes with this node's", left, CLOSE_WAIT);
        }
    }
}
