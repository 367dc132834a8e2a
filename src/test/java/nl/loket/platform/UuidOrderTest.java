package nl.loket.platform;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Db#UUID_ORDER} is PostgreSQL's order of uuid values: bytewise, which is the order of
 * their text form (fixed-width lowercase hex). Statements that lock several rows by id rely on
 * it to take them in the same order as {@code order by id}.
 */
class UuidOrderTest {

    @Property
    void sortsAsTheTextFormSorts(@ForAll long aHigh, @ForAll long aLow, @ForAll long bHigh, @ForAll long bLow) {
        UUID a = new UUID(aHigh, aLow);
        UUID b = new UUID(bHigh, bLow);
        assertThat(Integer.signum(Db.UUID_ORDER.compare(a, b))).as("%s against %s", a, b)
                .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
    }

    /** Where Java's own order differs: a first byte of 8 or more is a negative high half. */
    @Test
    void putsAHighFirstByteAfterALowOne() {
        UUID low = UUID.fromString("7fffffff-ffff-ffff-ffff-ffffffffffff");
        UUID high = UUID.fromString("80000000-0000-0000-0000-000000000000");
        assertThat(low.compareTo(high)).as("Java's UUID.compareTo").isPositive();
        assertThat(Db.UUID_ORDER.compare(low, high)).as("PostgreSQL's order").isNegative();
    }
}
