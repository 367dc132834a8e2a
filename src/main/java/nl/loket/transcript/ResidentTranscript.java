package nl.loket.transcript;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * A transcript as its resident reads it with their own token: only what the resident saw or gave.
 * Built field by field from the staff view, so a field added there later (an internal one) stays
 * out of here unless someone adds it on purpose. Not here: the agent's closing summary, the notes
 * and how many there are, the agent's id, the confidential flag, the feed's {@code updatedAt}.
 */
@Schema(name = "ResidentTranscript", description = "The transcript a resident reads with their own conversation token: "
        + "no notes, no closing summary, no agent id, no confidential flag")
public record ResidentTranscript(Conversation conversation, List<Message> messages) {

    @Schema(name = "ResidentConversation", description = "The conversation as its resident knows it: in their transcript, "
            + "and what they read of GET /api/v1/conversations/{id}")
    public record Conversation(
            String id,
            String topic,
            @Schema(description = "the topic's Dutch name (in the text transcript: in its language); its id when the topic is gone") String topicName,
            @Schema(description = "queued, active, closed, callback or abandoned") String state,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "the name the resident gave") String residentName,
            Instant queuedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant assignedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL) Instant closedAt,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "the display name of the last agent who held it, as the resident saw it in the chat") String agentName,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "answered, referred, no_response or other") String outcome,
            @JsonInclude(JsonInclude.Include.NON_NULL) @Schema(description = "the resident's own rating") Integer rating,
            @Schema(description = "the messages the resident sees: resident, agent and system; never notes") int messageCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) String locale,
            @JsonInclude(JsonInclude.Include.NON_NULL)
            @Schema(description = "why it ended, as the resident's socket said (state.reason): closed, resident_left, "
                    + "resident_gone, timeout or callback") String closeReason) {
    }

    @Schema(name = "ResidentTranscriptMessage")
    public record Message(int seq, @Schema(description = "resident, agent or system") String from,
                          @Schema(nullable = true, description = "null once removed (a privacy request)") String text, Instant sentAt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String clientMsgId,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String agentName) {
    }

    /**
     * The resident's view of a conversation and its messages; notes are dropped here as well,
     * should the caller have read them.
     */
    static ResidentTranscript of(ConversationItem c, String topicName, List<TranscriptService.TranscriptMessage> all) {
        List<Message> messages = all.stream().filter(m -> !m.internal() && !"note".equals(m.from()))
                .map(m -> new Message(m.seq(), m.from(), m.text(), m.sentAt(), m.clientMsgId(), m.agentName())).toList();
        return new ResidentTranscript(new Conversation(c.id(), c.topic(), topicName, c.state(), c.residentName(), c.queuedAt(),
                c.assignedAt(), c.closedAt(), c.agent() == null ? null : c.agent().name(), c.outcome(), c.rating(), messages.size(),
                c.locale(), c.closeReason()), messages);
    }
}
