package nl.loket.user;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.security.ClientAddress;
import nl.loket.security.LoginThrottle;
import nl.loket.security.TokenService;
import nl.loket.config.LoketConfig;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.Problem;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

@Path("/api/v1/auth/token")
@Tag(name = "auth")
public class AuthResource {

    private final UserRepository users;
    private final TokenService tokens;
    private final LoginThrottle throttle;

    public AuthResource(UserRepository users, TokenService tokens, LoginThrottle throttle) {
        this.users = users;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    public record Login(@NotBlank String username, @NotNull String password) {
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    static LoketException mustChange() {
        return new LoketException("password_change_required", 403,
                "Kies eerst een nieuw wachtwoord. / Choose a new password first.");
    }

    @POST
    @Operation(summary = "Log in with the built-in issuer; 401 on a wrong password; 403 password-change-required when an "
            + "administrator reset the password (choose a new one with POST /api/v1/auth/password); 429 with Retry-After while this username "
            + "has to wait after repeated failures, or this address has failed too often")
    @APIResponse(responseCode = "200", description = "A staff token",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TokenResponse.class)))
    @APIResponse(responseCode = "401", description = "invalid-credentials: wrong username or password")
    @APIResponse(responseCode = "403", description = "password-change-required: an administrator reset the password; choose a new one first")
    @APIResponse(responseCode = "429", description = "too-many-attempts, with Retry-After")
    public Uni<TokenResponse> login(@NotNull @Valid Login login, @Context HttpServerRequest request) {
        String address = ClientAddress.of(request);
        return throttle.take(login.username(), address)
                .chain(turn -> {
                    if (!turn.allowed()) {
                        throw new TooManyAttempts(turn.retryAfterSeconds());
                    }
                    return users.credentials(login.username());
                })
                .chain(found -> Passwords.matchesOffLoop(login.password(), found.map(UserRepository.Credentials::passwordHash).orElse(null))
                        .chain(matches -> {
                            if (!matches || found.isEmpty() || !found.get().user().active()) {
                                // the turn stays taken: it counts as a failure
                                throw new LoketException("invalid_credentials", 401,
                                        "Gebruikersnaam of wachtwoord onjuist. / Wrong username or password.");
                            }
                            var user = found.get().user();
                            if (found.get().mustChangePassword()) {
                                // the right (temporary) password: it may only be replaced (POST /api/v1/auth/password)
                                return throttle.succeeded(login.username(), address).<TokenResponse>map(ignored -> {
                                    throw mustChange();
                                });
                            }
                            TokenService.Issued issued = tokens.staff(user.id(), user.username(), user.displayName(), user.roles(),
                                    found.get().tokenGeneration(), user.department());
                            return throttle.succeeded(login.username(), address)
                                    .replaceWith(new TokenResponse(issued.token(), "Bearer", issued.expiresIn()));
                        }));
    }

    /** A login that has to wait; answered by the mapper below, with Retry-After. */
    static final class TooManyAttempts extends RuntimeException {
        final long retryAfterSeconds;

        TooManyAttempts(long retryAfterSeconds) {
            super("too many attempts", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    @ServerExceptionMapper
    Response tooManyAttempts(TooManyAttempts e) {
        return tooMany(e);
    }

    static Response tooMany(TooManyAttempts e) {
        long wait = e.retryAfterSeconds;
        Problem problem = Problem.of(429, "too-many-attempts", "Te veel mislukte pogingen / Too many failed attempts",
                        "Probeer het over " + wait + " seconden opnieuw. / Try again in " + wait + " seconds.")
                .with("retryAfterSeconds", wait);
        return Response.fromResponse(problem.response()).header("Retry-After", wait).build();
    }
}
