package nl.loket.events;

import io.smallrye.mutiny.Uni;

/** A route out of Loket for outbox events; completes only once the event is safely handed over. */
public interface EventSink {

    Uni<Void> publish(OutboxEvent event);
}
