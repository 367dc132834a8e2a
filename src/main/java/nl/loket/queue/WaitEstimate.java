package nl.loket.queue;

import java.util.List;
import java.util.function.IntFunction;

/**
 * Estimated wait time for a queue position. Pure, so the model can be tested on its own.
 *
 * <p>Model: the agents available for the topic offer {@code S} slots (their maxConcurrent),
 * {@code F} of which are free now. A resident at position {@code p} is served at once when
 * {@code p <= F}; otherwise the {@code p - F} residents up to and including them need a slot to
 * free up, and the slots free up at a combined rate of {@code S / AHT} (AHT = recent average
 * handle time). So {@code EWT(p) = max(0, p - F) * AHT / S}, rounded up to whole seconds.
 * No available agent: unknown ({@code null}), never zero.
 *
 * <p>Agents pull conversations off the queue, so a free slot is taken only when its agent
 * clicks. While the queue moves that is soon; once the resident at the head has waited longer
 * than {@link #IDLE_GRACE_SECONDS} while slots are free, those slots evidently go unused (the
 * agent reads, phones, or is a team lead with the console open) and are not counted: {@code F}
 * is taken as 0, so nobody who has waited minutes is told "less than a minute".
 */
public final class WaitEstimate {

    /** One available agent's capacity. */
    public record Agent(int maxConcurrent, int active) {
        int free() {
            return Math.max(0, maxConcurrent - active);
        }
    }

    /**
     * How long the head of a queue may wait while slots are free before those free slots no longer
     * count: a few clicks' time for an agent who sees the queue, well under the half minute the
     * widget's range starts to show.
     */
    public static final int IDLE_GRACE_SECONDS = 30;

    private WaitEstimate() {
    }

    /** Whether free slots go unused: the head of the queue has waited longer than the grace (free slots or not). */
    public static boolean freeSlotsIdle(long headWaitSeconds) {
        return headWaitSeconds > IDLE_GRACE_SECONDS;
    }

    /** The estimate for any position, with the agents' slots summed once (a tick asks it for every waiting resident). */
    public static IntFunction<Integer> forQueue(List<Agent> available, double averageHandleSeconds) {
        return forQueue(available, averageHandleSeconds, false);
    }

    /**
     * As {@link #forQueue(List, double)}; with {@code freeSlotsIdle} (see {@link #freeSlotsIdle})
     * the free slots are not counted: every position waits for a slot to free up.
     */
    public static IntFunction<Integer> forQueue(List<Agent> available, double averageHandleSeconds, boolean freeSlotsIdle) {
        if (available.isEmpty()) {
            return position -> null;
        }
        int slots = available.stream().mapToInt(Agent::maxConcurrent).sum();
        int free = freeSlotsIdle ? 0 : available.stream().mapToInt(Agent::free).sum();
        if (slots <= 0) {
            return position -> null;
        }
        return position -> (int) Math.ceil(Math.max(0, position - free) * averageHandleSeconds / slots);
    }

    public static Integer seconds(int position, List<Agent> available, double averageHandleSeconds) {
        return forQueue(available, averageHandleSeconds).apply(position);
    }

    /** Below this many seconds a new estimate at the same place is not worth a frame on its own. */
    static final int NOTICEABLE_SECONDS = 15;

    /**
     * Whether a resident who was told {@code told} at a place that has not moved should hear
     * {@code now}: when the wait became known or unknown, or moved by at least
     * {@value #NOTICEABLE_SECONDS} s and at least a tenth. Every claim takes a slot from the
     * agents who serve several topics, so the estimate of everyone waiting in those topics
     * drifts by AHT / S (under a second with hundreds of slots); the widget shows whole minutes,
     * and a range from half to twice the estimate. The drift is told once it adds up, and a new
     * place always carries the estimate of the moment.
     */
    public static boolean worthTelling(Integer told, Integer now) {
        if (told == null || now == null) {
            return (told == null) != (now == null);
        }
        return Math.abs(now - told) >= Math.max(NOTICEABLE_SECONDS, told / 10);
    }
}
