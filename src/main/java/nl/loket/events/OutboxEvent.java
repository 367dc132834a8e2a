package nl.loket.events;

import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;

/** One row of the outbox as it leaves Loket: the same JSON on every route (log, RabbitMQ, webhook). */
public record OutboxEvent(long id, String type, Instant occurredAt, JsonObject data) {

    static final String COLUMNS = "id, type, payload, created_at";

    static OutboxEvent of(Row row) {
        return new OutboxEvent(row.getLong("id"), row.getString("type"),
                row.getOffsetDateTime("created_at").toInstant(), row.getJsonObject("payload"));
    }

    /** {@code {"id","type","occurredAt","data"}}; docs/events.md lists every type with an example. */
    public JsonObject toJson() {
        return new JsonObject().put("id", id).put("type", type).put("occurredAt", occurredAt.toString()).put("data", data);
    }
}
