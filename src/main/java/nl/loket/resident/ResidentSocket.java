package nl.loket.resident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnError;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.OnPongMessage;
import io.quarkus.websockets.next.OnTextMessage;
import io.quarkus.websockets.next.UserData;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import jakarta.annotation.security.RolesAllowed;
import nl.loket.callback.CallbackInput;
import nl.loket.callback.CallbackService;
import nl.loket.cluster.Fanout;
import nl.loket.cluster.Liveness;
import nl.loket.cluster.Presence;
import nl.loket.config.LoketConfig;
import nl.loket.conversation.Conversations;
import nl.loket.conversation.Sender;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.platform.FrameLimiter;
import nl.loket.platform.Inbound;
import nl.loket.platform.Signal;
import nl.loket.platform.ValidationException;
import nl.loket.privacy.EndedReads;
import nl.loket.resident.ResidentProtocol.In;
import nl.loket.resident.ResidentProtocol.Out;
import nl.loket.security.Roles;
import nl.loket.security.TokenService;
import nl.loket.security.UpgradeChecks;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** {@code WS /ws/resident/{conversationId}[?after=SEQ]}: docs/protocol.md, the resident socket. */
@WebSocket(path = "/ws/resident/{id}", endpointId = UpgradeChecks.RESIDENT_ENDPOINT)
@RolesAllowed(Roles.RESIDENT)
public class ResidentSocket {

    private static final UserData.TypedKey<ResidentSession> SESSION = new UserData.TypedKey<>("loket.resident.session");

    private final Conversations conversations;
    private final CallbackService callbacks;
    private final Presence presence;
    private final Fanout fanout;
    private final WaitingRoom room;
    private final Db db;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final LoketConfig config;
    private final Inbound<In> inbound;
    private final Failures failures;
    private final Liveness liveness;
    private final EndedReads endedReads;
    private final TokenService tokens;
    /** One frame budget per conversation on this node, shared by its sockets: more tabs do not buy more frames. */
    private final ConcurrentHashMap<UUID, FrameLimiter> budgets = new ConcurrentHashMap<>();

    public ResidentSocket(Conversations conversations, CallbackService callbacks, Presence presence, Fanout fanout,
                          WaitingRoom room, Db db, ObjectMapper mapper, Vertx vertx, LoketConfig config, Failures failures,
                          Liveness liveness, EndedReads endedReads, TokenService tokens) {
        this.endedReads = endedReads;
        this.tokens = tokens;
        this.conversations = conversations;
        this.callbacks = callbacks;
        this.presence = presence;
        this.fanout = fanout;
        this.room = room;
        this.db = db;
        this.mapper = mapper;
        this.vertx = vertx;
        this.config = config;
        this.failures = failures;
        this.liveness = liveness;
        this.inbound = new Inbound<>("resident-socket", In.class, "clientMsgId", mapper,
                (code, message, ref) -> new Out.Error(code, message, ref), failures);
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        liveness.watch(connection);
        // the client's pongs wait behind the open (its round trip to the database) as behind a frame
        return liveness.handling(connection, opening(connection));
    }

    private Uni<Void> opening(WebSocketConnection connection) {
        UUID id = UUID.fromString(connection.pathParam("id"));
        // the upgrade check refused anything else, with the same parser
        int after = After.parse(connection.handshakeRequest().query()).orElse(0);
        ResidentSession session = new ResidentSession(connection, id, after, conversations, room, mapper, vertx, failures,
                endedReads, tokens);
        // at the limit the oldest of the conversation's sockets makes way (ResidentSession.replaced), wherever it is
        return presence.residentConnected(connection.id(), id, config.limits().socketsPerConversation()).invoke(() -> {
            // followed before the first read, so no change between the read and now is missed
            connection.userData().put(SESSION, session);
            fanout.addResident(connection.id(), id, session);
            session.start();
        })
                // not recorded (the database away): closed for the widget to come back, and recorded as closed,
                // should it have been recorded after all (the answer lost after the commit)
                .onFailure().recoverWithUni(e -> inbound.notOpened(connection, e)
                        .chain(() -> presence.residentDisconnected(connection.id(), id)));
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        ResidentSession session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        fanout.removeResident(connection.id(), session.conversationId(), session);
        room.left(session);
        if (!fanout.hasResident(session.conversationId())) {
            budgets.remove(session.conversationId());
        }
        return presence.residentDisconnected(connection.id(), session.conversationId());
    }

    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        return liveness.handling(connection, handleText(connection, text));
    }

    private Uni<Void> handleText(WebSocketConnection connection, String text) {
        ResidentSession session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem(); // refused at open, closing
        }
        UUID id = session.conversationId();
        FrameLimiter budget = budgets.computeIfAbsent(id,
                k -> new FrameLimiter(config.limits().residentFrames(), config.limits().frameWindow()));
        return inbound.handle(connection, budget, text, frame -> handle(session, id, frame));
    }

    private Uni<Void> handle(ResidentSession session, UUID id, In frame) {
        if (frame instanceof In.SendMessage m) {
            if (m.clientMsgId() == null || m.clientMsgId().isBlank() || m.clientMsgId().length() > 100) {
                return inbound.error(session.connection(), "bad_request", "clientMsgId ontbreekt. / clientMsgId is missing.", m.clientMsgId());
            }
            return conversations.post(id, Sender.RESIDENT, m.clientMsgId(), m.text())
                    // a repeat is answered with the stored message, in its turn among the connection's frames
                    .invoke(posted -> {
                        if (posted.duplicate()) {
                            session.repeated(posted.message());
                        }
                    }).replaceWithVoid();
        } else if (frame instanceof In.RequestCallback r) {
            CallbackInput input;
            try {
                input = CallbackInput.of(r.phone(), r.name(), r.window(), r.note());
            } catch (ValidationException e) {
                return session.send(new Out.ValidationError(e.errors()));
            }
            // the resident hears callback_created and state "callback" with the change, like any other
            return callbacks.fromConversation(id, input, null).replaceWithVoid();
        } else if (frame instanceof In.Typing) {
            return db.signal(new Signal.Typing(id, "resident"));
        } else if (frame instanceof In.Leave) {
            return conversations.leave(id);
        }
        throw new IllegalStateException("unhandled frame " + frame.getClass().getSimpleName());
    }

    /** The browser's answer to the server's ping: the connection is alive (see {@link Liveness}). */
    @OnPongMessage
    public Uni<Void> pong(WebSocketConnection connection, Buffer data) {
        liveness.heard(connection);
        return Uni.createFrom().voidItem();
    }

    @OnError
    public Uni<Void> error(WebSocketConnection connection, Throwable failure) {
        ResidentSession session = connection.userData().get(SESSION);
        return inbound.failed(connection, failure, session == null ? "before open" : "conversation " + session.conversationId());
    }
}
