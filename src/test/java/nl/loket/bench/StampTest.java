package nl.loket.bench;

import nl.loket.privacy.Redactor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's message texts carry their send time through the server unchanged. */
class StampTest {

    @Test
    void aStampReadsBackAndNoRedactionTouchesIt() {
        for (int i = 0; i < 10_000; i++) {
            long before = System.nanoTime();
            String text = HotPathBenchIT.stamp();
            long stamp = HotPathBenchIT.stampOf(text);
            assertThat(stamp).isBetween(before, System.nanoTime());
            assertThat(Redactor.redact(text).redacted()).as(text).isFalse();
        }
        // the old form, the time in base 36, could hold nine digits in a row: a BSN to the server
        String old = "bench a" + "111222333";
        assertThat(Redactor.redact(old).redacted()).isTrue();
        assertThat(HotPathBenchIT.stampOf("bench [BSN verwijderd]")).isEqualTo(-1);
        assertThat(HotPathBenchIT.stampOf("warm-up")).isEqualTo(-1);
    }
}
