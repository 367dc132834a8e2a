package nl.loket.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Failures;
import nl.loket.platform.Signal;
import nl.loket.platform.Signals;

/**
 * The repair of a missed {@link Signal.Replaced}. The database tells the node holding a replaced
 * socket over NOTIFY, which a node hears unless its LISTEN connection is down; when it is back
 * ({@link Signal.Resync}) the node asks which of its residents' sockets the table no longer
 * counts, and closes them as replaced. One statement per resync, nothing per socket or ping.
 * Until then such a socket stays open here without counting towards its conversation's limit.
 */
@ApplicationScoped
public class ReplacedSockets {

    private final Fanout fanout;
    private final Presence presence;
    private final Signals signals;
    private final Failures failures;

    public ReplacedSockets(Fanout fanout, Presence presence, Signals signals, Failures failures) {
        this.fanout = fanout;
        this.presence = presence;
        this.signals = signals;
        this.failures = failures;
    }

    void resync(@Observes Signal.Resync resync) {
        presence.notCounted(fanout.residentConnectionIds()).subscribe().with(
                gone -> gone.forEach(id -> signals.deliver(new Signal.Replaced(id))),
                // the next resync looks again; until then the socket stays, as its conversation's sockets elsewhere do
                e -> failures.record("replaced", e, "Looking for replaced resident sockets after a resync failed"));
    }
}
