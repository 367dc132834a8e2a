package nl.loket.conversation;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A message's sentAt, read by hand in the form PostgreSQL writes it, means what Instant.parse says it means. */
class SentAtTest {

    /** loket_message_json's to_char(... 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') */
    private static final DateTimeFormatter POSTGRES = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    @Property
    void theFormPostgresWritesReadsAsInstantParseReadsIt(@ForAll @LongRange(min = 0, max = 253_402_300_799_999_999L) long micros) {
        Instant t = Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
        String text = POSTGRES.format(t);
        assertThat(ConversationEvent.sentAt(text)).isEqualTo(Instant.parse(text)).isEqualTo(t);
    }

    @Test
    void otherFormsAreLeftToInstantParse() {
        assertThat(ConversationEvent.sentAt("2026-12-03T13:29:50Z")).isEqualTo(Instant.parse("2026-12-03T13:29:50Z"));
        assertThat(ConversationEvent.sentAt("2026-12-03T13:29:50.123Z")).isEqualTo(Instant.parse("2026-12-03T13:29:50.123Z"));
        assertThatThrownBy(() -> ConversationEvent.sentAt("2026-13-03T13:29:50.123456Z")).isInstanceOf(DateTimeParseException.class);
        assertThatThrownBy(() -> ConversationEvent.sentAt("2026-12-03T13:2x:50.123456Z")).isInstanceOf(DateTimeParseException.class);
    }
}
