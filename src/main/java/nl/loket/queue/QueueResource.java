package nl.loket.queue;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import nl.loket.common.Db;
import nl.loket.security.Roles;
import nl.loket.user.UserRepository;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The waiting conversations an agent may pick from (SPEC §4.2). */
@Path("/api/v1/queue")
@RolesAllowed(Roles.AGENT)
@Tag(name = "agent")
public class QueueResource {

    private final Db db;
    private final UserRepository users;
    private final JsonWebToken jwt;

    public QueueResource(Db db, UserRepository users, JsonWebToken jwt) {
        this.db = db;
        this.users = users;
        this.jwt = jwt;
    }

    public record Waiting(String id, String topic, String residentName, Instant queuedAt, String firstMessage) {
    }

    @GET
    @Operation(summary = "Waiting conversations of my topics (or of one of them), longest waiting first")
    public Uni<List<Waiting>> waiting(@QueryParam("topic") String topic) {
        return users.find(UUID.fromString(jwt.getSubject())).chain(user -> {
            List<String> mine = user.map(u -> u.topics()).orElse(List.of());
            List<String> topics = topic == null ? mine : mine.contains(topic) ? List.of(topic) : List.of();
            return db.query("""
                            select c.id, c.topic, c.resident_name, c.queued_at,
                                   (select m.text from message m where m.conversation_id = c.id and m.sender = 'resident'
                                    order by m.seq limit 1) as first_message
                            from conversation c where c.state = 'queued' and c.topic = any($1)
                            order by c.queued_at, c.id limit 200""", Tuple.of(topics.toArray(new String[0])))
                    .map(rows -> {
                        List<Waiting> list = new ArrayList<>();
                        for (Row r : rows) {
                            list.add(new Waiting(r.getUUID("id").toString(), r.getString("topic"), r.getString("resident_name"),
                                    r.getOffsetDateTime("queued_at").toInstant(), r.getString("first_message")));
                        }
                        return list;
                    });
        });
    }
}
