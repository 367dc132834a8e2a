package nl.loket.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import nl.loket.agent.AgentProtocol.Out;
import nl.loket.cluster.AgentFollower;
import nl.loket.cluster.Fanout;
import nl.loket.conversation.ConversationEvent;
import nl.loket.conversation.ConversationRow;
import nl.loket.conversation.ConversationState;
import nl.loket.conversation.Conversations;
import nl.loket.conversation.EndReason;
import nl.loket.conversation.Message;
import nl.loket.conversation.Move;
import nl.loket.platform.Failures;
import nl.loket.platform.Frames;
import nl.loket.platform.Pump;
import nl.loket.queue.QueueService;
import nl.loket.queue.QueueSnapshot;
import nl.loket.user.User;
import nl.loket.user.UserRepository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One agent connection on this node. It keeps in memory what it has sent of each conversation
 * the agent holds (version, last seq, resident presence) and applies the changes the hub hands
 * it in version order: new messages become {@code message}, presence {@code presence}, a move
 * away {@code ended}, a conversation assigned to the agent {@code assigned} (the one read: its
 * history). A version skip not filled within a moment, a change too big to be carried, or the
 * listener coming back makes it read that conversation once. A read that fails is tried again
 * after a pause of its own, that conversation's changes waiting behind it, while the others', the
 * boards and the resync go on: one conversation the database will not give must not make the
 * agent deaf to the rest. The first run sends {@code hello} with everything the agent holds, so a
 * reconnect restores the console; a held conversation that cannot be read then is left out of it
 * (named in its {@code later}) and read alone in the same way, and comes as {@code assigned} once
 * it can be: one such conversation kept an agent who reloaded the page from seeing any of theirs.
 *
 * <p>The fields without {@code volatile} are touched only inside the {@link Pump}'s runs.
 */
final class AgentSession implements AgentFollower {

    static final long GAP_WAIT_MILLIS = 100;

    /** What this connection has sent of a held conversation. */
    private record Held(long version, int lastSeq, boolean residentOnline) {
        Held after(ConversationEvent e, int seq) {
            return new Held(e.version(), seq, e.residentOnline());
        }
    }

    private final WebSocketConnection connection;
    private final UUID agentId;
    /** The token generation of the token this connection was opened with. */
    private final long tokenGeneration;
    /** The id of the token this connection was opened with: a logout of it closes the connection. */
    private final String tokenId;
    private final boolean supervisor;
    private final Conversations conversations;
    private final UserRepository users;
    private final QueueService queues;
    private final Fanout fanout;
    private final ObjectMapper mapper;
    private final Vertx vertx;
    private final Failures failures;
    private final Pump pump;

    private final ConcurrentLinkedQueue<ConversationEvent> inbox = new ConcurrentLinkedQueue<>();
    /** Messages the agent sent again that were stored before: their answer waits for its turn (see {@link #repeated}). */
    private final ConcurrentLinkedQueue<Message> repeats = new ConcurrentLinkedQueue<>();
    /** Held conversations to read once more ({@link #reread}). */
    private final ConcurrentLinkedQueue<UUID> rereads = new ConcurrentLinkedQueue<>();
    /** Conversations whose read failed and whose pause is over ({@link #readFailed}). */
    private final ConcurrentLinkedQueue<UUID> pausesOver = new ConcurrentLinkedQueue<>();
    private volatile boolean syncNeeded;
    private volatile boolean accountDirty;
    /**
     * The latest boards not yet sent. Taken with getAndSet: read and then cleared, a snapshot set
     * between the two was lost, and the console showed the older one until the next change.
     */
    private final AtomicReference<QueueSnapshot> boards = new AtomicReference<>();
    /** A departments' change not yet told: changes close together become one {@code departments_changed}. */
    private final AtomicBoolean departmentsChanged = new AtomicBoolean();
    private volatile boolean gapTimer;
    private volatile boolean gapExpired;

    private boolean greeted;
    /** Read by the socket's thread too (may the agent type here?); written only in the pump's runs. */
    private final Map<UUID, Held> held = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<UUID, TreeMap<Long, ConversationEvent>> pending = new HashMap<>();
    private final Set<UUID> toRead = new HashSet<>();
    /** Of {@link #toRead}, those whose read failed, until their pause is over: read then, not before. */
    private final Set<UUID> paused = new HashSet<>();
    /** The failures in a row of each conversation's read: the length of its next pause, and what is logged. */
    private final ReadStreaks readStreaks;
    /**
     * Held conversations the hello left out, their read having failed, not yet read since: once
     * read, one that is no longer this agent's is told as {@code ended}, for the console waits for it.
     */
    private final Set<UUID> later = new HashSet<>();
    /** How a conversation to read became this agent's, when its move was heard ({@code via} of its {@code assigned}). */
    private final Map<UUID, String> assignedVia = new HashMap<>();
    /** The refs of this connection's claims whose {@code assigned} is not yet sent: that frame carries it, here alone. */
    private final Map<UUID, String> claimRefs = new java.util.concurrent.ConcurrentHashMap<>();
    private List<String> topics = List.of();
    private Out.Queues lastBoards;
    private Out.Callbacks lastCallbacks;
    /** Of the topics in {@link #lastCallbacks}, the callback changes heard of when it was sent ({@link QueueSnapshot#callbackChanges}). */
    private List<Long> lastCallbackChanges;

    AgentSession(WebSocketConnection connection, UUID agentId, long tokenGeneration, String tokenId, boolean supervisor,
                 Conversations conversations,
                 UserRepository users, QueueService queues, Fanout fanout, ObjectMapper mapper, Vertx vertx, Failures failures) {
        this.queues = queues;
        this.connection = connection;
        this.agentId = agentId;
        this.tokenGeneration = tokenGeneration;
        this.tokenId = tokenId;
        this.supervisor = supervisor;
        this.conversations = conversations;
        this.users = users;
        this.fanout = fanout;
        this.mapper = mapper;
        this.vertx = vertx;
        this.failures = failures;
        this.readStreaks = new ReadStreaks(failures, connection.id(), agentId);
        this.pump = new Pump(this::deliver, e -> failures.record("delivery", e,
                "Delivery to agent connection %s (agent %s) failed; retried shortly", connection.id(), agentId),
                (millis, task) -> vertx.setTimer(millis, id -> task.run()));
    }

    @Override
    public UUID agentId() {
        return agentId;
    }

    WebSocketConnection connection() {
        return connection;
    }

    /** Whether this connection holds the conversation (from memory). */
    boolean holds(UUID conversationId) {
        return held.containsKey(conversationId);
    }

    /**
     * The agent sent a message again that was stored before: the answer is the stored message,
     * sent in its turn, after the conversation's earlier messages (as for a resident).
     */
    void repeated(Message message) {
        repeats.add(message);
        pump.trigger();
    }

    /**
     * This connection claimed the conversation with the frame's ref: its {@code assigned} carries
     * it (the agent's other connections get none). Called before the claim is delivered here.
     */
    void claimed(UUID conversationId, String ref) {
        if (ref != null && !held.containsKey(conversationId)) {
            claimRefs.put(conversationId, ref);
        }
    }

    /** One held conversation may have changed unseen: it alone is read, not all the agent holds (as after a resync). */
    @Override
    public void reread(UUID conversationId) {
        rereads.add(conversationId);
        pump.trigger();
    }

    /** Sends hello: the account and everything the agent holds. */
    void start() {
        pump.trigger();
    }

    @Override
    public void onEvent(ConversationEvent event) {
        inbox.add(event);
        pump.trigger();
    }

    @Override
    public void resync() {
        syncNeeded = true;
        pump.trigger();
    }

    @Override
    public void accountChanged() {
        accountDirty = true;
        pump.trigger();
    }

    /** The boards changed: the latest snapshot, pushed when what this agent watches changed. */
    void boards(QueueSnapshot snapshot) {
        boards.set(snapshot);
        pump.trigger();
    }

    /** The departments or their notices changed: the console reads them again ({@link DepartmentsPush}). */
    void departmentsChanged() {
        departmentsChanged.set(true);
        pump.trigger();
    }

    @Override
    public void typing(UUID conversationId, String from, boolean stopped) {
        if ("resident".equals(from) && !stopped) {
            send(new Out.Typing(conversationId.toString())).subscribe().with(ok -> { }, e -> { });
        }
    }

    /** Close reasons when the account changed under an open connection (docs/protocol.md §1). */
    static final String TOKEN_REVOKED = "token revoked";
    static final String ACCOUNT_DISABLED = "account disabled";
    static final String LOGGED_OUT = "logged out";

    @Override
    public void revoke(long generation, boolean active) {
        if (generation > tokenGeneration) {
            connection.close(new CloseReason(1008, active ? TOKEN_REVOKED : ACCOUNT_DISABLED)).subscribe().with(ok -> { }, e -> { });
        }
    }

    @Override
    public void loggedOut(String revokedTokenId) {
        if (revokedTokenId.equals(tokenId)) {
            connection.close(new CloseReason(1008, LOGGED_OUT)).subscribe().with(ok -> { }, e -> { });
        }
    }

    Uni<Void> send(Out frame) {
        return Frames.send(connection, mapper, frame);
    }

    void closed() {
        held.keySet().forEach(id -> fanout.unfollow(id, this));
    }

    // ---- one run of the pump -------------------------------------------------------------------

    private Uni<Void> deliver() {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        for (ConversationEvent e; (e = inbox.poll()) != null; ) {
            pending.computeIfAbsent(e.id(), k -> new TreeMap<>()).put(e.version(), e);
        }
        for (UUID id; (id = rereads.poll()) != null; ) {
            if (held.containsKey(id)) {
                toRead.add(id);
            }
        }
        for (UUID id; (id = pausesOver.poll()) != null; ) {
            paused.remove(id);
        }
        if (!greeted) {
            syncNeeded = false;
            return hello().chain(this::deliver);
        }
        // a read that fails is kept to do: the resync, account change or event that asked for it is not repeated
        if (syncNeeded) {
            syncNeeded = false;
            return sync().onFailure().invoke(e -> syncNeeded = true).chain(this::deliver);
        }
        if (accountDirty) {
            accountDirty = false;
            // the fresh snapshot below supersedes any pending one, which would otherwise follow it
            boards.set(null);
            return users.find(agentId).invoke(u -> u.ifPresent(user -> topics = user.topics())).chain(queues::snapshot)
                    .onFailure().invoke(e -> accountDirty = true)
                    .chain(snapshot -> sendAll(boardFrames(snapshot))).chain(this::deliver);
        }
        UUID next = nextToRead();
        if (next != null) {
            toRead.remove(next);
            return read(next).invoke(() -> {
                        readStreaks.succeeded(next);
                        later.remove(next);
                    })
                    .onFailure().invoke(e -> readFailed(next, e)).onFailure().recoverWithNull()
                    .chain(this::deliver);
        }
        List<Out> frames = new ArrayList<>();
        boolean gap = false;
        for (UUID id : List.copyOf(pending.keySet())) {
            if (toRead.contains(id)) {
                // its read failed and waits for its pause: its changes wait behind it, in order
                continue;
            }
            TreeMap<Long, ConversationEvent> queue = pending.get(id);
            while (!queue.isEmpty()) {
                ConversationEvent e = queue.firstEntry().getValue();
                Held h = held.get(id);
                if (h == null) {
                    queue.pollFirstEntry();
                    if (e.heldBy(agentId)) {
                        // assigned to this agent (a claim, a transfer): its history is one read
                        toRead.add(id);
                        e.move().flatMap(AgentSession::via).ifPresent(via -> assignedVia.put(id, via));
                    }
                    continue;
                }
                if (e.version() <= h.version()) {
                    queue.pollFirstEntry();
                    continue;
                }
                if (e.version() > h.version() + 1 || e.elided()) {
                    if (e.elided() || gapExpired) {
                        toRead.add(id);
                    } else {
                        gap = true;
                    }
                    break;
                }
                queue.pollFirstEntry();
                frames.addAll(apply(e, h));
            }
            if (queue.isEmpty()) {
                pending.remove(id);
            }
        }
        if (gap) {
            waitForGap();
        } else {
            gapExpired = false;
        }
        QueueSnapshot snapshot = boards.getAndSet(null);
        if (snapshot != null) {
            frames.addAll(boardFrames(snapshot));
        }
        if (departmentsChanged.getAndSet(false)) {
            frames.add(new Out.DepartmentsChanged());
        }
        for (Message m; (m = repeats.poll()) != null; ) {
            Held h = held.get(m.conversationId());
            if (h == null || m.seq() <= h.lastSeq()) {
                frames.add(Out.MessageEvent.of(m));
            }
        }
        Uni<Void> sending = sendAll(frames);
        return nextToRead() == null ? sending : sending.chain(this::deliver);
    }

    /** A conversation to read now: none while all there are wait for their pause. */
    private UUID nextToRead() {
        return toRead.stream().filter(id -> !paused.contains(id)).findFirst().orElse(null);
    }

    /**
     * Counted as any failed delivery (logged once per streak, {@link ReadStreaks}), and read again
     * after a pause that doubles with each failure in a row, as the pump's own retries do; until
     * then the run goes on without it.
     */
    private void readFailed(UUID id, Throwable failure) {
        long pause = readStreaks.failed(id, failure);
        toRead.add(id);
        paused.add(id);
        vertx.setTimer(pause, t -> {
            pausesOver.add(id);
            pump.trigger();
        });
    }

    /** What the console must hear about a change of a held conversation. */
    private List<Out> apply(ConversationEvent e, Held h) {
        List<Out> frames = new ArrayList<>();
        int seq = h.lastSeq();
        for (Message m : e.messages()) {
            if (m.seq() > seq) {
                frames.add(Out.MessageEvent.of(m));
                seq = m.seq();
            }
        }
        if (!e.heldBy(agentId)) {
            // it left this agent: what it said last, then why it went
            String reason = e.move().flatMap(Move::reason).map(EndReason::forAgent).orElse(EndReason.CLOSED.forAgent());
            frames.add(new Out.Ended(e.id().toString(), reason));
            held.remove(e.id());
            claimRefs.remove(e.id());
            fanout.unfollow(e.id(), this);
            pending.remove(e.id());
            return frames;
        }
        if (e.residentOnline() != h.residentOnline()) {
            frames.add(new Out.Presence(e.id().toString(), e.residentOnline()));
        }
        held.put(e.id(), h.after(e, seq));
        return frames;
    }

    /** The {@code via} of the {@code assigned} a move gives its new holder; none for any other move. */
    private static Optional<String> via(Move move) {
        return switch (move) {
            case CLAIM -> Optional.of(Out.Assigned.VIA_CLAIM);
            case TRANSFER_TO_AGENT -> Optional.of(Out.Assigned.VIA_TRANSFER);
            default -> Optional.empty();
        };
    }

    private void waitForGap() {
        if (gapTimer) {
            return;
        }
        gapTimer = true;
        vertx.setTimer(GAP_WAIT_MILLIS, t -> {
            gapTimer = false;
            gapExpired = true;
            pump.trigger();
        });
    }

    // ---- reads: hello, a conversation newly held or missed, the resync -------------------------

    /** One held conversation's read for the hello: its view (none if it is gone), or why it could not be read. */
    private record Greeting(UUID id, View view, Throwable failure) {
    }

    /**
     * Everything the agent holds that can be read. A conversation whose read fails is left out and
     * named in {@code later}: it is read again alone after its pause ({@link #readFailed}), its
     * changes waiting behind it, and comes as {@code assigned}, as a conversation newly held does
     * (the read of one not held, {@link #read}).
     */
    private Uni<Void> hello() {
        later.clear();
        return Uni.combine().all().unis(users.find(agentId), conversations.heldBy(agentId)).asTuple().chain(t -> {
            User user = t.getItem1().orElseThrow();
            topics = user.topics();
            return Multi.createFrom().iterable(t.getItem2()).onItem().transformToUniAndConcatenate(h -> view(h.id())
                            .map(v -> new Greeting(h.id(), v, null)).onFailure().recoverWithItem(e -> new Greeting(h.id(), null, e)))
                    .collect().asList()
                    .chain(reads -> {
                        Out.AgentView agent = new Out.AgentView(user.id().toString(), user.displayName(), user.topics(),
                                user.maxConcurrent(), user.status());
                        List<View> views = reads.stream().map(Greeting::view).filter(Objects::nonNull).toList();
                        views.forEach(v -> hold(v));
                        greeted = true;
                        List<String> laterIds = new ArrayList<>();
                        for (Greeting g : reads) {
                            if (g.failure() != null) {
                                later.add(g.id());
                                laterIds.add(g.id().toString());
                                readFailed(g.id(), g.failure());
                            }
                        }
                        // the boards follow at once, then on every change
                        return send(new Out.Hello(agent, views.stream().map(View::frame).toList(), laterIds))
                                .chain(queues::snapshot).chain(snapshot -> sendAll(boardFrames(snapshot)));
                    });
        });
    }

    /** A conversation that may have become this agent's, or whose changes this connection missed. */
    private Uni<Void> read(UUID id) {
        Held h = held.get(id);
        if (h == null) {
            return view(id).chain(v -> {
                boolean promised = later.contains(id);
                if (v == null || v.row().state() != ConversationState.ACTIVE
                        || !agentId.equals(v.row().assignedAgent())) {
                    assignedVia.remove(id);
                    claimRefs.remove(id);
                    if (!promised) {
                        return Uni.createFrom().voidItem();
                    }
                    // left out of the hello and gone from this agent since: the console waits for it no longer
                    Uni<EndReason> why = v == null ? Uni.createFrom().item(EndReason.CLOSED) : conversations.endReason(id, agentId);
                    return why.chain(reason -> send(new Out.Ended(id.toString(), reason.forAgent())));
                }
                // its move not heard (a missed notification, the listener back): the assignment tells
                String heard = assignedVia.get(id);
                Uni<String> via = heard != null ? Uni.createFrom().item(heard) : conversations.handedOver(id, agentId)
                        .map(transferred -> transferred ? Out.Assigned.VIA_TRANSFER : Out.Assigned.VIA_CLAIM);
                return via.chain(how -> {
                    assignedVia.remove(id);
                    hold(v);
                    return send(new Out.Assigned(v.frame(), how, claimRefs.remove(id)));
                });
            });
        }
        return conversations.find(id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            ConversationRow row = found.get();
            return conversations.messagesAfter(id, h.lastSeq(), true).chain(missed -> {
                ConversationEvent now = ConversationEvent.read(row, missed);
                if (now.heldBy(agentId)) {
                    return sendAll(apply(now, h));
                }
                // it left this agent while the connection was not listening: why, is in the assignment
                return conversations.endReason(id, agentId).chain(reason -> {
                    List<Out> frames = new ArrayList<>();
                    missed.forEach(m -> frames.add(Out.MessageEvent.of(m)));
                    frames.add(new Out.Ended(id.toString(), reason.forAgent()));
                    held.remove(id);
                    claimRefs.remove(id);
                    fanout.unfollow(id, this);
                    return sendAll(frames);
                });
            });
        });
    }

    /** After the listener was down: what the agent holds now, compared with what was sent. */
    private Uni<Void> sync() {
        return conversations.heldBy(agentId).invoke(now -> {
            Set<UUID> ids = new HashSet<>(held.keySet());
            now.forEach(h -> ids.add(h.id()));
            toRead.addAll(ids);
        }).replaceWithVoid();
    }

    /** A conversation as the console shows it: state, resident, every message and note. */
    private record View(ConversationRow row, Out.ConversationView frame) {
    }

    /**
     * The row first, then the messages: the version kept is then never newer than the messages
     * sent. Read side by side, a message committed between the two reads could land in the
     * version but not in the messages, and its change was then dropped as already seen (a
     * rolling restart's hello lost one message that way).
     */
    private Uni<View> view(UUID id) {
        return conversations.find(id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().nullItem();
            }
            ConversationRow c = found.get();
            return conversations.messagesAfter(id, 0, true).map(messages -> new View(c, new Out.ConversationView(
                    c.id().toString(), c.topic(), c.state().wire(), c.residentName(), c.queuedAt(), c.assignedAt(),
                    c.residentOnline(), c.confidential(), messages.stream().map(Out.MessageView::of).toList())));
        });
    }

    private void hold(View v) {
        List<Out.MessageView> messages = v.frame().messages();
        int seq = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq();
        held.put(v.row().id(), new Held(v.row().version(), seq, v.row().residentOnline()));
        fanout.follow(v.row().id(), this);
    }

    // ---- boards --------------------------------------------------------------------------------

    private List<Out> boardFrames(QueueSnapshot snapshot) {
        List<String> watched = watched(snapshot);
        List<Out.TopicBoard> list = watched.stream().map(id -> {
            QueueSnapshot.TopicLoad load = snapshot.topic(id);
            return new Out.TopicBoard(id, load.waiting(), load.longestWaitSeconds(snapshot.at()),
                    load.estimate(load.waiting() + 1), load.agents().size(), load.callbacksOpen(), load.agentsAway(),
                    load.agentsAtCapacity());
        }).toList();
        List<Out> frames = new ArrayList<>(2);
        Out.Queues queues = new Out.Queues(list);
        if (!sameBoards(queues, lastBoards)) {
            frames.add(queues);
            lastBoards = queues;
        }
        Out.Callbacks callbacks = new Out.Callbacks(watched.stream()
                .map(id -> new Out.TopicCallbacks(id, snapshot.topic(id).callbacksOpen())).toList());
        // also when no open count changed (a claimed request cancelled, given back or tried): the console reads its lists again
        List<Long> changes = watched.stream().map(snapshot::callbackChanges).toList();
        if (!callbacks.equals(lastCallbacks) || !changes.equals(lastCallbackChanges)) {
            frames.add(callbacks);
            lastCallbacks = callbacks;
            lastCallbackChanges = changes;
        }
        return frames;
    }

    /**
     * The topics on this console's board in the administrator's order (the snapshot's: sort order,
     * then id), as the topic lists show them: a team lead every topic, an agent their own; one of
     * theirs the snapshot does not have (just created) last.
     */
    private List<String> watched(QueueSnapshot snapshot) {
        if (supervisor) {
            return List.copyOf(snapshot.topics().keySet());
        }
        List<String> mine = topics;
        List<String> ordered = new ArrayList<>(snapshot.topics().keySet().stream().filter(mine::contains).toList());
        mine.stream().filter(t -> !ordered.contains(t)).forEach(ordered::add);
        return ordered;
    }

    /** Equal apart from the ever-growing longest wait: that alone is no reason to push. */
    private static boolean sameBoards(Out.Queues a, Out.Queues b) {
        if (b == null || a.topics().size() != b.topics().size()) {
            return false;
        }
        for (int i = 0; i < a.topics().size(); i++) {
            Out.TopicBoard x = a.topics().get(i);
            Out.TopicBoard y = b.topics().get(i);
            if (!x.id().equals(y.id()) || x.waiting() != y.waiting() || x.agentsAvailable() != y.agentsAvailable()
                    || x.callbacksOpen() != y.callbacksOpen() || x.agentsAway() != y.agentsAway()
                    || x.agentsAtCapacity() != y.agentsAtCapacity()
                    || !Objects.equals(x.estimatedWaitSeconds(), y.estimatedWaitSeconds())) {
                return false;
            }
        }
        return true;
    }

    private Uni<Void> sendAll(List<Out> frames) {
        return Frames.sendAll(connection, mapper, frames);
    }
}
