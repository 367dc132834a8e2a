package nl.loket.ops;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

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
 */
@ApplicationScoped
public class Draining implements HttpUpgradeCheck {

    /** RFC 6455 §7.4.1, IANA registry: the service is restarting; a client may reconnect. */
    public static final int SERVICE_RESTART = 1012;
    static final String REASON = "Dienst herstart / Service restart";
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final OpenConnections connections;
    private volatile boolean draining;

    public Draining(OpenConnections connections) {
        this.connections = connections;
    }

    public boolean draining() {
        return draining;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return draining ? CheckResult.rejectUpgrade(503) : CheckResult.permitUpgrade();
    }

    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        drain();
    }

    /** Without a shutdown delay (tests, dev mode) the sockets are closed here, before the rest stops. */
    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        drain();
    }

    synchronized void drain() {
        if (draining) {
            return;
        }
        draining = true;
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
    }
}
