package nl.loket.events;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The route of {@code LOKET_EVENTS=none}: events are logged (types and ids only; events carry no
 * personal data) and the most recent ones kept in memory.
 */
@ApplicationScoped
public class EventLog implements EventSink {

    private static final int KEEP = 1000;

    private final Deque<JsonObject> recent = new ArrayDeque<>();

    @Override
    public Uni<Void> publish(OutboxEvent event) {
        JsonObject json = event.toJson();
        Log.infof("Domain event %d %s %s", event.id(), event.type(), event.data().encode());
        synchronized (recent) {
            recent.addLast(json);
            while (recent.size() > KEEP) {
                recent.removeFirst();
            }
        }
        return Uni.createFrom().voidItem();
    }

    public List<JsonObject> recent() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }
}
