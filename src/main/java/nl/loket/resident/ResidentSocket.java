package nl.loket.resident;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import nl.loket.callback.CallbackInput;
import nl.loket.callback.CallbackService;
import nl.loket.cluster.Fanout;
import nl.loket.platform.ValidationException;
import nl.loket.topic.TopicCatalog;
import nl.loket.cluster.Presence;
import nl.loket.platform.Db;
import nl.loket.platform.FrameLimiter;
import nl.loket.platform.LoketException;
import nl.loket.config.LoketConfig;
import nl.loket.conversation.Conversations;
import nl.loket.conversation.Sender;
import nl.loket.platform.Signal;
import nl.loket.queue.QueueService;
import nl.loket.resident.ResidentProtocol.In;
import nl.loket.resident.ResidentProtocol.Out;
import nl.loket.security.Roles;
import nl.loket.security.UpgradeChecks;

import java.util.UUID;

/** {@code WS /ws/resident/{conversationId}[?after=SEQ]}, SPEC §4.1. */
@WebSocket(path = "/ws/resident/{id}", endpointId = UpgradeChecks.RESIDENT_ENDPOINT)
@RolesAllowed(Roles.RESIDENT)
public class ResidentSocket {

    private static final UserData.TypedKey<ResidentSession> SESSION = new UserData.TypedKey<>("loket.resident.session");
    private static final UserData.TypedKey<FrameLimiter> LIMITER = new UserData.TypedKey<>("loket.resident.limiter");

    private final Conversations conversations;
    private final QueueService queues;
    private final TopicCatalog topics;
    private final CallbackService callbacks;
    private final Presence presence;
    private final Fanout fanout;
    private final Db db;
    private final ObjectMapper mapper;
    private final LoketConfig config;

    public ResidentSocket(Conversations conversations, QueueService queues, TopicCatalog topics,
                          CallbackService callbacks, Presence presence,
                          Fanout fanout, Db db, ObjectMapper mapper, LoketConfig config) {
        this.conversations = conversations;
        this.queues = queues;
        this.topics = topics;
        this.callbacks = callbacks;
        this.presence = presence;
        this.fanout = fanout;
        this.db = db;
        this.mapper = mapper;
        this.config = config;
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        UUID id = UUID.fromString(connection.pathParam("id"));
        String after = queryParam(connection.handshakeRequest().query(), "after");
        ResidentSession session = new ResidentSession(connection, id, after == null ? 0 : Integer.parseInt(after),
                conversations, queues, topics, mapper);
        connection.userData().put(SESSION, session);
        connection.userData().put(LIMITER, new FrameLimiter(config.limits().residentFrames(), config.limits().frameWindow()));
        fanout.addResident(connection.id(), id, session);
        return presence.residentConnected(connection.id(), id).invoke(session::refresh);
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        ResidentSession session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        fanout.removeResident(connection.id(), session.conversationId(), session);
        return presence.residentDisconnected(connection.id(), session.conversationId());
    }

    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        ResidentSession session = connection.userData().get(SESSION);
        CloseReason refused = connection.userData().get(LIMITER).refuse(text);
        if (refused != null) {
            return connection.close(refused);
        }
        In frame;
        try {
            frame = mapper.readValue(text, In.class);
        } catch (JsonProcessingException e) {
            return session.send(new Out.Error("bad_request",
                    "Onbekend of ongeldig bericht. / Unknown or malformed frame.", null));
        }
        UUID id = session.conversationId();
        Uni<Void> work;
        if (frame instanceof In.SendMessage m) {
            if (m.clientMsgId() == null || m.clientMsgId().isBlank() || m.clientMsgId().length() > 100) {
                return session.send(new Out.Error("bad_request", "clientMsgId ontbreekt. / clientMsgId is missing.", m.clientMsgId()));
            }
            work = conversations.post(id, Sender.RESIDENT, m.clientMsgId(), m.text())
                    // a repeat is answered directly: the original was delivered already
                    .chain(posted -> posted.duplicate() ? session.send(Out.MessageEvent.of(posted.message())) : Uni.createFrom().voidItem())
                    .onFailure(LoketException.class).recoverWithUni(e -> session.send(
                            new Out.Error(((LoketException) e).code(), e.getMessage(), m.clientMsgId())));
        } else if (frame instanceof In.RequestCallback r) {
            CallbackInput input;
            try {
                input = CallbackInput.of(r.phone(), r.name(), r.window(), r.note());
            } catch (ValidationException e) {
                return session.send(new Out.ValidationError(e.errors()));
            }
            // the resident hears callback_created and state "callback" from the tables, like any change
            work = callbacks.fromConversation(id, input, null).replaceWithVoid();
        } else if (frame instanceof In.Typing) {
            work = db.signal(new Signal.Typing(id, "resident"));
        } else {
            work = conversations.leave(id);
        }
        return work.onFailure(LoketException.class).recoverWithUni(e ->
                session.send(new Out.Error(((LoketException) e).code(), e.getMessage(), null)));
    }

    @OnError
    public Uni<Void> error(WebSocketConnection connection, Throwable failure) {
        ResidentSession session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        return session.send(new Out.Error("internal", "Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.", null));
    }

    static String queryParam(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return pair.substring(eq + 1);
            }
        }
        return null;
    }
}
