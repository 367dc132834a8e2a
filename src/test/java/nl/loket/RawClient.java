package nl.loket;

import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A WebSocket client on a bare socket, so that the test decides whether the server's pings are
 * answered: a live browser answers each ping with a pong by itself; a client that went away
 * (a phone that changed networks) answers nothing. Reads every frame and records the text ones
 * and the close; sends masked text frames.
 */
final class RawClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final boolean answersPings;
    private record Frame(JsonObject json, long at) {
    }

    private final List<Frame> frames = new CopyOnWriteArrayList<>();
    private volatile int closeCode = -1;
    private volatile String closeReason;
    private volatile long closedAt;
    private volatile int pings;
    private int cursor;

    private RawClient(Socket socket, boolean answersPings) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.answersPings = answersPings;
    }

    /** Completes the handshake (101) and starts reading; the server's open callback may still be running. */
    static RawClient connect(URI base, String path, String token, boolean answersPings) throws IOException {
        Socket socket = handshake(base, path, token);
        RawClient client = new RawClient(socket, answersPings);
        Thread reader = new Thread(client::read, "raw-ws-" + path);
        reader.setDaemon(true);
        reader.start();
        return client;
    }

    /** Completes a WebSocket handshake (101) on a bare socket and reads nothing after it. */
    static Socket handshake(URI base, String path, String token) throws IOException {
        Socket socket = new Socket(base.getHost(), base.getPort());
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "Authorization: Bearer " + token + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
        return socket;
    }

    private void read() {
        try {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            while (true) {
                int b0 = in.readUnsignedByte();
                int b1 = in.readUnsignedByte();
                int opcode = b0 & 0x0f;
                long length = b1 & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] payload = new byte[(int) length]; // the server never masks
                in.readFully(payload);
                switch (opcode) {
                    case 0x1 -> {
                        frames.add(new Frame(new JsonObject(new String(payload, StandardCharsets.UTF_8)), System.nanoTime()));
                    }
                    case 0x8 -> {
                        closeCode = payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
                        closeReason = payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
                        closedAt = System.nanoTime();
                        return;
                    }
                    case 0x9 -> {
                        pings++;
                        if (answersPings) {
                            send(0xA, payload);
                        }
                    }
                    default -> { }
                }
            }
        } catch (IOException e) {
            if (closedAt == 0) {
                closedAt = System.nanoTime(); // the connection went without a close frame
            }
        }
    }

    void send(JsonObject frame) throws IOException {
        send(0x1, frame.encode().getBytes(StandardCharsets.UTF_8));
    }

    /** A frame of any opcode (a binary frame, a text frame of bytes that are no UTF-8), masked as a browser's. */
    void sendFrame(int opcode, byte[] payload) throws IOException {
        send(opcode, payload);
    }

    private synchronized void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    /** Waits for the next text frame (after the ones already taken) of this type, and takes it. */
    JsonObject next(String type, Duration atMost) {
        Predicate<JsonObject> matching = f -> type.equals(f.getString("type"));
        JsonObject[] found = new JsonObject[1];
        await().atMost(atMost).pollInterval(Duration.ofMillis(20)).until(() -> {
            for (int i = cursor; i < frames.size(); i++) {
                if (matching.test(frames.get(i).json())) {
                    found[0] = frames.get(i).json();
                    cursor = i + 1;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** When the last frame {@link #next} took arrived, by {@link System#nanoTime()}. */
    long lastTakenAt() {
        return frames.get(cursor - 1).at();
    }

    boolean isOpen() {
        return closedAt == 0;
    }

    int closeCode() {
        return closeCode;
    }

    String closeReason() {
        return closeReason;
    }

    /** When the close came, by {@link System#nanoTime()}; 0 while open. */
    long closedAt() {
        return closedAt;
    }

    int pings() {
        return pings;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
