package nl.loket.security;

import io.github.bucket4j.TimeMeter;
import nl.loket.platform.LoketException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The public limit when many clients come at once: a client at its limit stays there while a
 * flood of other addresses passes the mark, and the clients forgotten are the idle ones. Three
 * requests a minute and a mark of four clients stand for production's limit and 50,000.
 */
class RateLimitsTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000_000L);
    private final RateLimits limits = new RateLimits(3, 4, new TimeMeter() {
        @Override
        public long currentTimeNanos() {
            return nanos.get();
        }

        @Override
        public boolean isWallClockBased() {
            return false;
        }
    });

    @Test
    void aClientAtItsLimitStaysThereWhileOthersFloodInAndIdleClientsAreForgotten() {
        for (int i = 0; i < 3; i++) {
            limits.checkPublic("hot");
        }
        assertLimited("hot");

        // more clients than the mark, within the minute: none of them idle, so nobody is forgotten
        for (int i = 1; i <= 6; i++) {
            limits.checkPublic("flood-" + i);
        }
        later(Duration.ofSeconds(11));
        limits.checkPublic("flood-7");
        assertThat(limits.tracked()).as("clients tracked").isEqualTo(8);
        assertLimited("hot");

        // a minute on, every bucket has filled up again: the next look forgets them all
        later(Duration.ofSeconds(61));
        limits.checkPublic("newcomer");
        assertThat(limits.tracked()).as("clients tracked after the idle ones were forgotten").isEqualTo(1);
        limits.checkPublic("hot"); // the limit holds per minute, as it did before
    }

    @Test
    void pastTwiceTheMarkWithinTheMinuteMemoryComesFirst() {
        for (int i = 0; i < 3; i++) {
            limits.checkPublic("hot");
        }
        for (int i = 1; i <= 8; i++) {
            limits.checkPublic("flood-" + i);
        }
        assertThat(limits.tracked()).isEqualTo(9);
        limits.checkPublic("flood-9");
        assertThat(limits.tracked()).as("all forgotten, then the one asking").isEqualTo(1);
        limits.checkPublic("hot"); // its limit went with the rest: the price of a bounded map
    }

    private void assertLimited(String client) {
        assertThatThrownBy(() -> limits.checkPublic(client)).isInstanceOfSatisfying(LoketException.class,
                e -> assertThat(e.status()).isEqualTo(429));
    }

    private void later(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
