package nl.loket.user;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import nl.loket.platform.Db;
import nl.loket.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is working: every agent with their status and load (docs/protocol.md §11). Agents may read it too:
 * transferring a chat to a colleague means knowing who is available.
 */
@Path("/api/v1/agents")
@RolesAllowed({Roles.SUPERVISOR, Roles.AGENT})
@Tag(name = "supervisor")
public class AgentsResource {

    private final Db db;

    public AgentsResource(Db db) {
        this.db = db;
    }

    public record AgentStatus(String id, String username, String name, String status, List<String> topics, int maxConcurrent,
                              int openConversations) {
    }

    @GET
    @Operation(summary = "Every active agent: available, away or offline, their topics and open conversations")
    public Uni<List<AgentStatus>> list() {
        return db.query("""
                select id, username, display_name, topics, max_concurrent, status, held
                from agent_status
                where active and (roles && array['agent', 'supervisor'])
                order by display_name""").map(rows -> {
            List<AgentStatus> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new AgentStatus(r.getUUID("id").toString(), r.getString("username"), r.getString("display_name"),
                        r.getString("status"), List.of(r.getArrayOfStrings("topics")),
                        r.getInteger("max_concurrent"), r.getInteger("held")));
            }
            return list;
        });
    }
}
