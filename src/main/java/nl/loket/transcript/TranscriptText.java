package nl.loket.transcript;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** The readable transcript ({@code Accept: text/plain}): a header, then one line per message. */
public final class TranscriptText {

    private static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZONE);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZONE);

    private TranscriptText() {
    }

    public static String render(ConversationItem c, String topicName, List<TranscriptService.TranscriptMessage> messages) {
        StringBuilder out = new StringBuilder();
        out.append("Gesprek ").append(c.id()).append('\n');
        out.append("Onderwerp:   ").append(topicName).append(" (").append(c.topic()).append(")\n");
        out.append("Inwoner:     ").append(c.residentName() == null ? "(geen naam)" : c.residentName()).append('\n');
        out.append("Gestart:     ").append(when(c.queuedAt())).append('\n');
        if (c.assignedAt() != null) {
            out.append("Aangenomen:  ").append(when(c.assignedAt())).append('\n');
        }
        if (c.agent() != null) {
            out.append("Medewerker:  ").append(c.agent().name()).append('\n');
        }
        if (c.closedAt() != null) {
            out.append("Beëindigd:   ").append(when(c.closedAt())).append(" (").append(c.state())
                    .append(c.outcome() == null ? "" : ", " + c.outcome()).append(")\n");
        } else {
            out.append("Status:      ").append(c.state()).append('\n');
        }
        if (c.summary() != null) {
            out.append("Samenvatting: ").append(c.summary()).append('\n');
        }
        out.append("Tijden in Europe/Amsterdam.\n\n");
        for (TranscriptService.TranscriptMessage m : messages) {
            out.append('[').append(TIME.format(m.sentAt())).append("] ").append(speaker(m, c)).append(": ")
                    .append(m.text() == null ? "(verwijderd)" : m.text().replace("\n", "\n    ")).append('\n');
        }
        return out.toString();
    }

    private static String speaker(TranscriptService.TranscriptMessage m, ConversationItem c) {
        return switch (m.from()) {
            case "resident" -> c.residentName() == null ? "Inwoner" : "Inwoner (" + c.residentName() + ")";
            case "agent" -> m.agentName() == null ? "Medewerker" : m.agentName();
            case "note" -> "Interne notitie van " + (m.agentName() == null ? "medewerker" : m.agentName());
            default -> "Loket";
        };
    }

    private static String when(Instant at) {
        return at == null ? "-" : DAY_TIME.format(at);
    }
}
