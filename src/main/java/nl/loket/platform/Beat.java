package nl.loket.platform;

import io.vertx.core.Vertx;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Paces work that follows changes (the waiting room's tick): runs begin at least a gap
 * apart, and a change that finds the last run a gap ago or longer is run at once. A lone change
 * is pushed without waiting for a fixed beat; a stream of changes is pushed in batches, one per
 * gap. The work calls {@link #due} and {@link #began} as it starts; a periodic timer may call
 * it too, as a backstop.
 */
public final class Beat {

    private final Vertx vertx;
    private final long gapNanos;
    private final Runnable work;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile long beganAt;

    public Beat(Vertx vertx, long gapMillis, Runnable work) {
        this.vertx = vertx;
        this.gapNanos = gapMillis * 1_000_000;
        this.work = work;
        this.beganAt = System.nanoTime() - gapNanos;
    }

    /** Something changed: the work runs now if the last run began a gap ago, else once when it will have. */
    public void soon() {
        if (scheduled.compareAndSet(false, true)) {
            long waitMillis = (gapNanos - (System.nanoTime() - beganAt)) / 1_000_000;
            vertx.setTimer(Math.max(1, waitMillis), id -> {
                scheduled.set(false);
                work.run();
            });
        }
    }

    /** Whether a run may begin now; if not, one is scheduled for when it may. */
    public boolean due() {
        if (System.nanoTime() - beganAt < gapNanos) {
            soon();
            return false;
        }
        return true;
    }

    /** A run began its work. */
    public void began() {
        beganAt = System.nanoTime();
    }
}
