package nl.loket.user;

import io.vertx.mutiny.sqlclient.Row;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * A staff account of the built-in issuer. The password hash never leaves the repository.
 * {@code department}: the department a user with the role {@code department} writes notices for (or null).
 */
public record User(UUID id, String username, String displayName, Set<String> roles, List<String> topics,
                   int maxConcurrent, boolean active, String status, String department) {

    static final String COLUMNS = "id, username, display_name, roles, topics, max_concurrent, active, chosen_status, department";

    static User map(Row r) {
        return new User(r.getUUID("id"), r.getString("username"), r.getString("display_name"),
                Set.of(r.getArrayOfStrings("roles")), List.of(r.getArrayOfStrings("topics")),
                r.getInteger("max_concurrent"), r.getBoolean("active"), r.getString("chosen_status"), r.getString("department"));
    }
}
