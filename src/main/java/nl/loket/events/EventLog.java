package nl.loket.events;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.logging.Log;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The default, in-process consumer of domain events: logs them (ids and types only) and keeps
 * the most recent ones in memory. Built with the {@code rabbitmq} profile, the channel goes to
 * a RabbitMQ exchange instead and this bean does not exist.
 */
@ApplicationScoped
@UnlessBuildProfile("rabbitmq")
public class EventLog {

    private static final int KEEP = 1000;

    private final Deque<JsonObject> recent = new ArrayDeque<>();

    @Incoming(EventDrainer.CHANNEL)
    public void receive(String event) {
        JsonObject json = new JsonObject(event);
        Log.infof("Domain event %s %s", json.getString("type"), json.getJsonObject("data").encode());
        synchronized (recent) {
            recent.addLast(json);
            while (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
    }

    public List<JsonObject> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
