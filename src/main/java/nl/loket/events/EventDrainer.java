package nl.loket.events;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.rabbitmq.OutgoingRabbitMQMetadata;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Db;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.ArrayList;
import java.util.List;

/**
 * Drains the outbox onto the events channel. Rows are taken with SKIP LOCKED, so several nodes
 * drain side by side without sending a row twice; a row is marked sent only after the channel
 * acknowledged it, so a crash in between sends it again (at least once, docs/protocol.md §9).
 */
@ApplicationScoped
public class EventDrainer {

    public static final String CHANNEL = "loket-events";
    static final int BATCH = 100;

    private final Db db;
    private final MutinyEmitter<String> emitter;

    public EventDrainer(Db db, @Channel(CHANNEL) MutinyEmitter<String> emitter) {
        this.db = db;
        this.emitter = emitter;
    }

    @Scheduled(every = "${loket.events.drain-every:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> drain() {
        return drainOnce().onFailure().invoke(e -> Log.warn("Sending domain events failed; they stay in the outbox and are retried", e))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Sends one batch; the number sent. */
    public Uni<Integer> drainOnce() {
        return db.tx(tx -> tx.query("select id, type, payload, created_at from outbox where sent_at is null order by id "
                        + "limit $1 for update skip locked", Tuple.of(BATCH))
                .chain(rows -> {
                    List<Long> ids = new ArrayList<>();
                    Uni<Void> chain = Uni.createFrom().voidItem();
                    for (Row r : rows) {
                        long id = r.getLong("id");
                        ids.add(id);
                        String event = new JsonObject().put("id", id).put("type", r.getString("type"))
                                .put("at", r.getOffsetDateTime("created_at").toInstant().toString())
                                .put("data", r.getJsonObject("payload")).encode();
                        // with RabbitMQ the event type is the routing key, so consumers bind to what they need
                        Message<String> message = Message.of(event).addMetadata(OutgoingRabbitMQMetadata.builder()
                                .withRoutingKey(r.getString("type")).withContentType("application/json").build());
                        chain = chain.chain(() -> emitter.sendMessage(message));
                    }
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return chain.chain(() -> tx.query("update outbox set sent_at = now() where id = any($1)",
                            Tuple.of(ids.toArray(new Long[0])))).replaceWith(ids.size());
                }));
    }
}
