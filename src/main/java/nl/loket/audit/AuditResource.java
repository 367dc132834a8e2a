package nl.loket.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import nl.loket.platform.Db;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/admin/audit")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class AuditResource {

    private final Db db;

    public AuditResource(Db db) {
        this.db = db;
    }

    public record Entry(long id, Instant at, String actor, String role, String action, String conversationId,
                        Map<String, Object> detail) {
    }

    public record Page(List<Entry> items) {
    }

    @GET
    @Operation(summary = "The audit log, newest first: transcript reads, removals and retention runs")
    public Uni<Page> list(@QueryParam("conversationId") UUID conversationId, @QueryParam("action") String action,
                          @QueryParam("since") String since, @QueryParam("limit") Integer limit) {
        int max = limit == null ? 100 : limit;
        if (max < 1 || max > 1000) {
            throw ValidationException.of("limit", "1 tot 1000 / 1 to 1000");
        }
        Instant from;
        try {
            from = since == null ? Instant.EPOCH : Instant.parse(since);
        } catch (RuntimeException e) {
            throw ValidationException.of("since", "geen ISO-8601-tijdstip / not an ISO-8601 instant");
        }
        return db.query("select id, at, actor, role, action, conversation_id, detail from audit "
                                + "where ($1::uuid is null or conversation_id = $1) and ($2::text is null or action = $2) and at >= $3 "
                                + "order by id desc limit $4",
                        Tuple.of(conversationId, action, from.atOffset(ZoneOffset.UTC), max))
                .map(rows -> {
                    List<Entry> items = new ArrayList<>();
                    for (Row r : rows) {
                        UUID c = r.getUUID("conversation_id");
                        JsonObject detail = r.getJsonObject("detail");
                        items.add(new Entry(r.getLong("id"), r.getOffsetDateTime("at").toInstant(), r.getString("actor"),
                                r.getString("role"), r.getString("action"), c == null ? null : c.toString(),
                                detail == null ? null : detail.getMap()));
                    }
                    return new Page(items);
                });
    }
}
