package nl.loket.platform;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The default of {@code loket.node.id}: generated once per process, so that the log format and
 * the {@link NodeId} bean read the same value. {@code LOKET_NODE_ID} (or the property) wins.
 */
public final class NodeIdSource implements ConfigSource {

    public static final String PROPERTY = "loket.node.id";

    /** Static: Quarkus builds its configuration more than once per process (static init, runtime). */
    private static final String GENERATED = UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(PROPERTY);
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(PROPERTY, GENERATED);
    }

    @Override
    public String getValue(String propertyName) {
        return PROPERTY.equals(propertyName) ? GENERATED : null;
    }

    @Override
    public String getName() {
        return "loket-node-id";
    }

    @Override
    public int getOrdinal() {
        // below application.properties (250) and the environment (300)
        return 50;
    }
}
