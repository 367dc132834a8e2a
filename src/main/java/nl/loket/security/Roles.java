package nl.loket.security;

import java.util.Set;

/** The roles of docs/protocol.md §2. */
public final class Roles {
    public static final String RESIDENT = "resident";
    public static final String AGENT = "agent";
    public static final String SUPERVISOR = "supervisor";
    public static final String ADMIN = "admin";
    public static final String INTEGRATOR = "integrator";
    /** A department's own people: they write their department's reachability notices (docs/departments.md). */
    public static final String DEPARTMENT = "department";

    /** Roles a staff account may be given. */
    public static final Set<String> STAFF = Set.of(AGENT, SUPERVISOR, ADMIN, INTEGRATOR, DEPARTMENT);

    private Roles() {
    }

    /** The groups a token carries: a supervisor is also an agent. */
    public static Set<String> groups(Set<String> roles) {
        var groups = new java.util.TreeSet<>(roles);
        if (groups.contains(SUPERVISOR)) {
            groups.add(AGENT);
        }
        return groups;
    }
}
