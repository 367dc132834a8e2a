package nl.loket.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

/**
 * Hands every signal this node hears to whoever observes it, as a CDI event: the connections
 * hub, the caches of queues, topics and accounts. The ground floor knows no feature; features
 * subscribe with {@code @Observes Signal.X}. Observers run on the caller's event loop and must
 * not block.
 */
@ApplicationScoped
public class Signals {

    private final Event<Signal> event;
    private final Failures failures;

    public Signals(Event<Signal> event, Failures failures) {
        this.event = event;
        this.failures = failures;
    }

    public void deliver(Signal signal) {
        try {
            event.fire(signal);
        } catch (RuntimeException e) {
            failures.record("signal", e, "Handling a %s signal failed", signal.getClass().getSimpleName());
        }
    }
}
