package nl.loket.agent;

import io.quarkus.logging.Log;
import nl.loket.platform.Failures;
import nl.loket.platform.Pump;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The failed reads of the conversations one agent connection holds, a streak per conversation:
 * its failures in a row, which set the pause before the next try. Every failed try is counted in
 * {@code loket_failures_total{where="delivery"}}, but the log gets one WARN (with the stack trace)
 * when a streak starts, a line at INFO for each retry that fails too, and one at INFO when the
 * conversation is read again: a read retried for minutes with a doubling pause otherwise wrote a
 * WARN with a stack trace each time. Ids only, never text or names.
 *
 * <p>Not thread-safe: used inside the connection's {@link Pump} runs alone.
 */
final class ReadStreaks {

    static final String WHERE = "delivery";

    private final Failures failures;
    private final String connectionId;
    private final UUID agentId;
    private final Map<UUID, Integer> inARow = new HashMap<>();

    ReadStreaks(Failures failures, String connectionId, UUID agentId) {
        this.failures = failures;
        this.connectionId = connectionId;
        this.agentId = agentId;
    }

    /**
     * One more failed read of the conversation.
     *
     * @return the pause before it is read again, doubling with each failure in a row
     */
    long failed(UUID conversationId, Throwable failure) {
        int n = inARow.merge(conversationId, 1, Integer::sum);
        long pause = Pump.pauseAfter(n - 1);
        failures.counter(WHERE).increment();
        if (n == 1) {
            Log.warnf(failure, "Delivery to agent connection %s (agent %s) failed reading conversation %s; read again in %d ms",
                    connectionId, agentId, conversationId, pause);
        } else {
            Log.infof("Delivery to agent connection %s (agent %s) still cannot read conversation %s (%d failed tries, the last %s); "
                    + "read again in %d ms", connectionId, agentId, conversationId, n, failure.getClass().getSimpleName(), pause);
        }
        return pause;
    }

    /** The conversation was read: ends its streak, if it had one, with a line at INFO. */
    void succeeded(UUID conversationId) {
        Integer n = inARow.remove(conversationId);
        if (n != null) {
            Log.infof("Delivery to agent connection %s (agent %s) read conversation %s again after %d tries",
                    connectionId, agentId, conversationId, n + 1);
        }
    }
}
