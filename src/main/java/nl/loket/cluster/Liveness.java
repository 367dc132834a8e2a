package nl.loket.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OpenConnections;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;

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

    private static final UserData.TypedKey<Heard> HEARD = new UserData.TypedKey<>("loket.liveness.heard");

    /** When the connection was last heard from, by {@link System#nanoTime()}. */
    private static final class Heard {
        volatile long at = System.nanoTime();
        /** Closed by a sweep: the close handshake may take a while, and the next sweep must not count it again. */
        volatile boolean givenUp;
    }

    private final OpenConnections connections;
    private final long unansweredNanos;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> closed = new ConcurrentHashMap<>();

    public Liveness(OpenConnections connections, LoketConfig config, MeterRegistry registry) {
        this.connections = connections;
        this.unansweredNanos = config.sockets().unansweredAfter().toNanos();
        this.registry = registry;
    }

    /** From now on the connection must answer; call when it opens. */
    public void watch(WebSocketConnection connection) {
        connection.userData().put(HEARD, new Heard());
    }

    /** Something came from the connection: a pong or a frame. */
    public void heard(WebSocketConnection connection) {
        Heard heard = connection.userData().get(HEARD);
        if (heard != null) {
            heard.at = System.nanoTime();
        }
    }

    @Scheduled(every = "${loket.sockets.sweep:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        long now = System.nanoTime();
        int count = 0;
        for (WebSocketConnection connection : connections) {
            Heard heard = connection.userData().get(HEARD);
            if (heard != null && !heard.givenUp && connection.isOpen() && now - heard.at > unansweredNanos) {
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
