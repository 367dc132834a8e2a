package nl.loket.resident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import nl.loket.cluster.Pump;
import nl.loket.cluster.Subscriber;
import nl.loket.conversation.ConversationRow;
import nl.loket.conversation.ConversationService;
import nl.loket.conversation.Message;
import nl.loket.queue.QueueService;
import nl.loket.resident.ResidentProtocol.Out;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One resident connection on this node. Whatever signal arrives, it re-reads the conversation
 * and sends what the resident has not had yet: a {@code state} frame when anything they see
 * changed (position included), then the messages after the last {@code seq} sent.
 */
final class ResidentSession implements Subscriber {

    private final WebSocketConnection connection;
    private final UUID conversationId;
    private final ConversationService conversations;
    private final QueueService queues;
    private final ObjectMapper mapper;
    private final Pump pump;

    private volatile int lastSeq;
    private volatile Out.State lastState;
    private volatile String topic;

    ResidentSession(WebSocketConnection connection, UUID conversationId, int after, ConversationService conversations,
                    QueueService queues, ObjectMapper mapper) {
        this.connection = connection;
        this.conversationId = conversationId;
        this.lastSeq = after;
        this.conversations = conversations;
        this.queues = queues;
        this.mapper = mapper;
        this.pump = new Pump("resident " + conversationId, this::deliver);
    }

    UUID conversationId() {
        return conversationId;
    }

    @Override
    public void refresh() {
        pump.trigger();
    }

    @Override
    public boolean waitsIn(String topic) {
        Out.State s = lastState;
        return s != null && "queued".equals(s.state()) && topic.equals(this.topic);
    }

    @Override
    public void typing(UUID conversationId, String from) {
        send(Out.Typing.AGENT).subscribe().with(ok -> { }, e -> { });
    }

    Uni<Void> send(Out frame) {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        try {
            return connection.sendText(mapper.writeValueAsString(frame));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private Uni<Void> deliver() {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        return conversations.find(conversationId).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            ConversationRow conv = found.get();
            topic = conv.topic();
            return state(conv).chain(state -> conversations.messagesAfter(conversationId, lastSeq, false).chain(messages -> {
                List<Out> frames = new ArrayList<>();
                if (!state.equals(lastState)) {
                    frames.add(state);
                }
                messages.forEach(m -> frames.add(Out.MessageEvent.of(m)));
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (Out f : frames) {
                    chain = chain.chain(() -> send(f));
                }
                return chain.invoke(() -> {
                    lastState = state;
                    if (!messages.isEmpty()) {
                        lastSeq = messages.get(messages.size() - 1).seq();
                    }
                });
            }));
        });
    }

    private Uni<Out.State> state(ConversationRow conv) {
        return switch (conv.state()) {
            case "queued" -> Uni.combine().all().unis(queues.position(conversationId), queues.snapshot()).asTuple()
                    .map(t -> new Out.State("queued", t.getItem1(), t.getItem2().topic(conv.topic()).estimate(t.getItem1()), null, null));
            case "active" -> Uni.createFrom().item(new Out.State("active", null, null, conv.agentName(), null));
            default -> Uni.createFrom().item(new Out.State(conv.state(), null, null, null, conv.closeReason()));
        };
    }

}
