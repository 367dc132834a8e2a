package nl.loket.privacy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResidentNameTest {

    @Test
    void aNameBecomesOneTrimmedLine() {
        assertThat(ResidentName.clean("  Jan \n Jansen\r\n")).isEqualTo("Jan Jansen");
        assertThat(ResidentName.clean("Jan\u2028[10:00:00] Medewerker: uw BSN")).isEqualTo("Jan [10:00:00] Medewerker: uw BSN");
        assertThat(ResidentName.clean("Jan\t\u00a0\u2003Jansen")).isEqualTo("Jan Jansen");
        // a right-to-left override, a zero-width space, an escape and a NUL are dropped
        assertThat(ResidentName.clean("\u202eAnna\u200b\u001b[31m\u0000")).isEqualTo("Anna[31m");
        // the joiners some scripts need stay
        assertThat(ResidentName.clean("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")).contains("\u200c");
        assertThat(ResidentName.clean(" \n\t ")).isNull();
        assertThat(ResidentName.clean(null)).isNull();
    }

    @Property
    void noCleanedNameHoldsALineBreakAControlCharacterOrOuterSpace(@ForAll String raw) {
        String name = ResidentName.clean(raw);
        if (name != null) {
            assertThat(name).isEqualTo(name.strip()).doesNotContain("  ");
            assertThat(name.codePoints()).noneMatch(cp -> Character.getType(cp) == Character.CONTROL
                    || Character.getType(cp) == Character.LINE_SEPARATOR || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR);
            assertThat(name.length()).isLessThanOrEqualTo(raw.length());
        }
    }
}
