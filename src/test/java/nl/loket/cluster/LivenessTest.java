package nl.loket.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.UniEmitter;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Liveness#sweep()} on a clock that the test moves: the node that stood still, and the
 * counting of the work in hand, where the integration test (FrameInHandTest) cannot time things
 * to the second. Connections here answer to the clock only: a pong is {@link Liveness#heard}.
 */
class LivenessTest {

    private static final long S = 1_000_000_000L;
    /** Not 0: a clock may read anything, and a first sweep at 0 must count as one. */
    private static final long START = 7_000 * S;

    private long now = START;
    private final List<WebSocketConnection> open = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    /** The service's defaults: a ping every 25 s, silence allowed 60 s, a sweep every 10 s. */
    private Liveness liveness() {
        return liveness(Duration.ofSeconds(10));
    }

    private Liveness liveness(Duration sweepEvery) {
        return new Liveness(open, Duration.ofSeconds(60), sweepEvery, Optional.of(Duration.ofSeconds(25)), registry, () -> now);
    }

    @Test
    void aSilentConnectionIsClosedOnceAndALiveOneIsKept() {
        Liveness liveness = liveness();
        Fake live = connect(liveness, "live");
        Fake silent = connect(liveness, "silent");
        for (int t = 10; t <= 120; t += 10) {
            if (t % 20 == 0) {
                at(t);
                liveness.heard(live.proxy);
            }
            sweepAt(liveness, t);
            assertThat(silent.closedWith).as("at %d s", t).isEqualTo(t <= 60 ? null : 1001);
        }
        assertThat(live.closedWith).isNull();
        assertThat(silent.closes).as("closed by one sweep only, while its close handshake runs").isEqualTo(1);
        assertThat(registry.counter("loket.connections.unanswered", "kind", "resident").count()).isEqualTo(1.0);
    }

    /**
     * Sweeps every 10 s, pings every 25 s; then the node stands still from 50 s to 95 s (a long GC
     * pause, a SIGSTOP): the pongs to the ping of 50 s wait unread, so two live clients were last
     * heard at 25 s, 70 s before the next sweep, more than the 60 s allowed. Neither is closed;
     * each gets the time again from then, and one that answers nothing after it is closed as always.
     */
    @Test
    void aNodeThatStoodStillClosesNothingAndGivesEveryoneTheirTimeAgain() {
        Liveness liveness = liveness();
        Fake stays = connect(liveness, "stays");
        Fake leaves = connect(liveness, "leaves"); // its laptop goes to sleep during the standstill
        at(25);
        liveness.heard(stays.proxy);
        liveness.heard(leaves.proxy);
        for (int t = 10; t <= 50; t += 10) {
            sweepAt(liveness, t);
        }
        sweepAt(liveness, 95);
        assertThat(stays.closedWith).as("last heard 70 s ago, 45 s of it while this node stood still").isNull();
        assertThat(leaves.closedWith).as("last heard 70 s ago, 45 s of it while this node stood still").isNull();
        // the pings go out again: one answers, the other no longer, and it has 60 s from 95 s
        for (int t = 100; t <= 155; t += 5) {
            at(t - 1);
            liveness.heard(stays.proxy);
            sweepAt(liveness, t);
        }
        assertThat(leaves.closedWith).as("silent 60 s since the standstill ended").isNull();
        at(159);
        liveness.heard(stays.proxy);
        sweepAt(liveness, 160);
        assertThat(leaves.closedWith).as("silent 65 s since the standstill ended").isEqualTo(1001);
        assertThat(stays.closedWith).isNull();
        assertThat(leaves.closes).isEqualTo(1);
    }

    /** A late sweep is not a standstill while the delay alone cannot make a live client look silent. */
    @Test
    void aSweepLateByLessThanHalfTheSilenceAllowedClosesAsUsual() {
        Liveness liveness = liveness();
        Fake silent = connect(liveness, "silent");
        sweepAt(liveness, 10);
        sweepAt(liveness, 20);
        sweepAt(liveness, 45); // 25 s late: under the 30 s that half the silence allowed is
        assertThat(silent.closedWith).isNull();
        sweepAt(liveness, 70); // again
        assertThat(silent.closedWith).as("silent 70 s, this node late 25 s").isEqualTo(1001);
    }

    /**
     * A sweep interval over half the silence allowed (say 40 s against 60 s) made every sweep look
     * like a standstill, and then nothing was ever closed: the standstill is now measured past
     * the sweep's own interval.
     */
    @Test
    void aLongSweepIntervalDoesNotLookLikeAStandstill() {
        Liveness liveness = liveness(Duration.ofSeconds(40));
        Fake silent = connect(liveness, "silent");
        Fake live = connect(liveness, "live");
        for (int t = 41; t <= 41 * 5; t += 41) { // the scheduler fires at whole seconds: a second late each time
            at(t - 1);
            liveness.heard(live.proxy);
            sweepAt(liveness, t);
        }
        assertThat(silent.closedWith).as("silent since 0 s").isEqualTo(1001);
        assertThat(live.closedWith).isNull();
    }

    @Test
    void aFrameInHandIsNotSilenceAndItsEndCountsAsHeard() {
        Liveness liveness = liveness();
        Fake held = connect(liveness, "held");
        Work work = new Work();
        at(5);
        Cancellable running = liveness.handling(held.proxy, work.uni()).subscribe().with(v -> { }, f -> { });
        // a stalled database: the frame is in hand for five minutes, the client's pongs wait behind it
        for (int t = 10; t <= 300; t += 10) {
            sweepAt(liveness, t);
        }
        assertThat(held.closedWith).as("a frame in hand for 295 s").isNull();
        at(302);
        work.complete();
        for (int t = 310; t <= 360; t += 10) {
            sweepAt(liveness, t);
        }
        assertThat(held.closedWith).as("58 s after the frame's end").isNull();
        sweepAt(liveness, 370);
        assertThat(held.closedWith).as("68 s after the frame's end").isEqualTo(1001);
        running.cancel();
    }

    /** The count goes back down however the work ends, so a connection never stays in hand for good. */
    @Test
    void aFrameThatFailsOrIsCancelledIsNoLongerInHand() {
        Liveness liveness = liveness();
        Fake failed = connect(liveness, "failed");
        Fake cancelled = connect(liveness, "cancelled");
        Work failing = new Work();
        Work cancelling = new Work();
        liveness.handling(failed.proxy, failing.uni()).subscribe().with(v -> { }, f -> { });
        Cancellable c = liveness.handling(cancelled.proxy, cancelling.uni()).subscribe().with(v -> { }, f -> { });
        for (int t = 10; t <= 100; t += 10) {
            sweepAt(liveness, t);
        }
        assertThat(failed.closedWith).isNull();
        assertThat(cancelled.closedWith).isNull();
        at(105);
        failing.fail();
        c.cancel();
        assertThat(cancelling.cancelled).isTrue();
        for (int t = 110; t <= 160; t += 10) {
            sweepAt(liveness, t);
        }
        assertThat(failed.closedWith).isNull();
        assertThat(cancelled.closedWith).isNull();
        sweepAt(liveness, 170);
        assertThat(failed.closedWith).as("silent 65 s after its frame failed").isEqualTo(1001);
        assertThat(cancelled.closedWith).as("silent 65 s after its frame was cancelled").isEqualTo(1001);
    }

    /**
     * Counted per subscription: work put together but never started is not in hand, and work
     * started twice (a retry) is out of hand when both have ended. Counted when put together, the
     * first stayed in hand for good and the second went below zero: either way the connection
     * was never closed again.
     */
    @Test
    void onlyWorkThatRunsIsInHand() {
        Liveness liveness = liveness();
        Fake unstarted = connect(liveness, "unstarted");
        Fake retried = connect(liveness, "retried");
        liveness.handling(unstarted.proxy, Uni.createFrom().voidItem()); // never subscribed
        Uni<Void> twice = liveness.handling(retried.proxy, Uni.createFrom().voidItem());
        twice.await().indefinitely();
        twice.await().indefinitely();
        sweepAt(liveness, 61);
        assertThat(unstarted.closedWith).isEqualTo(1001);
        assertThat(retried.closedWith).isEqualTo(1001);
    }

    @Test
    void withoutPingsOftenEnoughNothingIsClosed() {
        Liveness liveness = new Liveness(open, Duration.ofSeconds(60), Duration.ofSeconds(10), Optional.of(Duration.ofSeconds(30)),
                registry, () -> now);
        Fake silent = connect(liveness, "silent");
        for (int t = 10; t <= 200; t += 10) {
            sweepAt(liveness, t);
        }
        assertThat(silent.closedWith).isNull();
    }

    // ---- the clock and the connections ----------------------------------------------------------

    private void at(long seconds) {
        now = START + seconds * S;
    }

    private void sweepAt(Liveness liveness, long seconds) {
        at(seconds);
        liveness.sweep();
    }

    private Fake connect(Liveness liveness, String id) {
        Fake fake = new Fake(id);
        open.add(fake.proxy);
        liveness.watch(fake.proxy);
        return fake;
    }

    /** Work that ends when the test says so. */
    private static final class Work {
        private final AtomicReference<UniEmitter<? super Void>> emitter = new AtomicReference<>();
        volatile boolean cancelled;

        Uni<Void> uni() {
            return Uni.createFrom().<Void>emitter(emitter::set).onCancellation().invoke(() -> cancelled = true);
        }

        void complete() {
            emitter.get().complete(null);
        }

        void fail() {
            emitter.get().fail(new IllegalStateException("the database went away"));
        }
    }

    /** A connection of the resident endpoint: its user data, whether it is open, and how it was closed. */
    private final class Fake {
        final WebSocketConnection proxy;
        volatile Integer closedWith;
        volatile int closes;
        private final Map<String, Object> data = new ConcurrentHashMap<>();

        Fake(String id) {
            UserData userData = new UserData() {
                @Override
                @SuppressWarnings("unchecked")
                public <V> V get(TypedKey<V> key) {
                    return (V) data.get(key.value());
                }

                @Override
                @SuppressWarnings("unchecked")
                public <V> V put(TypedKey<V> key, V value) {
                    return (V) data.put(key.value(), value);
                }

                @Override
                @SuppressWarnings("unchecked")
                public <V> V remove(TypedKey<V> key) {
                    return (V) data.remove(key.value());
                }

                @Override
                public int size() {
                    return data.size();
                }

                @Override
                public void clear() {
                    data.clear();
                }
            };
            this.proxy = (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[]{WebSocketConnection.class}, (self, method, args) -> switch (method.getName()) {
                        case "id" -> id;
                        case "endpointId" -> "resident";
                        case "userData" -> userData;
                        // the close handshake takes a while: still open to the next sweeps
                        case "isOpen" -> true;
                        case "isClosed" -> false;
                        case "close" -> {
                            closes++;
                            closedWith = ((CloseReason) args[0]).getCode();
                            yield Uni.createFrom().voidItem();
                        }
                        case "toString" -> id;
                        case "hashCode" -> System.identityHashCode(self);
                        case "equals" -> self == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }
}
