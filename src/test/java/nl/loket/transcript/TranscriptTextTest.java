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

    /** A conversation an agent closed with {@code outcome}; the resident's second message was removed by retention. */
    private static ConversationItem closed(String residentName, String outcome) {
        return new ConversationItem("c-2", "paspoort-id", "closed", residentName, AT, AT.plusSeconds(60), AT.plusSeconds(600),
                new ConversationItem.Agent("a-1", "Anne"), outcome, null, false, 5, AT, "en", "Verwezen naar afspraak", null);
    }

    private static List<TranscriptService.TranscriptMessage> messages() {
        return List.of(
                new TranscriptService.TranscriptMessage(1, "resident", "My passport expired", AT, null, null, false),
                new TranscriptService.TranscriptMessage(2, "note", "Vriendelijke meneer", AT.plusSeconds(70), null, "Anne", true),
                new TranscriptService.TranscriptMessage(3, "agent", "You can book online", AT.plusSeconds(80), null, "Anne", false),
                new TranscriptService.TranscriptMessage(4, "resident", null, AT.plusSeconds(90), null, null, false),
                new TranscriptService.TranscriptMessage(5, "agent", "Goodbye", AT.plusSeconds(95), null, null, false),
                new TranscriptService.TranscriptMessage(6, "system", "The conversation has ended.", AT.plusSeconds(600), null, null, false));
    }

    @Test
    void englishHasNoDutchLabelAndSaysStatesAndOutcomesInWords() {
        String text = TranscriptText.render(closed("Jan", "no_response"), "Passport and ID card", messages(), "en");

        assertThat(text).startsWith("Conversation c-2\n")
                .contains("\nTopic:       Passport and ID card (paspoort-id)\n")
                .contains("\nResident:    Jan\n")
                .contains("\nStarted:     2026-11-30 10:00\n")
                .contains("\nAccepted:    2026-11-30 10:01\n")
                .contains("\nAgent:       Anne\n")
                .contains("\nEnded:       2026-11-30 10:10 (no response)\n")
                .contains("\nSummary: Verwezen naar afspraak\n")
                .contains("\nTimes in Europe/Amsterdam.\n")
                .contains("\n[10:00:00] Resident (Jan): My passport expired\n")
                .contains("\n[10:01:10] Internal note from Anne: Vriendelijke meneer\n")
                .contains("\n[10:01:20] Anne: You can book online\n")
                .contains("\n[10:01:30] Resident (Jan): (removed)\n")
                .contains("\n[10:01:35] Agent: Goodbye\n")
                .contains("\n[10:10:00] Municipality: The conversation has ended.\n");
        assertThat(text).doesNotContain("Gesprek", "Onderwerp", "Inwoner", "Gestart", "Aangenomen", "Medewerker", "Beëindigd",
                "Samenvatting", "Tijden", "verwijderd", "Interne notitie", "Loket", "Gemeente", "no_response", "closed");

        String open = TranscriptText.render(new ConversationItem("c-3", "afval", "queued", null, AT, null, null, null, null, null,
                false, 0, AT, "en", null, null), "Waste", List.of(), "en");
        assertThat(open).contains("\nResident:    (no name)\n").contains("\nStatus:      queued\n")
                .doesNotContain("Inwoner", "geen naam", "wachtrij");
    }

    @Test
    void dutchSaysStatesAndOutcomesInDutchWords() {
        String text = TranscriptText.render(closed("Jan", "answered"), "Paspoort en ID-kaart", messages(), "nl");

        assertThat(text).startsWith("Gesprek c-2\n")
                .contains("\nOnderwerp:   Paspoort en ID-kaart (paspoort-id)\n")
                .contains("\nAangenomen:  2026-11-30 10:01\n")
                .contains("\nBeëindigd:   2026-11-30 10:10 (beantwoord)\n")
                .contains("\nTijden in Europe/Amsterdam.\n")
                .contains("\n[10:00:00] Inwoner (Jan): My passport expired\n")
                .contains("\n[10:01:10] Interne notitie van Anne: Vriendelijke meneer\n")
                .contains("\n[10:01:30] Inwoner (Jan): (verwijderd)\n")
                .contains("\n[10:01:35] Medewerker: Goodbye\n")
                .contains("\n[10:10:00] Gemeente: The conversation has ended.\n")
                .doesNotContain("answered", "closed", "Loket:");
        // without a language: Dutch
        assertThat(TranscriptText.render(closed("Jan", "answered"), "Paspoort en ID-kaart", messages())).isEqualTo(text);

        assertThat(TranscriptText.render(closed(null, "referred"), "Paspoort", List.of(), "nl"))
                .contains("\nInwoner:     (geen naam)\n").contains("(doorverwezen)\n");
        assertThat(TranscriptText.render(closed(null, "other"), "Paspoort", List.of(), "nl")).contains("(anders)\n");
        assertThat(TranscriptText.render(closed(null, "no_response"), "Paspoort", List.of(), "nl")).contains("(geen reactie)\n");
        for (String[] state : new String[][] {{"queued", "in de wachtrij"}, {"active", "lopend"}}) {
            assertThat(TranscriptText.render(new ConversationItem("c-3", "afval", state[0], null, AT, null, null, null, null, null,
                    false, 0, AT, "nl", null, null), "Afval", List.of(), "nl")).contains("\nStatus:      " + state[1] + "\n");
        }
        ConversationItem abandoned = new ConversationItem("c-4", "afval", "abandoned", null, AT, null, AT, null, null, null,
                false, 0, AT, "nl", null, null);
        assertThat(TranscriptText.render(abandoned, "Afval", List.of(), "nl")).contains("(afgehaakt)\n");
        assertThat(TranscriptText.render(abandoned, "Waste", List.of(), "en")).contains("(abandoned)\n");
        ConversationItem callback = new ConversationItem("c-5", "afval", "callback", null, AT, null, AT, null, null, null,
                false, 0, AT, "nl", null, null);
        assertThat(TranscriptText.render(callback, "Afval", List.of(), "nl")).contains("(terugbelverzoek)\n");
    }

    @Test
    void anUnknownStateOrOutcomeShowsItsCode() {
        assertThat(TranscriptText.render(closed("Jan", "escalated"), "Paspoort", List.of(), "nl"))
                .contains("\nBeëindigd:   2026-11-30 10:10 (escalated)\n");
        assertThat(TranscriptText.render(closed("Jan", "escalated"), "Passport", List.of(), "en"))
                .contains("\nEnded:       2026-11-30 10:10 (escalated)\n");
        ConversationItem paused = new ConversationItem("c-6", "afval", "paused", null, AT, null, null, null, null, null,
                false, 0, AT, "nl", null, null);
        assertThat(TranscriptText.render(paused, "Afval", List.of(), "nl")).contains("\nStatus:      paused\n");
        assertThat(TranscriptText.render(paused, "Waste", List.of(), "en")).contains("\nStatus:      paused\n");
    }
}
