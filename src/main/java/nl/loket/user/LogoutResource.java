package nl.loket.user;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import nl.loket.audit.Audit;
import nl.loket.security.RevokedTokens;
import nl.loket.security.Roles;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.UUID;

/**
 * A staff member logs out (docs/protocol.md, authentication): the token sent is revoked on the
 * server, on every node, and the connections opened with it close. Only that token: the
 * account's other sessions (another workstation, a tab with a login of its own) go on. The
 * logout is in the audit log (who, when, the role they worked in; never the token), written with
 * the revocation in one transaction.
 */
@Path("/api/v1/auth/logout")
@Tag(name = "auth")
public class LogoutResource {

    private final RevokedTokens revoked;
    private final JsonWebToken jwt;

    public LogoutResource(RevokedTokens revoked, JsonWebToken jwt) {
        this.revoked = revoked;
        this.jwt = jwt;
    }

    @POST
    @RolesAllowed({Roles.AGENT, Roles.SUPERVISOR, Roles.ADMIN, Roles.INTEGRATOR, Roles.DEPARTMENT})
    @Operation(summary = "Log out: revokes the staff token sent (only that one, not the account's other sessions) on every node; "
            + "its WebSocket connections close with 1008 \"logged out\". 204; the token is refused from then on, so a second "
            + "logout with it is 401; 403 for a resident's token. Audited (logout: who and when, never the token)")
    @APIResponse(responseCode = "204", description = "The token is revoked / Het token is ingetrokken")
    @APIResponse(responseCode = "401", description = "No token, or one that is no longer valid (already logged out, revoked, expired)")
    @APIResponse(responseCode = "403", description = "Not a staff token")
    public Uni<Void> logout() {
        String actor = jwt.getName();
        String role = Audit.role(jwt.getGroups());
        return revoked.revoke(UUID.fromString(jwt.getSubject()), RevokedTokens.tokenId(jwt), jwt.getExpirationTime(),
                tx -> Audit.record(tx, actor, role, Audit.LOGOUT, null, null));
    }
}
