package nl.loket.resident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import nl.loket.platform.Pump;
import nl.loket.platform.Frames;
import nl.loket.platform.Subscriber;
import nl.loket.conversation.ConversationRow;
import nl.loket.conversation.ConversationState;
import nl.loket.conversation.Conversations;
import nl.loket.queue.QueueService;
import nl.loket.resident.ResidentProtocol.Out;
import nl.loket.topic.TopicCatalog;

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
    private final Conversations conversations;
    private final QueueService queues;
    private final TopicCatalog topics;
    private final ObjectMapper mapper;
    private final Pump pump;

    private volatile int lastSeq;
    private volatile Out.State lastState;
    private volatile String topic;
    /** The offer reason this connection was last told, so an offer is not repeated on every queue tick. */
    private volatile String offered;
    private volatile boolean toldCallback;

    ResidentSession(WebSocketConnection connection, UUID conversationId, int after, Conversations conversations,
                    QueueService queues, TopicCatalog topics, ObjectMapper mapper) {
        this.connection = connection;
        this.conversationId = conversationId;
        this.lastSeq = after;
        this.conversations = conversations;
        this.queues = queues;
        this.topics = topics;
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
    public boolean waiting() {
        Out.State s = lastState;
        return s != null && "queued".equals(s.state());
    }

    @Override
    public void typing(UUID conversationId, String from) {
        send(Out.Typing.AGENT).subscribe().with(ok -> { }, e -> { });
    }

    Uni<Void> send(Out frame) {
        return Frames.send(connection, mapper, frame);
    }

    private Uni<Void> deliver() {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        return conversations.find(conversationId).chain(found -> {
            if (found.isEmpty()) {
                // a valid resident token whose subject is no conversation (a callback request's, say)
                return send(new Out.Error("not_found", "Onbekend gesprek. / Unknown conversation.", null))
                        .chain(() -> connection.close(new io.quarkus.websockets.next.CloseReason(1008, "unknown conversation")));
            }
            ConversationRow conv = found.get();
            topic = conv.topic();
            return state(conv).chain(state -> offer(conv, state)).chain(so -> conversations.messagesAfter(conversationId, lastSeq, false).chain(messages -> {
                Out.State state = so.state();
                List<Out> frames = new ArrayList<>();
                if (!state.equals(lastState)) {
                    frames.add(state);
                }
                // an offer goes out when its reason first holds, and again after the state of every (re)connect
                if (so.reason() != null && !so.reason().equals(offered)) {
                    frames.add(new Out.CallbackOffer(so.reason(), state.estimatedWaitSeconds()));
                }
                if (conv.callbackId() != null && !toldCallback) {
                    frames.add(new Out.CallbackCreated(conv.callbackId().toString()));
                }
                messages.forEach(m -> frames.add(Out.MessageEvent.of(m)));
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (Out f : frames) {
                    chain = chain.chain(() -> send(f));
                }
                return chain.invoke(() -> {
                    lastState = state;
                    offered = so.reason();
                    toldCallback = conv.callbackId() != null;
                    if (!messages.isEmpty()) {
                        lastSeq = messages.get(messages.size() - 1).seq();
                    }
                });
            }));
        });
    }

    private record StateAndOffer(Out.State state, String reason) {
    }

    /** While queued: whether to offer a callback, and why (SPEC §3). */
    private Uni<StateAndOffer> offer(ConversationRow conv, Out.State state) {
        if (conv.state() != ConversationState.QUEUED) {
            return Uni.createFrom().item(new StateAndOffer(state, null));
        }
        return Uni.combine().all().unis(topics.find(conv.topic()), queues.snapshot()).asTuple().map(t -> {
            if (t.getItem1().isEmpty()) {
                return new StateAndOffer(state, null);
            }
            String reason = topics.offerReason(t.getItem1().get(), t.getItem2().topic(conv.topic()),
                    state.estimatedWaitSeconds(), java.time.Instant.now());
            return new StateAndOffer(state, reason);
        });
    }

    private Uni<Out.State> state(ConversationRow conv) {
        return switch (conv.state()) {
            case QUEUED -> Uni.combine().all().unis(queues.position(conversationId), queues.snapshot()).asTuple()
                    .map(t -> new Out.State("queued", t.getItem1(), t.getItem2().topic(conv.topic()).estimate(t.getItem1()), null, null));
            case ACTIVE -> Uni.createFrom().item(new Out.State("active", null, null, conv.agentName(), null));
            default -> Uni.createFrom().item(new Out.State(conv.state().wire(), null, null, null, conv.closeReason()));
        };
    }

}
