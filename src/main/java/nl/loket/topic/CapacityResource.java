package nl.loket.topic;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.platform.Signal;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The capacity flag per topic (docs/protocol.md §11): a supervisor or the telephony system flags a
 * topic short, and supervisors read back what is set.
 */
@Path("/api/v1/capacity")
@Tag(name = "supervisor")
public class CapacityResource {

    /**
     * Every topic with its flag; a topic never flagged, or whose flag's {@code until} has passed,
     * reads {@code short:false}. The stored reason and expiry are shown only while short.
     */
    private static final String READ = """
            select t.id as topic,
                   coalesce(f.short and (f.until is null or f.until > now()), false) as short,
                   f.until, f.reason, f.set_by, f.updated_at
            from topic t left join capacity_flag f on f.topic = t.id
            """;

    private final Db db;
    private final JsonWebToken jwt;

    public CapacityResource(Db db, JsonWebToken jwt) {
        this.db = db;
        this.jwt = jwt;
    }

    /** {@code {"topic","short","until","reason","setBy","updatedAt"}}; "short" is a Java keyword, hence the mapping. */
    public record Capacity(String topic, @JsonProperty("short") boolean isShort, Instant until, String reason, String setBy,
                           Instant updatedAt) {
    }

    @GET
    @RolesAllowed({Roles.SUPERVISOR, Roles.INTEGRATOR, Roles.ADMIN})
    @Operation(summary = "The capacity flag of every topic, in the topics' order; an expired flag reads short:false")
    public Uni<List<Capacity>> list() {
        return db.query(READ + " order by t.sort_order, t.id collate \"C\"").map(CapacityResource::map);
    }

    @GET
    @Path("{topic}")
    @RolesAllowed({Roles.SUPERVISOR, Roles.INTEGRATOR, Roles.ADMIN})
    @Operation(summary = "One topic's capacity flag; 404 for an unknown topic")
    public Uni<Capacity> one(@PathParam("topic") String topic) {
        return read(topic).map(found -> {
            if (found == null) {
                throw new LoketException("not_found", 404, "Onbekend onderwerp. / Unknown topic.");
            }
            return found;
        });
    }

    @PUT
    @Path("{topic}")
    @RolesAllowed({Roles.SUPERVISOR, Roles.INTEGRATOR})
    @Operation(summary = "Flag capacity short (offers callbacks to everyone waiting on the topic) until the given time, or clear it; "
            + "answers the flag as stored")
    public Uni<Capacity> set(@PathParam("topic") String topic, @NotNull @Valid CapacityBody body) {
        if (body.until() != null && body.until().isBefore(Instant.now())) {
            throw ValidationException.of("until", "ligt in het verleden / lies in the past");
        }
        boolean isShort = body.isShort();
        // a cleared flag keeps no expiry or reason: they would describe a shortage that is over
        OffsetDateTime until = isShort && body.until() != null ? body.until().atOffset(ZoneOffset.UTC) : null;
        String reason = isShort && body.reason() != null && !body.reason().isBlank() ? body.reason().strip() : null;
        return db.tx(tx -> tx.query("select 1 from topic where id = $1", Tuple.of(topic)).chain(rows -> {
            if (rows.size() == 0) {
                throw ValidationException.of("topic", "onbekend onderwerp / unknown topic");
            }
            tx.signal(new Signal.Queue(topic));
            return tx.query("insert into capacity_flag (topic, short, until, reason, set_by) values ($1, $2, $3, $4, $5) "
                            + "on conflict (topic) do update set short = excluded.short, until = excluded.until, "
                            + "reason = excluded.reason, set_by = excluded.set_by, updated_at = now()",
                    Tuple.of(topic, isShort, until, reason, jwt.getName()));
        })).chain(() -> read(topic));
    }

    private Uni<Capacity> read(String topic) {
        return db.query(READ + " where t.id = $1", Tuple.of(topic)).map(rows -> {
            List<Capacity> list = map(rows);
            return list.isEmpty() ? null : list.get(0);
        });
    }

    private static List<Capacity> map(RowSet<Row> rows) {
        List<Capacity> list = new ArrayList<>();
        for (Row r : rows) {
            boolean isShort = r.getBoolean("short");
            OffsetDateTime until = r.getOffsetDateTime("until");
            OffsetDateTime updated = r.getOffsetDateTime("updated_at");
            list.add(new Capacity(r.getString("topic"), isShort, isShort && until != null ? until.toInstant() : null,
                    isShort ? r.getString("reason") : null, r.getString("set_by"), updated == null ? null : updated.toInstant()));
        }
        return list;
    }
}
