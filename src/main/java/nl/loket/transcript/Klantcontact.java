package nl.loket.transcript;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A conversation as a VNG Klantinteracties {@code Klantcontact} (the writable fields of Open
 * Klant's API 0.9.0), with the full transcript referenced as a bijlage. Pure mapping.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Klantcontact(String kanaal, String onderwerp, String inhoud, Boolean indicatieContactGelukt,
                           boolean verdereActieOndernomen, String taal, boolean vertrouwelijk, Instant plaatsgevondenOp,
                           Map<String, String> metadata, List<Bijlage> omvatteBijlagen) {

    public static final int INHOUD_MAX = 1000;
    public static final int ONDERWERP_MAX = 200;

    /** The transcript, which does not fit in {@code inhoud}. */
    public record Bijlage(String naam, String formaat, String url) {
    }

    /**
     * @param topicName          the topic's Dutch name
     * @param firstResidentText  the resident's first message, used when there is no summary
     * @param transcriptUrl      where the full transcript can be read
     */
    public static Klantcontact of(ConversationItem c, String topicName, String firstResidentText, String transcriptUrl) {
        return of(c, topicName, firstResidentText, transcriptUrl, null);
    }

    /**
     * @param firstTaken when an agent first took the conversation (null: never, or not known). The
     *                   contact took place from then: {@code assignedAt} is the last claim (a
     *                   colleague's after a transfer to the topic), and none at all once it went
     *                   back to the queue and was abandoned there, which gave the queue time of a
     *                   conversation an agent had held.
     */
    public static Klantcontact of(ConversationItem c, String topicName, String firstResidentText, String transcriptUrl,
                                  Instant firstTaken) {
        String inhoud = c.summary() != null && !c.summary().isBlank() ? c.summary()
                : firstResidentText != null ? firstResidentText : "(geen inhoud)";
        Instant when = firstTaken != null ? firstTaken : c.assignedAt() != null ? c.assignedAt() : c.queuedAt();
        return new Klantcontact("chat", truncate(topicName, ONDERWERP_MAX), truncate(inhoud, INHOUD_MAX), gelukt(c),
                "callback".equals(c.state()) || "referred".equals(c.outcome()),
                "en".equals(c.locale()) ? "eng" : "dut", c.confidential(), when,
                Map.of("loketGesprek", c.id(), "loketStatus", c.state()),
                List.of(new Bijlage("transcript-" + c.id() + ".txt", "text/plain", transcriptUrl)));
    }

    /** answered/referred: yes; no_response or abandoned: no; anything else: unknown. */
    static Boolean gelukt(ConversationItem c) {
        if ("abandoned".equals(c.state())) {
            return false;
        }
        if (c.outcome() == null) {
            return null;
        }
        return switch (c.outcome()) {
            case "answered", "referred" -> true;
            case "no_response" -> false;
            default -> null;
        };
    }

    /** At most {@code max} chars, cut between two characters: half an emoji is not valid JSON text for many a CRM. */
    static String truncate(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }
}
