package nl.loket.platform;

import io.smallrye.mutiny.Uni;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * At most {@code limit} pieces of asynchronous work at once; the rest wait in arrival order, and
 * beyond {@code maxWaiting} waiting ones a newcomer is refused with {@code refusal}. Used where a
 * surge of one kind of request (residents starting conversations) must not take every database
 * connection and every turn of the event loops from the rest (the chats already going on).
 */
public final class Gate {

    private final int limit;
    private final int maxWaiting;
    private final Supplier<RuntimeException> refusal;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    public Gate(int limit, int maxWaiting, Supplier<RuntimeException> refusal) {
        if (limit < 1) {
            throw new IllegalArgumentException("a gate lets at least one through");
        }
        this.limit = limit;
        this.maxWaiting = maxWaiting;
        this.refusal = refusal;
    }

    /**
     * Runs {@code work} when a place is free; its outcome is the outcome of the returned Uni. A
     * caller that goes away while waiting (the HTTP client hung up) leaves the line. Work that
     * completes on the calling thread hands its place on without growing the stack ({@link #handOff}).
     */
    public <T> Uni<T> through(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            // before its start, the only way to end is the caller going away
            AtomicBoolean gone = new AtomicBoolean();
            AtomicBoolean started = new AtomicBoolean();
            Runnable start = () -> {
                started.set(true);
                if (gone.get()) {
                    release();
                    return;
                }
                Uni<T> running;
                try {
                    running = work.get();
                } catch (RuntimeException e) {
                    release();
                    emitter.fail(e);
                    return;
                }
                running.onTermination().invoke(this::release).subscribe().with(emitter::complete, emitter::fail);
            };
            emitter.onTermination(() -> {
                gone.set(true);
                if (!started.get()) {
                    leave(start);
                }
            });
            if (!enter(start)) {
                emitter.fail(refusal.get());
            }
        });
    }

    private synchronized void leave(Runnable start) {
        waiting.remove(start);
    }

    /** Starts at once when a place is free, else waits in line; false when the line is full. */
    private boolean enter(Runnable start) {
        synchronized (this) {
            if (running >= limit) {
                if (waiting.size() >= maxWaiting) {
                    return false;
                }
                waiting.add(start);
                return true;
            }
            running++;
        }
        start.run();
        return true;
    }

    private void release() {
        Runnable next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        handOff(next); // the place passes on to the next in line
    }

    /**
     * Starts the next in line. Work that ends at once (the database pool failing every waiting
     * start after a stall) releases its place while it is still being started; run there, the
     * next start would go one level deeper each time, and a long line overflowed the stack, which
     * left places taken for good. Instead a start handed off inside another start's run is queued
     * for the outermost hand-off on this thread, which runs them one after the other.
     */
    private void handOff(Runnable next) {
        ArrayDeque<Runnable> pending = HANDING_OFF.get();
        if (pending != null) {
            pending.add(next);
            return;
        }
        pending = new ArrayDeque<>();
        HANDING_OFF.set(pending);
        RuntimeException first = null;
        try {
            for (Runnable r = next; r != null; r = pending.poll()) {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // one start that threw must not strand the others queued behind it
                    first = first == null ? e : first;
                }
            }
        } finally {
            HANDING_OFF.remove();
        }
        if (first != null) {
            throw first;
        }
    }

    /** The starts handed off on this thread while one is running (see {@link #handOff}); null when none runs. */
    private static final ThreadLocal<ArrayDeque<Runnable>> HANDING_OFF = new ThreadLocal<>();

    /** How many wait for a place now. */
    public synchronized int waiting() {
        return waiting.size();
    }
}
