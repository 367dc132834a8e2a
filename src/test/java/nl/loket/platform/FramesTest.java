package nl.loket.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A frame to a client that went away is not a failure: its client resumes from what it has.
 * Was noise: after the benchmark's surge, 198 writes to residents whose clients had just reset
 * their connections were logged as unexpected failures with a stack trace each and counted in
 * loket_failures_total (Netty fails such a write a moment before it marks the connection closed).
 */
class FramesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(5);

    /** The two seen: a broken pipe, and Netty's closed channel (a {@link ClosedChannelException} of its own). */
    @Test
    void aWriteTheNetworkRefusedBecauseTheClientWentAwayIsNotAFailure() {
        for (Throwable refused : List.of(new IOException("Broken pipe"), new ClosedChannelException())) {
            Connection c = new Connection(true, () -> Uni.createFrom().failure(refused));
            Frames.send(c.proxy(), JSON, Map.of("type", "state")).await().atMost(WAIT);
            assertThat(c.sent).as("frames written (refused: %s)", refused).containsExactly("{\"type\":\"state\"}");
        }
    }

    @Test
    void anyOtherWriteFailureOnAnOpenConnectionIsOne() {
        Connection c = new Connection(true, () -> Uni.createFrom().failure(new IllegalStateException("not a network refusal")));
        assertThatThrownBy(() -> Frames.send(c.proxy(), JSON, Map.of("type", "state")).await().atMost(WAIT))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aClosedConnectionIsNotWrittenTo() {
        Connection c = new Connection(false, () -> Uni.createFrom().voidItem());
        Frames.send(c.proxy(), JSON, Map.of("type", "state")).await().atMost(WAIT);
        assertThat(c.sent).isEmpty();
    }

    /** A session's run: its frames leave in the order the run put them in, each after the one before. */
    @Test
    void severalFramesLeaveInTheirOrder() {
        Connection c = new Connection(true, () -> Uni.createFrom().voidItem());
        Frames.sendAll(c.proxy(), JSON, List.of(Map.of("seq", 1), Map.of("seq", 2), Map.of("seq", 3))).await().atMost(WAIT);
        assertThat(c.sent).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}");
    }

    /** A write that fails fails the run: the frames after it are not written. */
    @Test
    void aFailedWriteStopsTheFramesAfterIt() {
        Connection c = new Connection(true, () -> Uni.createFrom().failure(new IllegalStateException("not a network refusal")));
        assertThatThrownBy(() -> Frames.sendAll(c.proxy(), JSON, List.of(Map.of("seq", 1), Map.of("seq", 2))).await().atMost(WAIT))
                .isInstanceOf(IllegalStateException.class);
        assertThat(c.sent).containsExactly("{\"seq\":1}");
    }

    /** A connection that is open or not and answers each write as told; nothing else of it is used. */
    static final class Connection {
        final boolean open;
        final Supplier<Uni<Void>> write;
        final List<String> sent = new CopyOnWriteArrayList<>();

        Connection(boolean open, Supplier<Uni<Void>> write) {
            this.open = open;
            this.write = write;
        }

        WebSocketConnection proxy() {
            return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[]{WebSocketConnection.class},
                    (self, method, args) -> switch (method.getName()) {
                        case "isOpen" -> open;
                        case "isClosed" -> !open;
                        case "sendText" -> {
                            sent.add(String.valueOf(args[0]));
                            yield write.get();
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
