package nl.loket.queue;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Every topic's queue and the agents able to serve it, read in one go. {@code generation}: the
 * number of changes signalled before it was read (see {@link QueueService#current}).
 */
public record QueueSnapshot(Instant at, Map<String, TopicLoad> topics, long generation) {

    public record TopicLoad(String topic, int waiting, Instant oldestQueuedAt, List<WaitEstimate.Agent> agents,
                            double averageHandleSeconds, boolean capacityShort, int callbacksOpen) {

        public Integer estimate(int position) {
            return WaitEstimate.seconds(position, agents, averageHandleSeconds);
        }

        public long longestWaitSeconds(Instant now) {
            return oldestQueuedAt == null ? 0 : Math.max(0, now.getEpochSecond() - oldestQueuedAt.getEpochSecond());
        }
    }

    public TopicLoad topic(String id) {
        return topics.getOrDefault(id, new TopicLoad(id, 0, null, List.of(), QueueService.DEFAULT_HANDLE_SECONDS, false, 0));
    }
}
