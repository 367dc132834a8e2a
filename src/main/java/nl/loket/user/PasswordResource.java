package nl.loket.user;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import nl.loket.platform.LoketException;
import nl.loket.platform.ValidationException;
import nl.loket.security.ClientAddress;
import nl.loket.security.LoginThrottle;
import nl.loket.security.TokenService;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import jakarta.ws.rs.core.Response;

/**
 * A staff member replaces their own password (docs/protocol.md §11): with the current one, like
 * a login, and counted by the same throttle. The way out of an administrator's reset, so it needs
 * no token: the username comes in the body (or, when left out, from the token sent).
 */
@Path("/api/v1/auth/password")
@Tag(name = "auth")
public class PasswordResource {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 200;

    private final UserRepository users;
    private final TokenService tokens;
    private final LoginThrottle throttle;
    private final JsonWebToken jwt;

    public PasswordResource(UserRepository users, TokenService tokens, LoginThrottle throttle, JsonWebToken jwt) {
        this.users = users;
        this.tokens = tokens;
        this.throttle = throttle;
        this.jwt = jwt;
    }

    public record ChangePassword(String username, @NotNull String currentPassword, @NotNull String newPassword) {
    }

    @POST
    @Operation(summary = "Replace one's own password: 200 with a new token (as a login); 401 when the current password is wrong; "
            + "400 (field newPassword) when the new one is shorter than 10 characters or the same; 429 as a login")
    public Uni<AuthResource.TokenResponse> change(@NotNull @Valid ChangePassword body, @Context HttpServerRequest request) {
        String username = body.username() != null && !body.username().isBlank() ? body.username().strip() : jwt.getName();
        if (username == null) {
            throw ValidationException.of("username", "verplicht / required");
        }
        String address = ClientAddress.of(request);
        return throttle.take(username, address)
                .chain(turn -> {
                    if (!turn.allowed()) {
                        throw new AuthResource.TooManyAttempts(turn.retryAfterSeconds());
                    }
                    return users.credentials(username);
                })
                .chain(found -> Passwords.matchesOffLoop(body.currentPassword(),
                                found.map(UserRepository.Credentials::passwordHash).orElse(null))
                        .chain(matches -> {
                            if (!matches || found.isEmpty() || !found.get().user().active()) {
                                throw new LoketException("invalid_credentials", 401,
                                        "Gebruikersnaam of wachtwoord onjuist. / Wrong username or password.");
                            }
                            return throttle.succeeded(username, address).replaceWith(found.get());
                        }))
                .chain(checked -> {
                    User user = checked.user();
                    String next = body.newPassword();
                    if (next.length() < MIN_LENGTH || next.length() > MAX_LENGTH) {
                        throw ValidationException.of("newPassword", "minstens 10 en hoogstens 200 tekens / at least 10 and at most 200 characters");
                    }
                    if (next.equals(body.currentPassword())) {
                        throw ValidationException.of("newPassword", "moet anders zijn dan het huidige / must differ from the current one");
                    }
                    return Passwords.hashOffLoop(next).chain(hash -> users.changePassword(user.id(), checked.passwordHash(), hash))
                            .map(changed -> {
                                // empty: an administrator reset the password since it was checked, and that reset stays;
                                // disabled since: no token either
                                if (changed.isEmpty() || !changed.get().user().active()) {
                                    throw new LoketException("invalid_credentials", 401,
                                            "Gebruikersnaam of wachtwoord onjuist. / Wrong username or password.");
                                }
                                // the change revoked every earlier token of the account; this one carries the new generation,
                                // and the roles and department the account has now (an administrator may have changed them
                                // while the password was checked)
                                User now = changed.get().user();
                                TokenService.Issued issued = tokens.staff(now.id(), now.username(), now.displayName(), now.roles(),
                                        changed.get().generation(), now.department());
                                return new AuthResource.TokenResponse(issued.token(), "Bearer", issued.expiresIn());
                            });
                });
    }

    @ServerExceptionMapper
    Response tooManyAttempts(AuthResource.TooManyAttempts e) {
        return AuthResource.tooMany(e);
    }
}
