package nl.loket;

import io.quarkus.websockets.next.BasicWebSocketConnector;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketClientConnection;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.json.JsonObject;
import org.awaitility.core.ConditionTimeoutException;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** A real WebSocket client for tests: records every frame it receives, in order. */
public final class WsClient implements AutoCloseable {

    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private volatile WebSocketClientConnection connection;
    private volatile CloseReason closeReason;
    private int cursor;

    private WsClient() {
    }

    public static WsClient connect(URI base, String path, String token) {
        WsClient client = new WsClient();
        BasicWebSocketConnector connector = BasicWebSocketConnector.create().baseUri(base).path(path)
                .executionModel(BasicWebSocketConnector.ExecutionModel.NON_BLOCKING)
                .onTextMessage((c, text) -> client.frames.add(new JsonObject(text)))
                .onClose((c, reason) -> client.closeReason = reason);
        if (token != null) {
            connector.addHeader("Authorization", "Bearer " + token);
        }
        client.connection = connector.connectAndAwait();
        return client;
    }

    /** The HTTP status the upgrade was refused with, or 101 when it was accepted. */
    public static int upgradeStatus(URI base, String path, String token, String origin) {
        BasicWebSocketConnector connector = BasicWebSocketConnector.create().baseUri(base).path(path);
        if (token != null) {
            connector.addHeader("Authorization", "Bearer " + token);
        }
        if (origin != null) {
            connector.addHeader("Origin", origin);
        }
        try {
            connector.connectAndAwait().closeAndAwait();
            return 101;
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof UpgradeRejectedException rejected) {
                    return rejected.getStatus();
                }
            }
            throw e;
        }
    }

    public void send(JsonObject frame) {
        connection.sendTextAndAwait(frame.encode());
    }

    public void sendRaw(String text) {
        connection.sendTextAndAwait(text);
    }

    /** Waits for the next frame (after the ones already taken) that matches, and takes it. */
    public JsonObject next(Predicate<JsonObject> matching) {
        return next(matching, Duration.ofSeconds(10));
    }

    /** As {@link #next(Predicate)}, for frames that come only after a timer (grace periods, inactivity). */
    public JsonObject next(Predicate<JsonObject> matching, Duration atMost) {
        JsonObject[] found = new JsonObject[1];
        int from = cursor;
        try {
            await().atMost(atMost).until(() -> {
                for (int i = cursor; i < frames.size(); i++) {
                    if (matching.test(frames.get(i))) {
                        found[0] = frames.get(i);
                        cursor = i + 1;
                        return true;
                    }
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            // what the socket did get tells a frame never sent from one taken earlier or one the
            // predicate did not match (a flake seen once in a whole build said only "timed out")
            throw new AssertionError("No matching frame within " + atMost + "; " + describe(from), e);
        }
        return found[0];
    }

    /**
     * Every frame received, each shortened, those before {@code from} marked as passed (a frame
     * the wanted one may have been among), and whether the socket is open.
     */
    private String describe(int from) {
        List<JsonObject> all = List.copyOf(frames);
        StringBuilder text = new StringBuilder().append(all.size()).append(" frame(s) received, the first ").append(from)
                .append(" passed; connection ").append(connection.isOpen() ? "open" : "closed")
                .append(closeReason == null ? "" : " (" + closeReason + ")").append(':');
        for (int i = 0; i < all.size(); i++) {
            String frame = all.get(i).encode();
            text.append("\n  ").append(i < from ? "passed " : "").append('#').append(i).append(' ')
                    .append(frame.length() > 300 ? frame.substring(0, 300) + "…" : frame);
        }
        return text.toString();
    }

    public JsonObject next(String type) {
        return next(f -> type.equals(f.getString("type")));
    }

    public static Predicate<JsonObject> type(String type) {
        return f -> type.equals(f.getString("type"));
    }

    /** Every frame received so far. */
    public List<JsonObject> frames() {
        return List.copyOf(frames);
    }

    public List<JsonObject> frames(String type) {
        return frames.stream().filter(type(type)).toList();
    }

    public CloseReason awaitClosed() {
        await().atMost(Duration.ofSeconds(10)).until(() -> closeReason != null);
        return closeReason;
    }

    /**
     * Waits until the connection is closed, and gives the reason when the close frame reached
     * this client. A server that closes while this client is still sending can lose the close
     * frame in the race: the connection is gone, the reason unknown (empty).
     */
    public java.util.Optional<CloseReason> awaitGone() {
        await().atMost(Duration.ofSeconds(10)).until(() -> closeReason != null || !connection.isOpen());
        return java.util.Optional.ofNullable(closeReason);
    }

    public boolean isOpen() {
        return connection.isOpen();
    }

    @Override
    public void close() {
        if (connection != null && connection.isOpen()) {
            connection.closeAndAwait();
        }
    }
}
