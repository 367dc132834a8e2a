package nl.loket.cluster;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.conversation.ConversationEvent;
import nl.loket.platform.SetMaps;
import nl.loket.platform.Signal;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's open connections, and the routing of signals to them. Routing costs a map lookup
 * per signal, whatever the number of connections: a conversation's change goes to the
 * connections that follow that conversation and to the agents it was or is assigned to.
 */
@ApplicationScoped
public class Fanout {

    /** An open connection as the presence table knows it, so a node can announce its connections again. */
    public record Registration(String connectionId, String kind, UUID subject) {
    }

    private final ConcurrentHashMap<String, Registration> registrations = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Set<Follower>> byConversation = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<UUID, Set<AgentFollower>> byAgent = new ConcurrentHashMap<>();
    private final Set<Follower> residents = ConcurrentHashMap.newKeySet();
    /** The residents' connections by id, for a {@link Signal.Replaced}. */
    private final ConcurrentHashMap<String, Follower> residentConnections = new ConcurrentHashMap<>();

    public List<Registration> registrations() {
        return List.copyOf(registrations.values());
    }

    public void addResident(String connectionId, UUID conversationId, Follower follower) {
        registrations.put(connectionId, new Registration(connectionId, Presence.RESIDENT, conversationId));
        residents.add(follower);
        residentConnections.put(connectionId, follower);
        follow(conversationId, follower);
    }

    public void removeResident(String connectionId, UUID conversationId, Follower follower) {
        registrations.remove(connectionId);
        residents.remove(follower);
        residentConnections.remove(connectionId, follower);
        unfollow(conversationId, follower);
    }

    public void addAgent(String connectionId, AgentFollower agent) {
        registrations.put(connectionId, new Registration(connectionId, Presence.AGENT, agent.agentId()));
        SetMaps.add(byAgent, agent.agentId(), agent);
    }

    public void removeAgent(String connectionId, AgentFollower agent) {
        registrations.remove(connectionId);
        SetMaps.remove(byAgent, agent.agentId(), agent);
    }

    /** From now on the follower hears every change of the conversation. */
    public void follow(UUID conversationId, Follower follower) {
        SetMaps.add(byConversation, conversationId, follower);
    }

    public void unfollow(UUID conversationId, Follower follower) {
        SetMaps.remove(byConversation, conversationId, follower);
    }

    /** Whether any connection on this node follows the conversation as its resident. */
    public boolean hasResident(UUID conversationId) {
        return byConversation.getOrDefault(conversationId, Set.of()).stream().anyMatch(residents::contains);
    }

    public int residentConnections() {
        return residents.size();
    }

    /** The ids of the residents' connections on this node. */
    public List<String> residentConnectionIds() {
        return List.copyOf(residentConnections.keySet());
    }

    public int agentConnections() {
        return byAgent.values().stream().mapToInt(Set::size).sum();
    }

    /** The agents' connections on this node, for the boards. */
    public Iterable<AgentFollower> agents() {
        return () -> byAgent.values().stream().flatMap(Set::stream).iterator();
    }

    /** Routes one signal, from this node or another, to the connections it concerns. */
    void dispatch(@Observes Signal signal) {
        if (signal instanceof Signal.Conversation c) {
            ConversationEvent event = ConversationEvent.of(c);
            Set<Follower> targets = Collections.newSetFromMap(new IdentityHashMap<>());
            targets.addAll(byConversation.getOrDefault(event.id(), Set.of()));
            if (event.agentId() != null) {
                targets.addAll(byAgent.getOrDefault(event.agentId(), Set.of()));
            }
            if (event.previousAgentId() != null) {
                targets.addAll(byAgent.getOrDefault(event.previousAgentId(), Set.of()));
            }
            targets.forEach(f -> f.onEvent(event));
        } else if (signal instanceof Signal.Typing t) {
            byConversation.getOrDefault(t.conversationId(), Set.of()).forEach(f -> f.typing(t.conversationId(), t.from(), t.stopped()));
        } else if (signal instanceof Signal.Account a) {
            byAgent.getOrDefault(a.id(), Set.of()).forEach(AgentFollower::accountChanged);
        } else if (signal instanceof Signal.Revoke r) {
            byAgent.getOrDefault(r.userId(), Set.of()).forEach(a -> a.revoke(r.generation(), r.active()));
        } else if (signal instanceof Signal.Logout l) {
            byAgent.getOrDefault(l.userId(), Set.of()).forEach(a -> a.loggedOut(l.tokenId()));
        } else if (signal instanceof Signal.Replaced r) {
            Follower replaced = residentConnections.get(r.connectionId());
            if (replaced != null) {
                replaced.replaced();
            }
        } else if (signal instanceof Signal.Reread r) {
            byConversation.getOrDefault(r.conversationId(), Set.of()).forEach(f -> f.reread(r.conversationId()));
        } else if (signal instanceof Signal.Resync) {
            residents.forEach(Follower::resync);
            byAgent.values().forEach(set -> set.forEach(Follower::resync));
        }
    }
}
