package nl.loket.agent;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import nl.loket.conversation.Conversations;
import nl.loket.security.Roles;
import nl.loket.user.UserRepository;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The waiting conversations an agent may pick from. */
@Path("/api/v1/queue")
@RolesAllowed(Roles.AGENT)
@Tag(name = "agent")
public class QueueResource {

    private final Conversations conversations;
    private final UserRepository users;
    private final JsonWebToken jwt;

    public QueueResource(Conversations conversations, UserRepository users, JsonWebToken jwt) {
        this.conversations = conversations;
        this.users = users;
        this.jwt = jwt;
    }

    /** {@code queuedAt} keeps the place (kept on a transfer); {@code waitingSince}: when it last came into a queue. */
    public record Waiting(String id, String topic, String residentName, Instant queuedAt, Instant waitingSince, String firstMessage) {
    }

    @GET
    @Operation(summary = "Waiting conversations of my topics (or of one of them) in queue order; waitingSince is when each "
            + "last came into a queue (after a transfer: the transfer), queuedAt keeps its place")
    public Uni<List<Waiting>> waiting(@QueryParam("topic") String topic) {
        return users.find(UUID.fromString(jwt.getSubject())).chain(user -> {
            List<String> mine = user.map(u -> u.topics()).orElse(List.of());
            List<String> topics = topic == null ? mine : mine.contains(topic) ? List.of(topic) : List.of();
            return conversations.waiting(topics, 200).map(list -> list.stream()
                    .map(w -> new Waiting(w.id().toString(), w.topic(), w.residentName(), w.queuedAt(), w.waitingSince(), w.firstMessage())).toList());
        });
    }
}
