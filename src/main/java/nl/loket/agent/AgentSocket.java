package nl.loket.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.identity.SecurityIdentity;
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
import nl.loket.agent.AgentProtocol.In;
import nl.loket.agent.AgentProtocol.Out;
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
import nl.loket.platform.LoketException;
import nl.loket.platform.Signal;
import nl.loket.platform.ValidationException;
import nl.loket.privacy.Privacy;
import nl.loket.queue.QueueService;
import nl.loket.security.RevokedTokens;
import nl.loket.security.Roles;
import nl.loket.security.TokenService;
import nl.loket.security.UpgradeChecks;
import nl.loket.user.ActiveAccounts;
import nl.loket.user.UserRepository;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Set;
import java.util.UUID;

/** {@code WS /ws/agent}: docs/protocol.md, the agent socket. Every frame is checked against the conversation's assignment. */
@WebSocket(path = "/ws/agent", endpointId = UpgradeChecks.AGENT_ENDPOINT)
@RolesAllowed(Roles.AGENT)
public class AgentSocket {

    private static final UserData.TypedKey<AgentSession> SESSION = new UserData.TypedKey<>("loket.agent.session");
    private static final UserData.TypedKey<FrameLimiter> LIMITER = new UserData.TypedKey<>("loket.agent.limiter");
    private static final UserData.TypedKey<String> NAME = new UserData.TypedKey<>("loket.agent.name");
    private static final Set<String> OUTCOMES = Set.of("answered", "referred", "no_response", "other");

    private final SecurityIdentity identity;
    private final Conversations conversations;
    private final CallbackService callbacks;
    private final QueueService queues;
    private final UserRepository users;
    private final Presence presence;
    private final Fanout fanout;
    private final Db db;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final LoketConfig config;
    private final Privacy privacy;
    private final Inbound<In> inbound;
    private final Failures failures;
    private final ActiveAccounts accounts;
    private final Liveness liveness;
    private final RevokedTokens revokedTokens;

    public AgentSocket(SecurityIdentity identity, Conversations conversations, CallbackService callbacks, QueueService queues,
                       UserRepository users, Presence presence, Fanout fanout, Db db, ObjectMapper mapper, Vertx vertx,
                       LoketConfig config, Privacy privacy, Failures failures, ActiveAccounts accounts,
                       Liveness liveness, RevokedTokens revokedTokens) {
        this.revokedTokens = revokedTokens;
        this.accounts = accounts;
        this.liveness = liveness;
        this.identity = identity;
        this.conversations = conversations;
        this.callbacks = callbacks;
        this.queues = queues;
        this.users = users;
        this.presence = presence;
        this.fanout = fanout;
        this.db = db;
        this.mapper = mapper;
        this.vertx = vertx;
        this.config = config;
        this.privacy = privacy;
        this.failures = failures;
        this.inbound = new Inbound<>("agent-socket", In.class, "ref", mapper,
                (code, message, ref) -> new Out.Error(code, message, ref), failures);
    }

    @OnOpen
    public Uni<Void> open(WebSocketConnection connection) {
        liveness.watch(connection);
        // the client's pongs wait behind the open (its round trip to the database) as behind a frame
        return liveness.handling(connection, opening(connection));
    }

    private Uni<Void> opening(WebSocketConnection connection) {
        JsonWebToken jwt = (JsonWebToken) identity.getPrincipal();
        UUID agentId = UUID.fromString(jwt.getSubject());
        long generation = TokenService.generationOf(jwt);
        String tokenId = RevokedTokens.tokenId(jwt);
        AgentSession session = new AgentSession(connection, agentId, generation, tokenId, identity.hasRole(Roles.SUPERVISOR), conversations,
                users, queues, fanout, mapper, vertx, failures);
        connection.userData().put(SESSION, session);
        connection.userData().put(NAME, jwt.getClaim("name") == null ? jwt.getName() : jwt.<String>getClaim("name"));
        connection.userData().put(LIMITER, new FrameLimiter(config.limits().agentFrames(), config.limits().frameWindow()));
        fanout.addAgent(connection.id(), session);
        // a revocation between the upgrade check and now found no connection to close: look again
        accounts.current(agentId).ifPresent(current -> session.revoke(current.generation(), current.active()));
        if (revokedTokens.knownRevoked(tokenId)) {
            session.loggedOut(tokenId); // so was a logout
        }
        return presence.agentConnected(connection.id(), agentId).invoke(session::start)
                // not recorded (the database away): closed for the console to come back; its close removes the session
                // and records the connection as closed, should it have been recorded after all (the answer lost after the commit)
                .onFailure().recoverWithUni(e -> inbound.notOpened(connection, e));
    }

    @OnClose
    public Uni<Void> close(WebSocketConnection connection) {
        AgentSession session = connection.userData().get(SESSION);
        if (session == null) {
            return Uni.createFrom().voidItem();
        }
        fanout.removeAgent(connection.id(), session);
        session.closed();
        return presence.agentDisconnected(connection.id(), session.agentId());
    }

    @OnTextMessage
    public Uni<Void> message(WebSocketConnection connection, String text) {
        return liveness.handling(connection, handleText(connection, text));
    }

    private Uni<Void> handleText(WebSocketConnection connection, String text) {
        AgentSession session = connection.userData().get(SESSION);
        return inbound.handle(connection, connection.userData().get(LIMITER), text,
                frame -> handle(session, connection.userData().get(NAME), frame));
    }

    private Uni<Void> handle(AgentSession session, String name, In frame) {
        UUID agent = session.agentId();
        if (frame instanceof In.Status s) {
            if (!"available".equals(s.status()) && !"away".equals(s.status())) {
                throw bad("status moet available of away zijn / status must be available or away");
            }
            return users.setStatus(agent, s.status());
        }
        if (frame instanceof In.Claim c) {
            UUID specific = c.conversationId() == null ? null : uuid(c.conversationId());
            // the ref goes to this connection's assigned alone: the console tells its own claim from a colleague's transfer
            return conversations.claim(agent, new Conversations.ClaimTarget(specific, c.topic()), id -> session.claimed(id, c.ref()))
                    .replaceWithVoid();
        }
        if (frame instanceof In.SendMessage m) {
            return post(session, uuid(m.conversationId()), Sender.agent(agent, name), m.clientMsgId(), m.text());
        }
        if (frame instanceof In.Note n) {
            return post(session, uuid(n.conversationId()), Sender.note(agent, name), n.clientMsgId(), n.text());
        }
        if (frame instanceof In.Typing t) {
            UUID id = uuid(t.conversationId());
            if (!session.holds(id)) {
                throw notAssigned();
            }
            return db.signal(new Signal.Typing(id, "agent"));
        }
        if (frame instanceof In.TypingStopped t) {
            UUID id = uuid(t.conversationId());
            if (!session.holds(id)) {
                throw notAssigned();
            }
            return db.signal(new Signal.Typing(id, "agent", true));
        }
        if (frame instanceof In.Transfer t) {
            UUID id = uuid(t.conversationId());
            if ((t.topic() == null) == (t.agentId() == null)) {
                throw bad("geef topic of agentId / give topic or agentId");
            }
            return t.topic() != null ? conversations.transferToTopic(agent, id, t.topic())
                    : conversations.transferToAgent(agent, id, uuid(t.agentId()));
        }
        if (frame instanceof In.Callback c) {
            UUID id = uuid(c.conversationId());
            CallbackInput input;
            try {
                input = CallbackInput.of(c.phone(), null, c.window(), c.note());
            } catch (ValidationException e) {
                return session.send(new Out.Error("error", "invalid_callback", "Controleer de gegevens. / Check the details.", c.ref(), e.errors()));
            }
            return callbacks.fromConversation(id, input, agent).replaceWithVoid();
        }
        if (frame instanceof In.Close c) {
            if (c.outcome() == null || !OUTCOMES.contains(c.outcome())) {
                throw bad("outcome moet answered, referred, no_response of other zijn / outcome must be answered, referred, no_response or other");
            }
            if (c.summary() != null && c.summary().length() > 4000) {
                throw bad("samenvatting te lang / summary too long");
            }
            return conversations.close(agent, uuid(c.conversationId()), c.outcome(),
                    c.summary() == null || c.summary().isBlank() ? null : privacy.clean(c.summary().strip()), c.confidential());
        }
        throw new IllegalStateException("unhandled frame " + frame.getClass().getSimpleName());
    }

    private Uni<Void> post(AgentSession session, UUID conversationId, Sender sender, String clientMsgId, String text) {
        if (clientMsgId == null || clientMsgId.isBlank() || clientMsgId.length() > 100) {
            throw bad("clientMsgId ontbreekt / clientMsgId is missing");
        }
        return conversations.post(conversationId, sender, clientMsgId, text)
                // a repeat is answered with the stored message, in its turn among the connection's frames
                .invoke(p -> {
                    if (p.duplicate()) {
                        session.repeated(p.message());
                    }
                }).replaceWithVoid();
    }

    /** The browser's answer to the server's ping: the connection is alive (see {@link Liveness}). */
    @OnPongMessage
    public Uni<Void> pong(WebSocketConnection connection, Buffer data) {
        liveness.heard(connection);
        return Uni.createFrom().voidItem();
    }

    @OnError
    public Uni<Void> error(WebSocketConnection connection, Throwable failure) {
        AgentSession session = connection.userData().get(SESSION);
        return inbound.failed(connection, failure, session == null ? "before open" : "agent " + session.agentId());
    }

    private static UUID uuid(String value) {
        if (value == null) {
            throw bad("conversationId ontbreekt / conversationId is missing");
        }
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new LoketException("not_found", 404, "Onbekend gesprek. / Unknown conversation.");
        }
    }

    private static LoketException bad(String message) {
        return new LoketException("bad_request", 400, message);
    }

    private static LoketException notAssigned() {
        return LoketException.of("not_assigned", "Dit gesprek is niet aan u toegewezen. / This conversation is not assigned to you.");
    }
}
