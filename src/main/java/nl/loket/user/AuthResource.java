package nl.loket.user;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.security.ClientAddress;
import nl.loket.security.TokenService;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;

@Path("/api/v1/auth/token")
@Tag(name = "auth")
public class AuthResource {

    private final UserRepository users;
    private final TokenService tokens;
    private final Db db;
    private final LoketConfig config;

    public AuthResource(UserRepository users, TokenService tokens, Db db, LoketConfig config) {
        this.users = users;
        this.tokens = tokens;
        this.db = db;
        this.config = config;
    }

    public record Login(@NotBlank String username, @NotNull String password) {
    }

    public record TokenResponse(String accessToken, String tokenType, long expiresIn) {
    }

    @POST
    @Operation(summary = "Log in with the built-in issuer; 401 on a wrong password, 429 after repeated failures")
    public Uni<TokenResponse> login(@NotNull @Valid Login login, @Context HttpServerRequest request) {
        String address = ClientAddress.of(request);
        Duration window = config.limits().loginWindow();
        return db.query("select count(*) as n from login_failure where username = $1 and address = $2 "
                                + "and at > now() - make_interval(secs => $3)",
                        Tuple.of(login.username(), address, (double) window.toSeconds()))
                .map(rows -> rows.iterator().next().getLong("n"))
                .chain(failures -> {
                    if (failures >= config.limits().loginFailures()) {
                        throw new LoketException("too_many_attempts", 429,
                                "Te veel mislukte pogingen; probeer het over enkele minuten opnieuw. / Too many failed attempts; try again in a few minutes.");
                    }
                    return users.credentials(login.username());
                })
                .chain(found -> Passwords.matchesOffLoop(login.password(), found.map(UserRepository.Credentials::passwordHash).orElse(null))
                        .chain(matches -> {
                            if (!matches || found.isEmpty() || !found.get().user().active()) {
                                return db.query("insert into login_failure (username, address) values ($1, $2)",
                                        Tuple.of(login.username(), address)).map(r -> {
                                    throw new LoketException("invalid_credentials", 401,
                                            "Gebruikersnaam of wachtwoord onjuist. / Wrong username or password.");
                                });
                            }
                            var user = found.get().user();
                            TokenService.Issued issued = tokens.staff(user.id(), user.username(), user.displayName(), user.roles());
                            return Uni.createFrom().item(new TokenResponse(issued.token(), "Bearer", issued.expiresIn()));
                        }));
    }
}
