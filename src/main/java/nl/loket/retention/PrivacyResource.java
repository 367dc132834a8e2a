package nl.loket.retention;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.PhoneNumbers;
import nl.loket.platform.LoketException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

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
    @APIResponse(responseCode = "204", description = "Removed")
    public Uni<Response> forgetConversation(@PathParam("id") UUID id) {
        return retention.forgetConversation(id, jwt.getName()).map(found -> {
            if (!found) {
                throw new LoketException("not_found", 404, "Onbekend gesprek. / Unknown conversation.");
            }
            return Response.noContent().build();
        });
    }

    /**
     * {@code POST /api/v1/admin/callbacks/forget {"phone": …}}: the number travels in the body.
     * It used to be {@code DELETE /api/v1/admin/callbacks?phone=}, which put a resident's number in
     * every access log (nginx logs the query string) and in Quarkus's own log line when a request
     * failed. The old form is refused, without reading the number, and names the new one.
     */
    @Path("/api/v1/admin/callbacks")
    @RolesAllowed(Roles.ADMIN)
    @Tag(name = "admin")
    public static class Callbacks {

        /** Where a number's callback requests are forgotten now; named by the refusal of the old form. */
        static final String FORGET_PATH = "/api/v1/admin/callbacks/forget";

        /** The body of {@code POST …/forget}. */
        public record ForgetCallbacks(String phone) {
        }

        private final Retention retention;
        private final JsonWebToken jwt;

        public Callbacks(Retention retention, JsonWebToken jwt) {
            this.retention = retention;
            this.jwt = jwt;
        }

        @POST
        @Path("forget")
        @Consumes(MediaType.APPLICATION_JSON)
        @Operation(summary = "Remove every callback request of a phone number (open ones are cancelled); answers how many. "
                + "The number is in the body, never in the URL, so that no access log keeps it")
        public Uni<Map<String, Integer>> forgetCallbacks(ForgetCallbacks body) {
            String e164 = PhoneNumbers.lookup(body == null ? null : body.phone(), "phone");
            return retention.forgetCallbacks(e164, jwt.getName()).map(n -> Map.of("removed", n));
        }

        /**
         * The old form, refused with 410 and a pointer to the new one. It reads no parameter: the
         * number in its query string is neither used nor written anywhere by Loket.
         */
        @DELETE
        @Operation(summary = "Gone: use POST /api/v1/admin/callbacks/forget with {\"phone\": …} (410, nothing is removed)", deprecated = true)
        @APIResponse(responseCode = "410", description = "Gone: nothing is removed; the problem names POST /api/v1/admin/callbacks/forget")
        public Response gone() {
            throw new LoketException("endpoint_gone", 410,
                    "Dit adres bestaat niet meer: stuur het nummer in de body van POST " + FORGET_PATH + " als {\"phone\": \"…\"}, "
                            + "zodat het niet in logbestanden komt. / This endpoint is gone: send the number in the body of POST "
                            + FORGET_PATH + " as {\"phone\": \"…\"}, so that it stays out of logs.");
        }
    }
}
