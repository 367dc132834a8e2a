package nl.loket.canned;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Canned replies: admins manage them (docs/protocol.md §11), agents read them (§5). */
@Path("/api/v1/admin/canned-replies")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class CannedReplyResource {

    private final Db db;

    public CannedReplyResource(Db db) {
        this.db = db;
    }

    public record CannedReply(String id, String title, String text, List<String> topics, String locale) {
    }

    public record CannedReplyRequest(@NotBlank @Size(max = 100) String title, @NotBlank @Size(max = 2000) String text,
                                     List<@NotBlank String> topics,
                                     @Pattern(regexp = "nl|en", message = "nl of en / nl or en") String locale) {
    }

    /** Canned replies for agents (docs/protocol.md §5). */
    @Path("/api/v1/canned-replies")
    @Tag(name = "agent")
    public static class ForAgents {
        private final Db db;

        public ForAgents(Db db) {
            this.db = db;
        }

        @GET
        // agents (supervisors are agents too) only: administrators keep them under /api/v1/admin/canned-replies
        @RolesAllowed(Roles.AGENT)
        @Operation(summary = "Canned replies, by title; an empty topic list means every topic")
        public Uni<List<CannedReply>> list() {
            return all(db);
        }
    }

    static Uni<List<CannedReply>> all(Db db) {
        return db.query("select id, title, text, topics, locale from canned_reply order by title").map(CannedReplyResource::map);
    }

    @GET
    public Uni<List<CannedReply>> list() {
        return all(db);
    }

    /** Every topic a reply names must exist: unknown ones are field errors on {@code topics}. */
    private Uni<Void> checkTopics(CannedReplyRequest r) {
        String[] wanted = topics(r);
        if (wanted.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return db.query("select w as id from unnest($1::text[]) w where not exists (select 1 from topic t where t.id = w)",
                Tuple.of((Object) wanted)).map(rows -> {
            List<Problem.FieldError> errors = new ArrayList<>();
            for (Row row : rows) {
                errors.add(new Problem.FieldError("topics", "onbekend onderwerp / unknown topic: " + row.getString("id")));
            }
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            return null;
        });
    }

    @POST
    @Operation(summary = "Create a canned reply; 400 with field errors (an unknown topic among them)")
    @APIResponse(responseCode = "201", description = "Created: the canned reply",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = CannedReply.class)))
    public Uni<Response> create(@NotNull @Valid CannedReplyRequest r) {
        return checkTopics(r).chain(() -> db.query("insert into canned_reply (id, title, text, topics, locale) values ($1, $2, $3, $4, $5) "
                                + "returning id, title, text, topics, locale",
                        Tuple.of(UUID.randomUUID(), r.title().strip(), r.text().strip(), topics(r), locale(r))))
                .map(rows -> Response.status(201).entity(map(rows).get(0)).build());
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a canned reply; 400 with field errors (an unknown topic among them), 404 when unknown")
    public Uni<CannedReply> update(@PathParam("id") UUID id, @NotNull @Valid CannedReplyRequest r) {
        return checkTopics(r).chain(() -> db.query("update canned_reply set title = $2, text = $3, topics = $4, locale = $5, updated_at = now() where id = $1 "
                                + "returning id, title, text, topics, locale",
                        Tuple.of(id, r.title().strip(), r.text().strip(), topics(r), locale(r))))
                .map(rows -> map(rows).stream().findFirst().orElseThrow(CannedReplyResource::unknown));
    }

    @DELETE
    @Path("{id}")
    @APIResponse(responseCode = "204", description = "Deleted")
    public Uni<Response> delete(@PathParam("id") UUID id) {
        return db.query("delete from canned_reply where id = $1", Tuple.of(id)).map(rows -> {
            if (rows.rowCount() == 0) {
                throw unknown();
            }
            return Response.noContent().build();
        });
    }

    private static String[] topics(CannedReplyRequest r) {
        return r.topics() == null ? new String[0] : r.topics().toArray(new String[0]);
    }

    private static String locale(CannedReplyRequest r) {
        return r.locale() == null ? "nl" : r.locale();
    }

    private static List<CannedReply> map(RowSet<Row> rows) {
        List<CannedReply> list = new ArrayList<>();
        for (Row row : rows) {
            list.add(new CannedReply(row.getUUID("id").toString(), row.getString("title"), row.getString("text"),
                    List.of(row.getArrayOfStrings("topics")), row.getString("locale")));
        }
        return list;
    }

    private static LoketException unknown() {
        return new LoketException("not_found", 404, "Onbekend standaardantwoord. / Unknown canned reply.");
    }
}
