package nl.loket.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;

/**
 * Ready only while this node's heartbeat reaches the database. The beat goes over the chat
 * connections ({@code loket-chat}, apart from the shared pool that the datasource's own check
 * looks at), as the chat messages do: a node whose chat connections cannot get through is taken
 * for dead by the other nodes after dead-after, its clients counted as gone, while it would
 * otherwise stay ready and take new ones.
 *
 * <p>DOWN once the last beat that reached the database is dead-after old (10 s), not sooner: that
 * is when the others declare the node dead, so readiness and the cluster never disagree, and a
 * beat seconds late in a surge (the longest measured gap was about 3 s, beats every 2 s) leaves
 * the node ready. UP again with the next beat that gets through.
 */
@Readiness
@ApplicationScoped
public class HeartbeatReadiness implements HealthCheck {

    private final Heartbeat heartbeat;
    private final Duration deadAfter;

    public HeartbeatReadiness(Heartbeat heartbeat, LoketConfig config) {
        this.heartbeat = heartbeat;
        this.deadAfter = config.cluster().deadAfter();
    }

    @Override
    public HealthCheckResponse call() {
        Duration silent = heartbeat.silentFor();
        boolean up = silent != null && silent.compareTo(deadAfter) < 0;
        var response = HealthCheckResponse.named("heartbeat").status(up).withData("deadAfterMillis", deadAfter.toMillis());
        return (silent == null ? response : response.withData("lastBeatMillisAgo", silent.toMillis())).build();
    }
}
