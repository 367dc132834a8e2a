package nl.loket.transcript;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
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

    public static String render(ConversationItem c, String topicName, List<TranscriptService.TranscriptMessage> messages) {
        StringBuilder out = new StringBuilder();
        out.append("Gesprek ").append(c.id()).append('\n');
        out.append("Onderwerp:   ").append(line(topicName)).append(" (").append(line(c.topic())).append(")\n");
        out.append("Inwoner:     ").append(c.residentName() == null ? "(geen naam)" : line(c.residentName())).append('\n');
        out.append("Gestart:     ").append(when(c.queuedAt())).append('\n');
        if (c.assignedAt() != null) {
            out.append("Aangenomen:  ").append(when(c.assignedAt())).append('\n');
        }
        if (c.agent() != null) {
            out.append("Medewerker:  ").append(line(c.agent().name())).append('\n');
        }
        if (c.closedAt() != null) {
            out.append("Beëindigd:   ").append(when(c.closedAt())).append(" (").append(c.state())
                    .append(c.outcome() == null ? "" : ", " + c.outcome()).append(")\n");
        } else {
            out.append("Status:      ").append(c.state()).append('\n');
        }
        if (c.summary() != null) {
            out.append("Samenvatting: ").append(block(c.summary())).append('\n');
        }
        out.append("Tijden in Europe/Amsterdam.\n\n");
        for (TranscriptService.TranscriptMessage m : messages) {
            out.append('[').append(TIME.format(m.sentAt())).append("] ").append(speaker(m, c)).append(": ")
                    .append(m.text() == null ? "(verwijderd)" : block(m.text())).append('\n');
        }
        return out.toString();
    }

    private static String speaker(TranscriptService.TranscriptMessage m, ConversationItem c) {
        return switch (m.from()) {
            case "resident" -> c.residentName() == null ? "Inwoner" : "Inwoner (" + line(c.residentName()) + ")";
            case "agent" -> m.agentName() == null ? "Medewerker" : line(m.agentName());
            case "note" -> "Interne notitie van " + (m.agentName() == null ? "medewerker" : line(m.agentName()));
            default -> "Loket";
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
