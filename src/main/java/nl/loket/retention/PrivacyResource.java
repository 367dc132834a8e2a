package nl.loket.retention;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.PhoneNumbers;
import nl.loket.platform.LoketException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.UUID;

/** A resident's request to be forgotten (AVG art. 17), carried out by an admin and audited. */
@Path("/api/v1/admin/conversations")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class PrivacyResource {

    private final Retention retention;
    private final JsonWebToken jwt;

    public PrivacyResource(Retention retention, JsonWebToken jwt) {
        this.retention = retention;
        this.jwt = jwt;
    }

    @DELETE
    @Path("{id}/personal-data")
    @Operation(summary = "Remove a conversation's personal data now (texts, name, summary, rating comment); counts and timings stay")
    public Uni<Response> forgetConversation(@PathParam("id") UUID id) {
        return retention.forgetConversation(id, jwt.getName()).map(found -> {
            if (!found) {
                throw new LoketException("not_found", 404, "Onbekend gesprek. / Unknown conversation.");
            }
            return Response.noContent().build();
        });
    }

    /** {@code DELETE /api/v1/admin/callbacks?phone=}. */
    @Path("/api/v1/admin/callbacks")
    @RolesAllowed(Roles.ADMIN)
    @Tag(name = "admin")
    public static class Callbacks {
        private final Retention retention;
        private final JsonWebToken jwt;

        public Callbacks(Retention retention, JsonWebToken jwt) {
            this.retention = retention;
            this.jwt = jwt;
        }

        @DELETE
        @Operation(summary = "Remove every callback request of a phone number (open ones are cancelled); answers how many")
        public Uni<Map<String, Integer>> forgetCallbacks(@QueryParam("phone") String phone) {
            String e164 = PhoneNumbers.lookup(phone, "phone");
            return retention.forgetCallbacks(e164, jwt.getName()).map(n -> Map.of("removed", n));
        }
    }
}
