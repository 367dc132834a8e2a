package nl.loket.ops;

import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.ClusterListener;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while the LISTEN connection is up: without it this node's clients hear of other
 * nodes' changes only when something on this node makes them read, so a proxy should send new
 * clients elsewhere. A connection that died without a word counts as down from the probe that
 * noticed it ({@link ClusterListener}). The listener reconnects by itself, and readiness comes
 * back with it.
 */
@Readiness
@ApplicationScoped
public class ClusterReadiness implements HealthCheck {

    private final ClusterListener listener;

    public ClusterReadiness(ClusterListener listener) {
        this.listener = listener;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("cluster-signals").status(listener.listening()).build();
    }
}
