package nl.loket.platform;

import io.smallrye.config.ConfigMapping;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * This process's identity among the nodes: {@code loket.node.id} ({@code LOKET_NODE_ID}), by
 * default new on every start. The name is what the logs show; the database keys the node by a
 * UUID derived from it (the name itself when it is a UUID).
 */
@ApplicationScoped
public class NodeId {

    private final String name;
    private final UUID id;

    /** {@code loket.node.id}: a name for this node in logs and metrics; see {@link NodeIdSource} for the default. */
    @ConfigMapping(prefix = "loket.node")
    public interface Config {
        String id();
    }

    public NodeId(Config config) {
        this.name = config.id().strip();
        this.id = uuidOf(this.name);
    }

    public UUID id() {
        return id;
    }

    public String name() {
        return name;
    }

    static UUID uuidOf(String name) {
        try {
            return UUID.fromString(name);
        } catch (IllegalArgumentException notAUuid) {
            return UUID.nameUUIDFromBytes(("loket-node:" + name).getBytes(StandardCharsets.UTF_8));
        }
    }
}
