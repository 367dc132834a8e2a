package nl.loket.events;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import nl.loket.platform.Db;

/**
 * Domain events (docs/protocol.md §9) go into the outbox in the transaction of the change they describe:
 * a rolled-back change leaves no event, a committed one leaves at least once.
 */
public final class DomainEvents {

    public static final String CONVERSATION_QUEUED = "conversation.queued";
    public static final String CONVERSATION_ASSIGNED = "conversation.assigned";
    public static final String CONVERSATION_CLOSED = "conversation.closed";
    public static final String CONVERSATION_ABANDONED = "conversation.abandoned";
    public static final String CALLBACK_REQUESTED = "callback.requested";
    public static final String CALLBACK_COMPLETED = "callback.completed";
    public static final String CALLBACK_FAILED = "callback.failed";

    private DomainEvents() {
    }

    /** Ids and states only: events carry no personal data, consumers read the rest over the API. */
    public static Uni<Void> record(Db.Tx tx, String type, JsonObject payload) {
        return tx.query("insert into outbox (type, payload) values ($1, $2)", Tuple.of(type, payload)).replaceWithVoid();
    }
}
