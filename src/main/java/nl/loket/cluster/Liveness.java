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
import jakarta.inject.Inject;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Closes the connections that have stopped answering pings. The server pings every socket
 * ({@code quarkus.websockets-next.server.auto-ping-interval}) and browsers answer by themselves,
 * also in a background tab. A phone that changed networks or a laptop that went to sleep closes
 * nothing: its connection stays open on the server until TCP gives up, which on Linux takes
 * about a quarter of an hour. Until then a resident counts as there (their place is kept, their
 * dead sockets count towards the limit per conversation, where a new one replaces the oldest) and an
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
     * A sweep this much later than the sweep interval (and later than half the silence allowed)
     * means the node stood still. The scheduler fires at whole seconds, so a short sweep interval
     * still sees gaps of a second, and a busy worker pool may start a sweep late.
     */
    private static final long STOOD_STILL_SLACK_NANOS = 5_000_000_000L;

    private static final UserData.TypedKey<Heard> HEARD = new UserData.TypedKey<>("loket.liveness.heard");

    /** When the connection was last heard from, by the clock ({@link System#nanoTime()}). */
    private static final class Heard {
        volatile long at;
        /** Closed by a sweep: the close handshake may take a while, and the next sweep must not count it again. */
        volatile boolean givenUp;
        /**
         * Callbacks in hand (the open, a frame). A pong waits behind them (websockets-next handles
         * one callback of a connection at a time), so one held up by a slow database must not make
         * a live client look silent. Counted per subscription; the work may end on another thread.
         */
        final AtomicInteger inHand = new AtomicInteger();

        Heard(long at) {
            this.at = at;
        }
    }

    private final Iterable<WebSocketConnection> connections;
    private final LongSupplier clock;
    private final long unansweredNanos;
    /** A gap between two sweeps longer than this means the node stood still. */
    private final long stoodStillNanos;
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> closed = new ConcurrentHashMap<>();
    /** False when the server does not ping often enough for silence to mean anything: nothing is closed. */
    private final boolean enabled;
    /** When the last sweep ran; a much longer gap means this node itself stood still. */
    private volatile long lastSweep;
    private volatile boolean swept;

    @Inject
    public Liveness(OpenConnections connections, LoketConfig config, MeterRegistry registry,
                    @ConfigProperty(name = "quarkus.websockets-next.server.auto-ping-interval") Optional<Duration> ping) {
        this(connections, config.sockets().unansweredAfter(), config.sockets().sweep(), ping, registry, System::nanoTime);
    }

    /** With a clock of its own ({@link System#nanoTime()} in the service), for tests. */
    Liveness(Iterable<WebSocketConnection> connections, Duration unansweredAfter, Duration sweepEvery, Optional<Duration> ping,
             MeterRegistry registry, LongSupplier clock) {
        this.connections = connections;
        this.clock = clock;
        this.unansweredNanos = unansweredAfter.toNanos();
        // past the sweep's own interval, or every sweep would look like a standstill and nothing would ever be closed
        this.stoodStillNanos = Math.max(unansweredNanos / 2, sweepEvery.toNanos() + STOOD_STILL_SLACK_NANOS);
        this.registry = registry;
        // at least two pings within the silence allowed, so one lost pong is not enough
        this.enabled = ping.isPresent() && ping.get().toNanos() * 2 < unansweredNanos;
        if (!enabled) {
            Log.warnf("Connections that answer no ping are not closed: quarkus.websockets-next.server.auto-ping-interval (%s) "
                    + "must be set and under half of loket.sockets.unanswered-after (%s)", ping.orElse(null), unansweredAfter);
        } else if (stoodStillNanos > unansweredNanos / 2) {
            Log.warnf("loket.sockets.sweep (%s) is long next to loket.sockets.unanswered-after (%s): a standstill of this node "
                    + "shorter than %d s is not told from the sweep's own interval, and may close live connections",
                    sweepEvery, unansweredAfter, stoodStillNanos / 1_000_000_000L);
        }
    }

    /**
     * From now on the connection must answer; call when it opens. Wrap the open's work in
     * {@link #handling} as well: a pong that comes meanwhile waits behind it.
     */
    public void watch(WebSocketConnection connection) {
        connection.userData().put(HEARD, new Heard(clock.getAsLong()));
    }

    /** Something came from the connection: a pong. */
    public void heard(WebSocketConnection connection) {
        Heard heard = connection.userData().get(HEARD);
        if (heard != null) {
            heard.at = clock.getAsLong();
        }
    }

    /**
     * A frame came from the connection (or it opened): it is alive, and counts as such until
     * {@code work} has ended, whichever way (an item, a failure, a cancellation).
     */
    public Uni<Void> handling(WebSocketConnection connection, Uni<Void> work) {
        Heard heard = connection.userData().get(HEARD);
        if (heard == null) {
            return work;
        }
        // counted when the work starts, not when it is put together: only a subscription ends
        return work.onSubscription().invoke(() -> {
            heard.inHand.incrementAndGet();
            heard.at = clock.getAsLong();
        }).onTermination().invoke(() -> {
            // the time first: a sweep that sees nothing in hand must also see when it ended
            heard.at = clock.getAsLong();
            heard.inHand.decrementAndGet();
        });
    }

    @Scheduled(every = "${loket.sockets.sweep:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        long now = clock.getAsLong();
        long last = lastSweep;
        boolean first = !swept;
        lastSweep = now;
        swept = true;
        if (!enabled) {
            return;
        }
        if (!first && now - last > stoodStillNanos) {
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
            if (heard != null && !heard.givenUp && heard.inHand.get() == 0 && connection.isOpen() && now - heard.at > unansweredNanos) {
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
