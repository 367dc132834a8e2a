package nl.loket.agent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import nl.loket.conversation.Message;

import java.time.Instant;
import java.util.List;

/** The agent WebSocket, both directions, as in docs/protocol.md §5. Every client frame may carry a ref. */
public final class AgentProtocol {

    private AgentProtocol() {
    }

    /** agent → server */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = In.Status.class, name = "status"),
            @JsonSubTypes.Type(value = In.Claim.class, name = "claim"),
            @JsonSubTypes.Type(value = In.SendMessage.class, name = "message"),
            @JsonSubTypes.Type(value = In.Note.class, name = "note"),
            @JsonSubTypes.Type(value = In.Typing.class, name = "typing"),
            @JsonSubTypes.Type(value = In.TypingStopped.class, name = "typing_stopped"),
            @JsonSubTypes.Type(value = In.Transfer.class, name = "transfer"),
            @JsonSubTypes.Type(value = In.Close.class, name = "close"),
            @JsonSubTypes.Type(value = In.Callback.class, name = "callback"),
    })
    @JsonIgnoreProperties(ignoreUnknown = true)
    public sealed interface In {
        String ref();

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Status(String ref, String status) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Claim(String ref, String topic, String conversationId) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record SendMessage(String ref, String conversationId, String clientMsgId, String text) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Note(String ref, String conversationId, String clientMsgId, String text) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Typing(String ref, String conversationId) implements In {
        }

        /** The agent stopped typing a reply without sending it (the console turned to an internal note). */
        @JsonIgnoreProperties(ignoreUnknown = true)
        record TypingStopped(String ref, String conversationId) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Transfer(String ref, String conversationId, String topic, String agentId) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Callback(String ref, String conversationId, String phone, String window, String note) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Close(String ref, String conversationId, String outcome, String summary, Boolean confidential) implements In {
        }
    }

    /** server → agent */
    public sealed interface Out {
        String type();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record MessageView(int seq, String from, String text, Instant sentAt, String clientMsgId, String agentName) {
            static MessageView of(Message m) {
                return new MessageView(m.seq(), m.from(), m.text(), m.sentAt(), m.clientMsgId(), m.agentName());
            }
        }

        record ConversationView(String id, String topic, String state, String residentName, Instant queuedAt,
                                Instant assignedAt, boolean residentOnline, boolean confidential, List<MessageView> messages) {
        }

        record AgentView(String id, String name, List<String> topics, int maxConcurrent, String status) {
        }

        /** {@code later}: held conversations that could not be read yet; each comes as {@code assigned} (or {@code ended}) once it can be. */
        record Hello(String type, AgentView agent, List<ConversationView> conversations, List<String> later) implements Out {
            Hello(AgentView agent, List<ConversationView> conversations, List<String> later) {
                this("hello", agent, conversations, later);
            }
        }

        /** {@code agentsAway}: online and away; {@code agentsAtCapacity}: available but without a free slot (docs/protocol.md §5). */
        record TopicBoard(String id, int waiting, long longestWaitSeconds, Integer estimatedWaitSeconds, int agentsAvailable,
                          int callbacksOpen, int agentsAway, int agentsAtCapacity) {
        }

        record TopicCallbacks(String id, int open) {
        }

        record Callbacks(String type, List<TopicCallbacks> topics) implements Out {
            Callbacks(List<TopicCallbacks> topics) {
                this("callbacks", topics);
            }
        }

        record Queues(String type, List<TopicBoard> topics) implements Out {
            Queues(List<TopicBoard> topics) {
                this("queues", topics);
            }
        }

        /**
         * A department placed, changed or ended a notice, or departments were edited: the console
         * reads {@code GET /api/v1/departments} again. No content, so one frame serves every agent.
         */
        record DepartmentsChanged(String type) implements Out {
            DepartmentsChanged() {
                this("departments_changed");
            }
        }

        /**
         * {@code via}: {@link #VIA_CLAIM} or {@link #VIA_TRANSFER}, on every socket of the agent;
         * {@code ref}: the claim frame's, only on the socket that sent the claim.
         */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Assigned(String type, ConversationView conversation, String via, String ref) implements Out {
            static final String VIA_CLAIM = "claim";
            static final String VIA_TRANSFER = "transfer";

            Assigned(ConversationView conversation, String via, String ref) {
                this("assigned", conversation, via, ref);
            }
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record MessageEvent(String type, String conversationId, int seq, String from, String text, Instant sentAt,
                            String clientMsgId, String agentName) implements Out {
            static MessageEvent of(Message m) {
                return new MessageEvent("message", m.conversationId().toString(), m.seq(), m.from(), m.text(), m.sentAt(),
                        m.clientMsgId(), m.agentName());
            }
        }

        record Typing(String type, String conversationId, String from) implements Out {
            Typing(String conversationId) {
                this("typing", conversationId, "resident");
            }
        }

        record Presence(String type, String conversationId, boolean residentOnline) implements Out {
            Presence(String conversationId, boolean residentOnline) {
                this("presence", conversationId, residentOnline);
            }
        }

        record Ended(String type, String conversationId, String reason) implements Out {
            Ended(String conversationId, String reason) {
                this("ended", conversationId, reason);
            }
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Error(String type, String code, String message, String ref, List<nl.loket.platform.Problem.FieldError> errors)
                implements Out {
            Error(String code, String message, String ref) {
                this("error", code, message, ref, null);
            }
        }
    }
}
