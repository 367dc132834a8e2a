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
 */
public final class WaitEstimate {

    /** One available agent's capacity. */
    public record Agent(int maxConcurrent, int active) {
        int free() {
            return Math.max(0, maxConcurrent - active);
        }
    }

    private WaitEstimate() {
    }

    /** The estimate for any position, with the agents' slots summed once (a tick asks it for every waiting resident). */
    public static IntFunction<Integer> forQueue(List<Agent> available, double averageHandleSeconds) {
        if (available.isEmpty()) {
            return position -> null;
        }
        int slots = available.stream().mapToInt(Agent::maxConcurrent).sum();
        int free = available.stream().mapToInt(Agent::free).sum();
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
