package nl.loket.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Closes the connections that have stopped answering pings. The server pings every socket
 * ({@code quarkus.websockets-next.server.auto-ping-interval}) and browsers answer by themselves,
 * also in a background tab. A phone that changed networks or a laptop that went to sleep closes
 * nothing: its connection stays open on the server until TCP gives up, which on Linux takes
 * about a quarter of an hour. Until then a resident counts as there (their place is kept, their
 * dead sockets count towards the limit per conversation, so a fourth try is refused) and an
 * agent counts as reachable (their residents wait on an agent who is gone, and the grace period
 * that would give them back to the queue never starts).
 *
 * <p>A connection from which nothing came for {@code loket.sockets.unanswered-after} (no pong,
 * no frame) is closed with 1001; its endpoint's close handler then does what any close does.
 * One sweep per {@code loket.sockets.sweep} over this node's connections: no work per message.
 */
@ApplicationScoped
public class Liveness {

    /**
     * A sweep later than this (and than half the silence allowed) means the node stood still. The
     * scheduler fires at whole seconds, so a short sweep interval still sees gaps of a second.
     */
    private static final long STOOD_STILL_NANOS = 5_000_000_000L;

    private static final UserData.TypedKey<Heard> HEARD = new UserData.TypedKey<>("loket.liveness.heard");

    /** When the connection was last heard from, by {@link System#nanoTime()}. */
    private static final class Heard {
        volatile long at = System.nanoTime();
        /** Closed by a sweep: the close handshake may take a while, and the next sweep must not count it again. */
        volatile boolean givenUp;
        /**
         * Frames being handled. A pong waits behind the connection's frame in hand (websockets-next
         * handles one message of a connection at a time), so a frame held up by a slow database
         * must not make a live client look silent. Changed on the connection's event loop only.
         */
        volatile int inHand;
    }

    private final OpenConnections connections;
    private final long unansweredNanos;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> closed = new ConcurrentHashMap<>();
    /** False when the server does not ping often enough for silence to mean anything: nothing is closed. */
    private final boolean enabled;
    /** When the last sweep ran; a much longer gap means this node itself stood still. */
    private volatile long lastSweep;

    public Liveness(OpenConnections connections, LoketConfig config, MeterRegistry registry,
                    @ConfigProperty(name = "quarkus.websockets-next.server.auto-ping-interval") Optional<Duration> ping) {
        this.connections = connections;
        this.unansweredNanos = config.sockets().unansweredAfter().toNanos();
        this.registry = registry;
        // at least two pings within the silence allowed, so one lost pong is not enough
        this.enabled = ping.isPresent() && ping.get().toNanos() * 2 < unansweredNanos;
        if (!enabled) {
            Log.warnf("Connections that answer no ping are not closed: quarkus.websockets-next.server.auto-ping-interval (%s) "
                    + "must be set and under half of loket.sockets.unanswered-after (%s)", ping.orElse(null), config.sockets().unansweredAfter());
        }
    }

    /** From now on the connection must answer; call when it opens. */
    public void watch(WebSocketConnection connection) {
        connection.userData().put(HEARD, new Heard());
    }

    /** Something came from the connection: a pong. */
    public void heard(WebSocketConnection connection) {
        Heard heard = connection.userData().get(HEARD);
        if (heard != null) {
            heard.at = System.nanoTime();
        }
    }

    /** A frame came from the connection: it is alive, and counts as such until {@code work} has ended. */
    public Uni<Void> handling(WebSocketConnection connection, Uni<Void> work) {
        Heard heard = connection.userData().get(HEARD);
        if (heard == null) {
            return work;
        }
        heard.at = System.nanoTime();
        heard.inHand++;
        return work.onTermination().invoke(() -> {
            heard.inHand--;
            heard.at = System.nanoTime();
        });
    }

    @Scheduled(every = "${loket.sockets.sweep:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        long now = System.nanoTime();
        long last = lastSweep;
        lastSweep = now;
        if (!enabled) {
            return;
        }
        if (last != 0 && now - last > Math.max(unansweredNanos / 2, STOOD_STILL_NANOS)) {
            // this node stood still (a long pause of the JVM, a stopped process): the clients' pongs
            // wait unread, so everyone looks silent. They get the time again from now.
            for (WebSocketConnection connection : connections) {
                heard(connection);
            }
            Log.infof("No connection closed for silence this time: this node stood still for %d s", (now - last) / 1_000_000_000L);
            return;
        }
        int count = 0;
        for (WebSocketConnection connection : connections) {
            Heard heard = connection.userData().get(HEARD);
            if (heard != null && !heard.givenUp && heard.inHand == 0 && connection.isOpen() && now - heard.at > unansweredNanos) {
                heard.givenUp = true;
                count++;
                counter(connection.endpointId()).increment();
                connection.close(new CloseReason(1001, "no answer to pings")).subscribe().with(
                        ok -> { },
                        // the connection is gone either way; its close handler runs when the socket closes
                        failure -> Log.debugf("Closing unanswering connection %s failed: %s", connection.id(), failure));
            }
        }
        if (count > 0) {
            Log.infof("Closed %d connection(s) that answered no ping for %d s", count, unansweredNanos / 1_000_000_000L);
        }
    }

    private Counter counter(String endpoint) {
        return closed.computeIfAbsent(endpoint, e -> Counter.builder("loket.connections.unanswered").tag("kind", e)
                .description("Connections closed because they answered no ping").register(registry));
    }
}
