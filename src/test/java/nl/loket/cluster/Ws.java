package nl.loket.cluster;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static nl.loket.cluster.ClusterHarness.JSON;
import static nl.loket.cluster.ClusterHarness.WAIT;
import static nl.loket.cluster.ClusterHarness.http;
import static nl.loket.cluster.ClusterHarness.sockets;

/**
 * A WebSocket client on the JDK's {@link WebSocket}: records every JSON frame with the moment
 * it arrived, and lets a test wait for the next frame that matches.
 */
final class Ws implements WebSocket.Listener {

    record Frame(JsonNode json, long at) {
    }

    final String name;
    private final List<Frame> frames = new ArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private final Object sendLock = new Object();
    private int cursor;
    private volatile WebSocket socket;
    volatile boolean closed;
    volatile int closeCode = -1;

    private Ws(String name) {
        this.name = name;
    }

    static Ws connect(Node node, String path, String token, String name) {
        return connect(node.ws(path), name + "@" + node.name, builder -> {
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
        });
    }

    /** Any URI (a proxy's, say), with headers or subprotocols set by the caller. */
    static Ws connect(URI uri, String name, Consumer<WebSocket.Builder> setup) {
        Ws ws = new Ws(name);
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        setup.accept(builder);
        try {
            ws.socket = builder.buildAsync(uri, ws).get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not open " + uri, e);
        }
        sockets.add(ws);
        return ws;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        long at = System.nanoTime();
        partial.append(data);
        if (last) {
            String text = partial.toString();
            partial.setLength(0);
            JsonNode json;
            try {
                json = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                json = JSON.createObjectNode().put("type", "unparseable").put("raw", text);
            }
            synchronized (this) {
                frames.add(new Frame(json, at));
                notifyAll();
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        synchronized (this) {
            closeCode = statusCode;
            closed = true;
            notifyAll();
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        synchronized (this) {
            closed = true;
            notifyAll();
        }
    }

    void send(Object frame) {
        try {
            String text = JSON.writeValueAsString(frame);
            synchronized (sendLock) {
                socket.sendText(text, true).get(10, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new AssertionError(name + " could not send " + frame, e);
        }
    }

    /** The next frame after those already taken that matches; frames skipped stay in {@link #frames()}. */
    JsonNode next(Predicate<JsonNode> matching) {
        return nextFrame(matching, WAIT).json();
    }

    synchronized Frame nextFrame(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (int i = cursor; i < frames.size(); i++) {
                if (matching.test(frames.get(i).json())) {
                    cursor = i + 1;
                    return frames.get(i);
                }
            }
            waitUntil(deadline, "a matching frame");
        }
    }

    /** Any frame received so far (taken or not) that matches, waiting for one if need be. */
    synchronized JsonNode awaitAny(Predicate<JsonNode> matching, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Frame f : frames) {
                if (matching.test(f.json())) {
                    return f.json();
                }
            }
            waitUntil(deadline, "a matching frame");
        }
    }

    synchronized void awaitCount(Predicate<JsonNode> matching, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (frames.stream().filter(f -> matching.test(f.json())).count() < count) {
            waitUntil(deadline, count + " matching frames (have "
                    + frames.stream().filter(f -> matching.test(f.json())).count() + ")");
        }
    }

    synchronized void awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!closed) {
            waitUntil(deadline, "the connection to close");
        }
    }

    private void waitUntil(long deadline, String what) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            List<JsonNode> recent = frames.subList(Math.max(0, frames.size() - 8), frames.size()).stream().map(Frame::json).toList();
            throw new AssertionError(name + ": timed out waiting for " + what + "; closed=" + closed + " (" + closeCode
                    + "), " + frames.size() + " frames, the last: " + recent);
        }
        try {
            wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    synchronized List<JsonNode> frames() {
        return frames.stream().map(Frame::json).toList();
    }

    synchronized List<JsonNode> frames(Predicate<JsonNode> matching) {
        return frames.stream().map(Frame::json).filter(matching).toList();
    }

    synchronized List<Frame> frameList(Predicate<JsonNode> matching) {
        return frames.stream().filter(f -> matching.test(f.json())).toList();
    }

    void close() {
        if (!closed) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
        sockets.remove(this);
    }

    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }
}
