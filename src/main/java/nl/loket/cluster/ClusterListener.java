package nl.loket.cluster;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.common.Db;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.Optional;

/**
 * Listens on the PostgreSQL channel every node notifies, and hands each signal to this node's
 * {@link Fanout}. When the listening connection drops it reconnects, and on every (re)subscribe
 * all local connections re-read the tables, so whatever was notified meanwhile is delivered.
 */
@ApplicationScoped
public class ClusterListener {

    private final Vertx vertx;
    private final Fanout fanout;
    private final String url;
    private final String user;
    private final Optional<String> password;
    private PgSubscriber subscriber;

    public ClusterListener(Vertx vertx, Fanout fanout,
                           @ConfigProperty(name = "quarkus.datasource.reactive.url") String url,
                           @ConfigProperty(name = "quarkus.datasource.username") String user,
                           @ConfigProperty(name = "quarkus.datasource.password") Optional<String> password) {
        this.vertx = vertx;
        this.fanout = fanout;
        this.url = url;
        this.user = user;
        this.password = password;
    }

    void start(@Observes StartupEvent event) {
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user);
        password.ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options)
                // keep trying for as long as the node lives: a database restart must not end fan-out
                .reconnectPolicy(retries -> Math.min(5_000L, 100L * (1L << Math.min(retries, 6))));
        subscriber.channel(Db.CHANNEL)
                .handler(this::onPayload)
                .subscribeHandler(() -> {
                    Log.debug("Listening for cluster signals");
                    fanout.refreshAll();
                });
        subscriber.closeHandler(() -> Log.warn("Cluster signal connection closed; reconnecting"));
        subscriber.connect().await().atMost(Duration.ofSeconds(30));
    }

    void stop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }

    /**
     * Whether the LISTEN connection is up now (read by the readiness check). The subscriber drops
     * its connection while it reconnects.
     */
    public boolean listening() {
        PgSubscriber s = subscriber;
        return s != null && !s.closed() && s.getDelegate().actualConnection() != null;
    }

    private void onPayload(String payload) {
        try {
            fanout.dispatch(Signal.decode(payload));
        } catch (RuntimeException e) {
            Log.warnf(e, "Ignoring cluster signal %s", payload);
        }
    }
}
