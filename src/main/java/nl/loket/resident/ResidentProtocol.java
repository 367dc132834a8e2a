package nl.loket.resident;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import nl.loket.conversation.Message;

import java.time.Instant;

/** The resident WebSocket, both directions, as in docs/protocol.md §4. */
public final class ResidentProtocol {

    private ResidentProtocol() {
    }

    /** resident → server */
    @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
    @JsonSubTypes({
            @JsonSubTypes.Type(value = In.SendMessage.class, name = "message"),
            @JsonSubTypes.Type(value = In.Typing.class, name = "typing"),
            @JsonSubTypes.Type(value = In.Leave.class, name = "leave"),
            @JsonSubTypes.Type(value = In.RequestCallback.class, name = "request_callback"),
    })
    @JsonIgnoreProperties(ignoreUnknown = true)
    public sealed interface In {
        @JsonIgnoreProperties(ignoreUnknown = true)
        record SendMessage(String clientMsgId, String text) implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Typing() implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Leave() implements In {
        }

        @JsonIgnoreProperties(ignoreUnknown = true)
        record RequestCallback(String phone, String name, String window, String note) implements In {
        }
    }

    /** server → resident */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public sealed interface Out {
        String type();

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record State(String type, String state, Integer position, Integer estimatedWaitSeconds, String agentName,
                     String reason) implements Out {
            State(String state, Integer position, Integer estimatedWaitSeconds, String agentName, String reason) {
                this("state", state, position, estimatedWaitSeconds, agentName, reason);
            }
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record MessageEvent(String type, int seq, String from, String text, Instant sentAt, String clientMsgId,
                            String agentName) implements Out {
            static MessageEvent of(Message m) {
                return new MessageEvent("message", m.seq(), m.from(), m.text(), m.sentAt(), m.clientMsgId(), m.agentName());
            }
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record CallbackOffer(String type, String reason, Integer estimatedWaitSeconds) implements Out {
            CallbackOffer(String reason, Integer estimatedWaitSeconds) {
                this("callback_offer", reason, estimatedWaitSeconds);
            }
        }

        /** The standing offer is withdrawn: {@code reason} is the one that stopped holding; left out on a (re)connect with no offer. */
        @JsonInclude(JsonInclude.Include.NON_NULL)
        record CallbackOfferWithdrawn(String type, String reason) implements Out {
            CallbackOfferWithdrawn(String reason) {
                this("callback_offer_withdrawn", reason);
            }
        }

        /**
         * {@code reference}: the short reference the resident can quote on the phone (nl.loket.callback.CallbackReference);
         * {@code token}: a resident token for the request itself, which opens the request and not the conversation.
         */
        record CallbackCreated(String type, String callbackId, String reference, String token) implements Out {
            CallbackCreated(String callbackId, String token) {
                this("callback_created", callbackId, nl.loket.callback.CallbackReference.of(callbackId), token);
            }
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record ValidationError(String type, String code, String message, java.util.List<nl.loket.platform.Problem.FieldError> errors)
                implements Out {
            ValidationError(java.util.List<nl.loket.platform.Problem.FieldError> errors) {
                this("error", "invalid_callback", "Controleer de gegevens. / Check the details.", errors);
            }
        }

        record Typing(String type, String from) implements Out {
            static final Typing AGENT = new Typing("typing", "agent");
            /** The agent stopped typing a reply without sending it (turned to an internal note): the indicator goes. */
            static final Typing AGENT_STOPPED = new Typing("typing_stopped", "agent");
        }

        @JsonInclude(JsonInclude.Include.NON_NULL)
        record Error(String type, String code, String message, String clientMsgId) implements Out {
            Error(String code, String message, String clientMsgId) {
                this("error", code, message, clientMsgId);
            }
        }
    }
}
