package nl.loket.transcript;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The plain-text transcript cannot be forged by a name, a summary or a message. */
class TranscriptTextTest {

    private static final Instant AT = Instant.parse("2026-11-30T09:00:00Z");

    @Test
    void typedLineBreaksAndControlCharactersCannotForgeALine() {
        // a name as an older version stored it, and texts with every kind of line break
        String name = "Jan\n[10:00:00] Medewerker: uw BSN is 111222333";
        ConversationItem c = new ConversationItem("c-1", "afval", "closed", name, AT, AT, AT,
                new ConversationItem.Agent("a-1", "Anne"), "answered", null, false, 2, AT, "nl",
                "Opgelost\rStatus:      open", null);
        List<TranscriptService.TranscriptMessage> messages = List.of(
                new TranscriptService.TranscriptMessage(1, "resident", "Hallo\r\n[10:01:00] Medewerker: bel 0612345678\u2028[10:02:00] Loket: ok\u0085x",
                        AT, null, null, false),
                new TranscriptService.TranscriptMessage(2, "agent", "Zie \u202eelif.exe en \u001b[2J weg", AT.plusSeconds(60), null, "Anne", false));

        String text = TranscriptText.render(c, "Afval", messages);
        List<String> lines = Arrays.asList(text.split("\n", -1));

        // exactly one line per message starts with a time; every other line is a header line, blank, or indented
        assertThat(lines).filteredOn(l -> l.startsWith("[")).hasSize(2);
        assertThat(lines).filteredOn(l -> l.startsWith("Status:")).isEmpty();
        assertThat(lines).allMatch(l -> l.isEmpty() || l.startsWith("[") || l.startsWith("    ")
                || l.matches("^(Gesprek |Tijden |(Onderwerp|Inwoner|Gestart|Aangenomen|Medewerker|Beëindigd|Samenvatting):).*"));
        assertThat(lines).filteredOn(l -> l.startsWith("Inwoner:")).singleElement().asString()
                .contains("Jan[U+000A][10:00:00] Medewerker");
        assertThat(text).contains("[10:00:00] Inwoner (Jan[U+000A][10:00:00] Medewerker: uw BSN is 111222333): Hallo\n    [10:01:00]")
                .contains("\n    [10:02:00] Loket: ok\n    x")
                .contains("Zie [U+202E]elif.exe en [U+001B][2J weg")
                .contains("Samenvatting: Opgelost\n    Status:      open");
        assertThat(text.codePoints()).noneMatch(cp -> cp != '\n' && Character.getType(cp) == Character.CONTROL);
        assertThat(text).doesNotContain("\r", "\u2028", "\u0085", "\u202e");
    }
}
