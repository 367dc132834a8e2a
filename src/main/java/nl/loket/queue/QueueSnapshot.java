package nl.loket.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Every topic's queue and the agents able to serve it, read in one go. {@code generation}: the
 * number of changes signalled before it was read (see {@link QueueService#current});
 * {@code estimateGeneration}: the same without arrivals (see {@link QueueService#estimatesCurrent});
 * {@code callbackChanges}: per topic, the changes of its callback list this node had heard of
 * before it was read, and {@code callbackResyncs} the times it may have missed some (see
 * {@link #callbackChanges(String)}).
 */
public record QueueSnapshot(Instant at, Map<String, TopicLoad> topics, long generation, long estimateGeneration,
                            Map<String, Long> callbackChanges, long callbackResyncs) {

    public QueueSnapshot(Instant at, Map<String, TopicLoad> topics, long generation) {
        this(at, topics, generation, generation, Map.of(), 0);
    }

    /**
     * A number that grows with every change of the topic's callback list this node heard of (a
     * request made, claimed, given back, tried, cancelled, expired), also those that change no
     * count: a claimed request cancelled, or a repeat taking its place. A console that sees it
     * grow reads its lists again.
     */
    public long callbackChanges(String topic) {
        return callbackResyncs + callbackChanges.getOrDefault(topic, 0L);
    }

    /**
     * {@code longestWaitingSince}: when the resident who has waited longest now came into the
     * queue; after a transfer or a requeue that is when they came back, not their kept
     * {@code queuedAt} (V40). {@code agents}: the available agents serving the topic (online, not
     * away; full ones too); {@code agentsAway}: those online and away; {@code agentsAtCapacity}:
     * available ones with no free slot; {@code freeSlotsIdle}: when it was read, the resident at the
     * head had waited longer than {@link WaitEstimate#IDLE_GRACE_SECONDS}, so free slots are not
     * counted in the estimate (see {@link WaitEstimate}).
     */
    public record TopicLoad(String topic, int waiting, Instant longestWaitingSince, List<WaitEstimate.Agent> agents,
                            double averageHandleSeconds, boolean capacityShort, int callbacksOpen, int agentsAway,
                            int agentsAtCapacity, boolean freeSlotsIdle) {

        public TopicLoad(String topic, int waiting, Instant longestWaitingSince, List<WaitEstimate.Agent> agents,
                         double averageHandleSeconds, boolean capacityShort, int callbacksOpen, int agentsAway,
                         int agentsAtCapacity) {
            this(topic, waiting, longestWaitingSince, agents, averageHandleSeconds, capacityShort, callbacksOpen, agentsAway,
                    agentsAtCapacity, false);
        }

        public TopicLoad(String topic, int waiting, Instant longestWaitingSince, List<WaitEstimate.Agent> agents,
                         double averageHandleSeconds, boolean capacityShort, int callbacksOpen) {
            this(topic, waiting, longestWaitingSince, agents, averageHandleSeconds, capacityShort, callbacksOpen, 0,
                    (int) agents.stream().filter(a -> a.active() >= a.maxConcurrent()).count());
        }

        /** {@link #estimate} for many positions: the agents are summed once. */
        public IntFunction<Integer> estimates() {
            return WaitEstimate.forQueue(agents, averageHandleSeconds, freeSlotsIdle);
        }

        public Integer estimate(int position) {
            return estimates().apply(position);
        }

        public long longestWaitSeconds(Instant now) {
            return longestWaitingSince == null ? 0 : Math.max(0, now.getEpochSecond() - longestWaitingSince.getEpochSecond());
        }
    }

    public TopicLoad topic(String id) {
        return topics.getOrDefault(id, new TopicLoad(id, 0, null, List.of(), QueueService.DEFAULT_HANDLE_SECONDS, false, 0));
    }
}
