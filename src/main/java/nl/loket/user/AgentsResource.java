package nl.loket.user;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import nl.loket.common.Db;
import nl.loket.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.ArrayList;
import java.util.List;

/**
 * Who is working: every agent with their status and load (SPEC §4.5). Agents may read it too:
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
                select u.id, u.username, u.display_name, u.topics, u.max_concurrent, u.chosen_status,
                       exists (select 1 from presence p where p.kind = 'agent' and p.subject = u.id) as online,
                       (select count(*) from conversation c where c.assigned_agent = u.id and c.state = 'active') as open
                from app_user u
                where u.active and (u.roles && array['agent', 'supervisor'])
                order by u.display_name""").map(rows -> {
            List<AgentStatus> list = new ArrayList<>();
            for (Row r : rows) {
                list.add(new AgentStatus(r.getUUID("id").toString(), r.getString("username"), r.getString("display_name"),
                        r.getBoolean("online") ? r.getString("chosen_status") : "offline", List.of(r.getArrayOfStrings("topics")),
                        r.getInteger("max_concurrent"), r.getLong("open").intValue()));
            }
            return list;
        });
    }
}
