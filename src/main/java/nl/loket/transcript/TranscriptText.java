package nl.loket.transcript;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The readable transcript ({@code Accept: text/plain}): a header, then one line per message.
 * Nothing typed can forge a line: names are shown on one line, every further line of a message
 * or summary is indented, and control, line-separator and bidirectional characters are shown as
 * {@code [U+XXXX]} instead of being acted on by the reader's screen.
 */
public final class TranscriptText {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZONE);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZONE);
    /** Every way a viewer may start a new line: CR LF, LF, CR, VT, FF, NEL, LS, PS. */
    private static final Pattern LINE_BREAK = Pattern.compile("\\r\\n|[\\n\\r\\x0B\\f\\x85\\x{2028}\\x{2029}]");

    private TranscriptText() {
    }

    /** The labels and words of a transcript in one language; states and outcomes in the console's words. */
    private record Words(String conversation, String topic, String resident, String started, String accepted, String agent,
                         String ended, String status, String summary, String times, String noName, String removed,
                         String residentSpeaker, String agentSpeaker, String noteBy, String noteByAgent, String system,
                         Map<String, String> states, Map<String, String> outcomes) {
    }

    private static final Words NL = new Words("Gesprek ", "Onderwerp:   ", "Inwoner:     ", "Gestart:     ", "Aangenomen:  ",
            "Medewerker:  ", "Beëindigd:   ", "Status:      ", "Samenvatting: ", "Tijden in Europe/Amsterdam.", "(geen naam)",
            "(verwijderd)", "Inwoner", "Medewerker", "Interne notitie van ", "medewerker", "Gemeente",
            Map.of("queued", "in de wachtrij", "active", "lopend", "closed", "afgesloten", "abandoned", "afgehaakt",
                    "callback", "terugbelverzoek"),
            Map.of("answered", "beantwoord", "referred", "doorverwezen", "no_response", "geen reactie", "other", "anders"));

    private static final Words EN = new Words("Conversation ", "Topic:       ", "Resident:    ", "Started:     ", "Accepted:    ",
            "Agent:       ", "Ended:       ", "Status:      ", "Summary: ", "Times in Europe/Amsterdam.", "(no name)",
            "(removed)", "Resident", "Agent", "Internal note from ", "an agent", "Municipality",
            Map.of("queued", "queued", "active", "active", "closed", "closed", "abandoned", "abandoned", "callback", "callback"),
            Map.of("answered", "answered", "referred", "referred", "no_response", "no response", "other", "other"));

    /** The languages a transcript can be read in; {@link #render} takes one of these. */
    public static final Set<String> LANGUAGES = Set.of("nl", "en");

    /** The transcript in Dutch. */
    public static String render(ConversationItem c, String topicName, List<TranscriptService.TranscriptMessage> messages) {
        return render(c, topicName, messages, "nl");
    }

    /** The transcript in {@code lang} ({@code en}, anything else is Dutch), as staff read it: notes and summary included. */
    public static String render(ConversationItem c, String topicName, List<TranscriptService.TranscriptMessage> messages,
                                String lang) {
        return render(new Header(c.id(), c.topic(), c.residentName(), c.queuedAt(), c.assignedAt(),
                c.agent() == null ? null : c.agent().name(), c.closedAt(), c.state(), c.outcome(), c.summary()), topicName, messages, lang);
    }

    /** The transcript in {@code lang} as its resident reads it: only what {@link ResidentTranscript} carries. */
    public static String render(ResidentTranscript t, String topicName, String lang) {
        ResidentTranscript.Conversation c = t.conversation();
        List<TranscriptService.TranscriptMessage> messages = t.messages().stream()
                .map(m -> new TranscriptService.TranscriptMessage(m.seq(), m.from(), m.text(), m.sentAt(), m.clientMsgId(), m.agentName(), false))
                .toList();
        return render(new Header(c.id(), c.topic(), c.residentName(), c.queuedAt(), c.assignedAt(), c.agentName(), c.closedAt(),
                c.state(), c.outcome(), null), topicName, messages, lang);
    }

    /** What the header of a transcript shows; {@code summary} only in staff's. */
    private record Header(String id, String topic, String residentName, Instant queuedAt, Instant assignedAt, String agentName,
                          Instant closedAt, String state, String outcome, String summary) {
    }

    private static String render(Header c, String topicName, List<TranscriptService.TranscriptMessage> messages, String lang) {
        Words w = "en".equals(lang) ? EN : NL;
        StringBuilder out = new StringBuilder();
        out.append(w.conversation()).append(c.id()).append('\n');
        out.append(w.topic()).append(line(topicName)).append(" (").append(line(c.topic())).append(")\n");
        out.append(w.resident()).append(c.residentName() == null ? w.noName() : line(c.residentName())).append('\n');
        out.append(w.started()).append(when(c.queuedAt())).append('\n');
        if (c.assignedAt() != null) {
            out.append(w.accepted()).append(when(c.assignedAt())).append('\n');
        }
        if (c.agentName() != null) {
            out.append(w.agent()).append(line(c.agentName())).append('\n');
        }
        if (c.closedAt() != null) {
            out.append(w.ended()).append(when(c.closedAt())).append(" (").append(end(c, w)).append(")\n");
        } else {
            out.append(w.status()).append(word(w.states(), c.state())).append('\n');
        }
        if (c.summary() != null) {
            out.append(w.summary()).append(block(c.summary())).append('\n');
        }
        out.append(w.times()).append("\n\n");
        for (TranscriptService.TranscriptMessage m : messages) {
            out.append('[').append(TIME.format(m.sentAt())).append("] ").append(speaker(m, c, w)).append(": ")
                    .append(m.text() == null ? w.removed() : block(m.text())).append('\n');
        }
        return out.toString();
    }

    /**
     * How it ended: an agent's outcome says it was closed, so a closed conversation with an outcome
     * shows only the outcome; otherwise the state, and an outcome after it should there be one.
     */
    private static String end(Header c, Words w) {
        if (c.outcome() == null) {
            return word(w.states(), c.state());
        }
        String outcome = word(w.outcomes(), c.outcome());
        return "closed".equals(c.state()) ? outcome : word(w.states(), c.state()) + ", " + outcome;
    }

    /** The word for a code; a code without one (a newer value, or null) is shown as it is, on one line. */
    private static String word(Map<String, String> words, String code) {
        return code == null ? "-" : words.getOrDefault(code, line(code));
    }

    private static String speaker(TranscriptService.TranscriptMessage m, Header c, Words w) {
        return switch (m.from()) {
            case "resident" -> c.residentName() == null ? w.residentSpeaker() : w.residentSpeaker() + " (" + line(c.residentName()) + ")";
            case "agent" -> m.agentName() == null ? w.agentSpeaker() : line(m.agentName());
            case "note" -> w.noteBy() + (m.agentName() == null ? w.noteByAgent() : line(m.agentName()));
            default -> w.system();
        };
    }

    /** Text that may span lines: every line after the first is indented under the speaker. */
    static String block(String text) {
        String[] lines = LINE_BREAK.split(text, -1);
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < lines.length; i++) {
            out.append(i == 0 ? "" : "\n    ").append(line(lines[i]));
        }
        return out.toString();
    }

    /** Text shown on one line: characters that would break it, or reorder it on screen, appear as escapes. */
    static String line(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (unsafe(cp)) {
                out.append(String.format("[U+%04X]", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }

    private static boolean unsafe(int cp) {
        int type = Character.getType(cp);
        return cp != '\t' && (type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.SURROGATE || (type == Character.FORMAT && cp != 0x200C && cp != 0x200D));
    }

    private static String when(Instant at) {
        return at == null ? "-" : DAY_TIME.format(at);
    }
}
