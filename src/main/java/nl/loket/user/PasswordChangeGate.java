package nl.loket.user;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.Problem;
import nl.loket.security.UpgradeChecks;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.Optional;

/**
 * After an administrator's reset, an account may only choose a new password
 * ({@code POST /api/v1/auth/password}): every other call with one of its tokens is answered 403
 * {@code password-change-required} until it has (docs/protocol.md §11).
 */
public class PasswordChangeGate {

    private final SecurityIdentity identity;

    public PasswordChangeGate(SecurityIdentity identity) {
        this.identity = identity;
    }

    @ServerRequestFilter
    public Optional<Response> gate(ContainerRequestContext request) {
        if (identity.isAnonymous() || identity.getAttribute(UpgradeChecks.PASSWORD_CHANGE_REQUIRED) == null
                || request.getUriInfo().getPath().startsWith("/api/v1/auth/")) {
            return Optional.empty();
        }
        return Optional.of(required());
    }

    static Response required() {
        return Problem.of(403, "password-change-required", "Kies eerst een nieuw wachtwoord / Choose a new password first",
                "Uw wachtwoord is opnieuw ingesteld; kies een nieuw wachtwoord om verder te gaan. / "
                        + "Your password was reset; choose a new password to continue.").response();
    }
}
