package nl.loket.ops;

import io.quarkus.arc.Arc;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.websockets.next.OpenConnections;

/**
 * Makes the node under test drain as it does at the start of a rolling restart's stop
 * ({@link Draining#drain()}: it closes its sockets with 1012 and refuses new upgrades with 503),
 * for the current test only: a draining {@link Draining} stands in for the application's own,
 * which Quarkus puts back after the test, so the tests that share the application are not
 * stopped with it.
 */
public final class DrainingNode {

    private DrainingNode() {
    }

    /** Call inside a {@code @Test} (or {@code @BeforeEach}) of a {@code @QuarkusTest}. */
    public static void drainForThisTest() {
        Draining draining = new Draining(Arc.container().instance(OpenConnections.class).get(),
                Arc.container().instance(Scheduler.class).get());
        draining.drain();
        QuarkusMock.installMockForType(draining, Draining.class);
    }
}
