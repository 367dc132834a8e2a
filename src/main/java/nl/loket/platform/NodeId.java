package nl.loket.platform;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.UUID;

/** This process's identity among the nodes; new on every start, so a restart is a new node. */
@ApplicationScoped
public class NodeId {

    private final UUID id = UUID.randomUUID();

    public UUID id() {
        return id;
    }
}
