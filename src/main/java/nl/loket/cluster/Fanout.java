package nl.loket.cluster;

import nl.loket.platform.Subscriber;
import nl.loket.platform.Signal;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * This node's open connections, and the routing of signals to them. Queue changes are
 * coalesced: positions and boards are recomputed at most a few times per second, however
 * many claims and arrivals happened in between.
 */
@ApplicationScoped
public class Fanout {

    /** How often coalesced queue changes are pushed. */
    static final long TICK_MILLIS = 200;
    /** Every connection re-reads its due on this period, in case a signal was lost. */
    static final long SAFETY_MILLIS = 15_000;

    private final Vertx vertx;
    private final Set<Subscriber> residents = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<UUID, Set<Subscriber>> residentsByConversation = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Set<Subscriber>> agentsById = new ConcurrentHashMap<>();
    private final Set<String> dirtyTopics = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean boardsDirty = new AtomicBoolean();
    private final AtomicBoolean allTopicsDirty = new AtomicBoolean();
    private long tickTimer = -1;
    private long safetyTimer = -1;

    public Fanout(Vertx vertx) {
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent event) {
        tickTimer = vertx.setPeriodic(TICK_MILLIS, id -> tick());
        safetyTimer = vertx.setPeriodic(SAFETY_MILLIS, id -> refreshAll());
    }

    void stop(@Observes ShutdownEvent event) {
        vertx.cancelTimer(tickTimer);
        vertx.cancelTimer(safetyTimer);
    }

    /** An open connection as the presence table knows it, so a node can announce its connections again. */
    public record Registration(String connectionId, String kind, UUID subject) {
    }

    private final ConcurrentHashMap<String, Registration> registrations = new ConcurrentHashMap<>();

    public List<Registration> registrations() {
        return List.copyOf(registrations.values());
    }

    public void addResident(String connectionId, UUID conversationId, Subscriber s) {
        registrations.put(connectionId, new Registration(connectionId, "resident", conversationId));
        residents.add(s);
        residentsByConversation.computeIfAbsent(conversationId, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    public void removeResident(String connectionId, UUID conversationId, Subscriber s) {
        registrations.remove(connectionId);
        residents.remove(s);
        residentsByConversation.computeIfPresent(conversationId, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    public void addAgent(String connectionId, UUID agentId, Subscriber s) {
        registrations.put(connectionId, new Registration(connectionId, "agent", agentId));
        agentsById.computeIfAbsent(agentId, k -> ConcurrentHashMap.newKeySet()).add(s);
    }

    public void removeAgent(String connectionId, UUID agentId, Subscriber s) {
        registrations.remove(connectionId);
        agentsById.computeIfPresent(agentId, (k, set) -> {
            set.remove(s);
            return set.isEmpty() ? null : set;
        });
    }

    public int residentConnections() {
        return residents.size();
    }

    public int agentConnections() {
        return agentsById.values().stream().mapToInt(Set::size).sum();
    }

    /** Routes one signal, from this node or another, to the connections it concerns. */
    void dispatch(@Observes Signal signal) {
        if (signal instanceof Signal.Resync) {
            refreshAll();
            return;
        }
        if (signal instanceof Signal.Conversation c) {
            residentsByConversation.getOrDefault(c.id(), Set.of()).forEach(Subscriber::refresh);
            agentsById.forEach((agentId, set) -> set.forEach(s -> {
                if (agentId.equals(c.agentId()) || s.follows(c.id())) {
                    s.refresh();
                }
            }));
        } else if (signal instanceof Signal.Queue q) {
            dirtyTopics.add(q.topic());
            boardsDirty.set(true);
        } else if (signal instanceof Signal.Agent a) {
            agentsById.getOrDefault(a.id(), Set.of()).forEach(Subscriber::accountChanged);
            // an agent coming, going or filling up changes the wait (and offers) of their topics' residents
            allTopicsDirty.set(true);
            boardsDirty.set(true);
        } else if (signal instanceof Signal.Callbacks) {
            boardsDirty.set(true);
        } else if (signal instanceof Signal.Topics) {
            allTopicsDirty.set(true);
        } else if (signal instanceof Signal.Typing t) {
            if ("resident".equals(t.from())) {
                agentsById.values().forEach(set -> set.forEach(s -> {
                    if (s.follows(t.conversationId())) {
                        s.typing(t.conversationId(), t.from());
                    }
                }));
            } else {
                residentsByConversation.getOrDefault(t.conversationId(), Set.of())
                        .forEach(s -> s.typing(t.conversationId(), t.from()));
            }
        } else if (signal instanceof Signal.Revoke r) {
            agentsById.getOrDefault(r.userId(), Set.of()).forEach(Subscriber::revoke);
        }
    }

    /** After the listener was down: nobody knows what was missed, so everybody re-reads. */
    public void refreshAll() {
        residents.forEach(Subscriber::refresh);
        agentsById.values().forEach(set -> set.forEach(Subscriber::refresh));
        boardsDirty.set(true);
    }

    private void tick() {
        if (dirtyTopics.isEmpty() && !boardsDirty.get() && !allTopicsDirty.get()) {
            return;
        }
        if (allTopicsDirty.getAndSet(false)) {
            dirtyTopics.clear();
            residents.forEach(s -> {
                if (s.waiting()) {
                    s.refresh();
                }
            });
        }
        for (String topic : Set.copyOf(dirtyTopics)) {
            dirtyTopics.remove(topic);
            residents.forEach(s -> {
                if (s.waitsIn(topic)) {
                    s.refresh();
                }
            });
        }
        if (boardsDirty.getAndSet(false)) {
            try {
                agentsById.values().forEach(set -> set.forEach(Subscriber::boardsChanged));
            } catch (RuntimeException e) {
                Log.warn("Pushing queue boards failed", e);
            }
        }
    }
}
