package nl.loket.platform;

/**
 * Counts a connection's frames in fixed windows. Over the limit the connection is closed with
 * 1008 (policy violation); a chat client needs a fraction of it.
 */
public final class FrameLimiter {

    private final int limit;
    private final long windowNanos;
    private long windowStart = System.nanoTime();
    private int count;

    public FrameLimiter(int limit, java.time.Duration window) {
        this.limit = limit;
        this.windowNanos = window.toNanos();
    }

    /** Text frames larger than this are refused (docs/protocol.md §1): the connection is closed with 1009. */
    public static final int MAX_FRAME_BYTES = 16 * 1024;

    public static boolean tooLarge(String text) {
        return text.length() > MAX_FRAME_BYTES
                || (text.length() > MAX_FRAME_BYTES / 4 && text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_FRAME_BYTES);
    }

    /**
     * Counts one incoming frame and says whether the connection must be closed for it: 1008 for a
     * flood, 1009 for a frame over 16 KiB; null when the frame may be handled.
     */
    public io.quarkus.websockets.next.CloseReason refuse(String text) {
        if (!allow()) {
            return new io.quarkus.websockets.next.CloseReason(1008, "too many frames");
        }
        if (tooLarge(text)) {
            return new io.quarkus.websockets.next.CloseReason(1009, "frame larger than 16 KiB");
        }
        return null;
    }

    /** Counts one frame; false when the connection has gone over the limit. */
    public synchronized boolean allow() {
        long now = System.nanoTime();
        if (now - windowStart > windowNanos) {
            windowStart = now;
            count = 0;
        }
        return ++count <= limit;
    }
}
