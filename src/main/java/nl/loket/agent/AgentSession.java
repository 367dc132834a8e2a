package nl.loket.agent;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import nl.loket.agent.AgentProtocol.Out;
import nl.loket.platform.Pump;
import nl.loket.platform.Frames;
import nl.loket.platform.Subscriber;
import nl.loket.platform.Db;
import nl.loket.conversation.Conversations;
import nl.loket.conversation.Message;
import nl.loket.queue.QueueService;
import nl.loket.queue.QueueSnapshot;
import nl.loket.user.User;
import nl.loket.user.UserRepository;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One agent connection on this node. It keeps what it has sent per conversation (last seq,
 * resident presence) and, on every signal, compares that with the tables: new assignments
 * become {@code assigned}, lost ones {@code ended}, new messages {@code message}. The first run
 * sends {@code hello} with everything the agent holds, so a reconnect restores the console.
 */
final class AgentSession implements Subscriber {

    private record Held(int lastSeq, boolean residentOnline) {
    }

    private record Live(UUID id, int lastSeq, boolean residentOnline) {
    }

    private final WebSocketConnection connection;
    private final UUID agentId;
    private final Conversations conversations;
    private final QueueService queues;
    private final UserRepository users;
    private final ObjectMapper mapper;
    private final Pump pump;
    private final Map<UUID, Held> held = new ConcurrentHashMap<>();
    private final AtomicBoolean conversationsDirty = new AtomicBoolean(true);
    private final AtomicBoolean boardsDirty = new AtomicBoolean(true);
    /** The account's topics are re-read only when the account changed, not on every message. */
    private final AtomicBoolean accountDirty = new AtomicBoolean(false);
    private volatile boolean greeted;
    private volatile List<String> topics = List.of();
    /** A supervisor watches every topic's board, not only the ones they serve. */
    private final boolean supervisor;
    private volatile Out.Queues lastBoards;
    private volatile Out.Callbacks lastCallbacks;

    AgentSession(WebSocketConnection connection, UUID agentId, boolean supervisor, Conversations conversations,
                 QueueService queues, UserRepository users, ObjectMapper mapper) {
        this.supervisor = supervisor;
        this.connection = connection;
        this.agentId = agentId;
        this.conversations = conversations;
        this.queues = queues;
        this.users = users;
        this.mapper = mapper;
        this.pump = new Pump("agent " + agentId, this::deliver);
    }

    UUID agentId() {
        return agentId;
    }

    boolean holds(UUID conversationId) {
        return held.containsKey(conversationId);
    }

    @Override
    public boolean follows(UUID conversationId) {
        return held.containsKey(conversationId);
    }

    @Override
    public void refresh() {
        conversationsDirty.set(true);
        pump.trigger();
    }

    @Override
    public void accountChanged() {
        accountDirty.set(true);
        boardsDirty.set(true);
        refresh();
    }

    @Override
    public void boardsChanged() {
        boardsDirty.set(true);
        pump.trigger();
    }

    @Override
    public void typing(UUID conversationId, String from) {
        send(new Out.Typing(conversationId.toString())).subscribe().with(ok -> { }, e -> { });
    }

    @Override
    public void revoke() {
        connection.close(new CloseReason(1008, "account disabled")).subscribe().with(ok -> { }, e -> { });
    }

    Uni<Void> send(Out frame) {
        return Frames.send(connection, mapper, frame);
    }

    private Uni<Void> deliver() {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> work = Uni.createFrom().voidItem();
        if (!greeted) {
            conversationsDirty.set(false);
            work = work.chain(this::hello);
        } else if (conversationsDirty.getAndSet(false)) {
            work = work.chain(this::syncConversations);
        }
        return work.chain(() -> boardsDirty.getAndSet(false) ? boards() : Uni.createFrom().voidItem());
    }

    private Uni<Void> hello() {
        return Uni.combine().all().unis(users.find(agentId), live()).asTuple().chain(t -> {
            User user = t.getItem1().orElseThrow();
            topics = user.topics();
            List<Live> live = t.getItem2();
            return Multi.createFrom().iterable(live).onItem().transformToUniAndConcatenate(this::view).collect().asList()
                    .chain(views -> {
                        Out.AgentView agent = new Out.AgentView(user.id().toString(), user.displayName(), user.topics(),
                                user.maxConcurrent(), user.status());
                        return send(new Out.Hello(agent, views)).invoke(() -> {
                            for (int i = 0; i < live.size(); i++) {
                                List<Out.MessageView> messages = views.get(i).messages();
                                int seq = messages.isEmpty() ? 0 : messages.get(messages.size() - 1).seq();
                                held.put(live.get(i).id(), new Held(seq, views.get(i).residentOnline()));
                            }
                            greeted = true;
                        });
                    });
        });
    }

    private Uni<Void> syncConversations() {
        Uni<Void> account = accountDirty.getAndSet(false)
                ? users.find(agentId).invoke(u -> u.ifPresent(user -> topics = user.topics())).replaceWithVoid()
                : Uni.createFrom().voidItem();
        return account.chain(this::live).chain(live -> {
            Map<UUID, Live> now = new HashMap<>();
            live.forEach(l -> now.put(l.id(), l));
            List<Uni<Void>> steps = new ArrayList<>();
            for (UUID gone : List.copyOf(held.keySet())) {
                if (!now.containsKey(gone)) {
                    steps.add(ended(gone));
                }
            }
            for (Live l : now.values()) {
                Held h = held.get(l.id());
                if (h == null) {
                    steps.add(view(l).chain(v -> send(new Out.Assigned(v)).invoke(() -> {
                        List<Out.MessageView> m = v.messages();
                        held.put(l.id(), new Held(m.isEmpty() ? 0 : m.get(m.size() - 1).seq(), v.residentOnline()));
                    })));
                } else {
                    if (l.lastSeq() > h.lastSeq()) {
                        steps.add(newMessages(l.id()));
                    }
                    if (l.residentOnline() != h.residentOnline()) {
                        steps.add(send(new Out.Presence(l.id().toString(), l.residentOnline())).invoke(() ->
                                held.computeIfPresent(l.id(), (k, old) -> new Held(old.lastSeq(), l.residentOnline()))));
                    }
                }
            }
            return Multi.createFrom().iterable(steps).onItem().transformToUniAndConcatenate(u -> u).collect().last().replaceWithVoid();
        });
    }

    private Uni<Void> newMessages(UUID conversationId) {
        Held h = held.get(conversationId);
        if (h == null) {
            return Uni.createFrom().voidItem();
        }
        return conversations.messagesAfter(conversationId, h.lastSeq(), true).chain(messages -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Message m : messages) {
                chain = chain.chain(() -> send(Out.MessageEvent.of(m)).invoke(() ->
                        held.computeIfPresent(conversationId, (k, old) -> new Held(m.seq(), old.residentOnline()))));
            }
            return chain;
        });
    }

    /** A conversation left this agent: deliver what it said last, then why it went. */
    private Uni<Void> ended(UUID conversationId) {
        return newMessages(conversationId)
                .chain(() -> conversations.endReason(conversationId, agentId))
                .chain(reason -> {
                    held.remove(conversationId);
                    return send(new Out.Ended(conversationId.toString(), reason.forAgent()));
                });
    }

    private Uni<List<Live>> live() {
        return conversations.heldBy(agentId).map(list -> list.stream()
                .map(h -> new Live(h.id(), h.lastSeq(), h.residentOnline())).toList());
    }

    /** The whole conversation as the console shows it: state, resident, every message and note. */
    private Uni<Out.ConversationView> view(Live live) {
        return Uni.combine().all().unis(conversations.find(live.id()), conversations.messagesAfter(live.id(), 0, true))
                .asTuple().map(t -> {
                    var c = t.getItem1().orElseThrow();
                    return new Out.ConversationView(c.id().toString(), c.topic(), c.state().wire(), c.residentName(), c.queuedAt(),
                            c.assignedAt(), live.residentOnline(), c.confidential(),
                            t.getItem2().stream().map(Out.MessageView::of).toList());
                });
    }

    private Uni<Void> boards() {
        return queues.snapshot().chain(snapshot -> {
            List<String> watched = supervisor ? snapshot.topics().keySet().stream().sorted().toList() : topics;
            List<Out.TopicBoard> boards = watched.stream().map(id -> {
                QueueSnapshot.TopicLoad load = snapshot.topic(id);
                return new Out.TopicBoard(id, load.waiting(), load.longestWaitSeconds(snapshot.at()),
                        load.estimate(load.waiting() + 1), load.agents().size(), load.callbacksOpen());
            }).toList();
            Out.Queues frame = new Out.Queues(boards);
            Out.Callbacks callbacks = new Out.Callbacks(watched.stream()
                    .map(id -> new Out.TopicCallbacks(id, snapshot.topic(id).callbacksOpen())).toList());
            Uni<Void> sendBoards = sameBoards(frame, lastBoards) ? Uni.createFrom().voidItem()
                    : send(frame).invoke(() -> lastBoards = frame);
            return sendBoards.chain(() -> callbacks.equals(lastCallbacks) ? Uni.createFrom().voidItem()
                    : send(callbacks).invoke(() -> lastCallbacks = callbacks));
        });
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
                    || x.callbacksOpen() != y.callbacksOpen()
                    || !java.util.Objects.equals(x.estimatedWaitSeconds(), y.estimatedWaitSeconds())) {
                return false;
            }
        }
        return true;
    }
}
