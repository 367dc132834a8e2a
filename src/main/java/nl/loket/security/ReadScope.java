package nl.loket.security;

import java.util.Set;
import java.util.UUID;

/**
 * What a staff member may read of conversations and callback requests (issue 11.4, SECURITY.md):
 * an agent only what belongs to a topic they serve (and conversations they held, and callback
 * requests they claimed); supervisors, integrators and admins everything. The owners of those
 * tables apply it inside their queries, binding {@link #agentOrNull()}: null reads everything.
 * A single item out of scope is refused with 403; lists leave such items out.
 */
public record ReadScope(UUID agent) {

    private static final ReadScope ALL = new ReadScope(null);

    /** Everything: supervisors, integrators, admins, and residents (whose own checks come first). */
    public static ReadScope all() {
        return ALL;
    }

    /** What the holder of these token groups may read; {@code subject} is the token's {@code sub}. */
    public static ReadScope of(Set<String> groups, String subject) {
        boolean limited = groups.contains(Roles.AGENT) && !groups.contains(Roles.SUPERVISOR)
                && !groups.contains(Roles.ADMIN) && !groups.contains(Roles.INTEGRATOR);
        return limited ? new ReadScope(UUID.fromString(subject)) : ALL;
    }

    /** The agent whose topics limit the read, for binding into a query; null when nothing limits it. */
    public UUID agentOrNull() {
        return agent;
    }

    public boolean limited() {
        return agent != null;
    }
}
