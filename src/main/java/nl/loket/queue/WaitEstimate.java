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
}
