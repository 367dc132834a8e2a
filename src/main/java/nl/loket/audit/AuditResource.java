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
import nl.loket.platform.Problem;
import nl.loket.platform.QueryNumbers;
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
    @Operation(summary = "The audit log, newest first: transcript, ratings and callback reads, searches, removals, password "
            + "resets, logouts and retention runs; filter by actor (username), action, conversationId and period (from inclusive, to exclusive, "
            + "ISO-8601 instants; since is an older name for from); limit 1-1000 (default 100)")
    public Uni<Page> list(@QueryParam("conversationId") String conversationId, @QueryParam("action") String action,
                          @QueryParam("actor") String actor, @QueryParam("from") String from, @QueryParam("to") String to,
                          @QueryParam("since") String since, @QueryParam("limit") String limit) {
        List<Problem.FieldError> errors = new ArrayList<>();
        int max = QueryNumbers.within(limit, "limit", 100, 1, 1000, errors);
        UUID conversation = null;
        if (blank(conversationId) != null) {
            try {
                conversation = UUID.fromString(conversationId.strip());
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("conversationId", "geen gesprek-id / not a conversation id"));
            }
        }
        Instant lo = instant(blank(from) != null ? from : since, blank(from) != null ? "from" : "since", errors);
        Instant hi = instant(to, "to", errors);
        if (lo != null && hi != null && !hi.isAfter(lo)) {
            errors.add(new Problem.FieldError("to", "na from / after from"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return db.query("select id, at, actor, role, action, conversation_id, detail from audit "
                                + "where ($1::uuid is null or conversation_id = $1) and ($2::text is null or action = $2) "
                                + "and ($3::text is null or lower(actor) = lower($3)) "
                                + "and ($4::timestamptz is null or at >= $4) and ($5::timestamptz is null or at < $5) "
                                + "order by id desc limit $6",
                        Tuple.tuple(java.util.Arrays.asList(conversation, blank(action), blank(actor),
                                lo == null ? null : lo.atOffset(ZoneOffset.UTC), hi == null ? null : hi.atOffset(ZoneOffset.UTC), max)))
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

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static Instant instant(String value, String field, List<Problem.FieldError> errors) {
        if (blank(value) == null) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (RuntimeException e) {
            errors.add(new Problem.FieldError(field, "geen ISO-8601-tijdstip / not an ISO-8601 instant"));
            return null;
        }
    }
}
