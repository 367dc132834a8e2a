package nl.loket.topic;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import nl.loket.platform.Signal;
import nl.loket.platform.Db;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.ZoneOffset;

/** A supervisor or the telephony system flags a topic's capacity as short (docs/protocol.md §11). */
@Path("/api/v1/capacity/{topic}")
@RolesAllowed({Roles.SUPERVISOR, Roles.INTEGRATOR})
@Tag(name = "supervisor")
public class CapacityResource {

    private final Db db;
    private final JsonWebToken jwt;

    public CapacityResource(Db db, JsonWebToken jwt) {
        this.db = db;
        this.jwt = jwt;
    }

    /** The flag as stored: {@code {"short","until","reason"}}. */
    public record Capacity(@com.fasterxml.jackson.annotation.JsonProperty("short") boolean isShort, Instant until, String reason) {
    }

    @PUT
    @Operation(summary = "Flag capacity short (offers callbacks to everyone waiting on the topic) until the given time, or clear it")
    public Uni<Capacity> set(@PathParam("topic") String topic, @NotNull @Valid CapacityBody body) {
        if (body.until() != null && body.until().isBefore(Instant.now())) {
            throw ValidationException.of("until", "ligt in het verleden / lies in the past");
        }
        return db.tx(tx -> tx.query("select 1 from topic where id = $1", Tuple.of(topic)).chain(rows -> {
            if (rows.size() == 0) {
                throw ValidationException.of("topic", "onbekend onderwerp / unknown topic");
            }
            tx.signal(new Signal.Queue(topic));
            return tx.query("insert into capacity_flag (topic, short, until, reason, set_by) values ($1, $2, $3, $4, $5) "
                            + "on conflict (topic) do update set short = excluded.short, until = excluded.until, "
                            + "reason = excluded.reason, set_by = excluded.set_by, updated_at = now()",
                    Tuple.of(topic, body.isShort(), body.until() == null ? null : body.until().atOffset(ZoneOffset.UTC),
                            body.reason(), jwt.getName()));
        })).replaceWith(new Capacity(body.isShort(), body.until(), body.reason()));
    }
}
