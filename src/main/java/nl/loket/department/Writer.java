package nl.loket.department;

import nl.loket.security.Roles;

import java.util.Set;
import java.util.UUID;

/**
 * Who writes a notice, from their token: supervisors and admins for every department, the role
 * {@code department} only for the department its token names.
 */
public record Writer(UUID id, String username, Set<String> groups, String department) {

    public boolean mayWrite(String departmentId) {
        if (groups.contains(Roles.SUPERVISOR) || groups.contains(Roles.ADMIN)) {
            return true;
        }
        return groups.contains(Roles.DEPARTMENT) && departmentId.equals(department);
    }
}
