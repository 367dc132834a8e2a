package nl.loket.security;

import io.smallrye.jwt.build.Jwt;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** The built-in issuer: staff tokens for a shift, resident tokens for one conversation. */
@ApplicationScoped
public class TokenService {

    private final LoketConfig config;

    public TokenService(LoketConfig config) {
        this.config = config;
    }

    public record Issued(String token, long expiresIn) {
    }

    /** The generation a staff token was issued with; 0 for tokens from before generations existed. */
    public static long generationOf(org.eclipse.microprofile.jwt.JsonWebToken jwt) {
        Object value = jwt.getClaim(GENERATION);
        if (value instanceof jakarta.json.JsonNumber n) {
            return n.longValue();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        return 0;
    }

    /** The claim that carries the account's token generation: a lower one than the account's current is refused. */
    public static final String GENERATION = "gen";

    /** The claim that names a department user's own department (docs/departments.md). */
    public static final String DEPARTMENT_CLAIM = "department";

    /**
     * A staff token for a shift; {@code generation} is the account's token generation now, so a
     * later change of roles, topics, password, active or department revokes it; {@code department}
     * (may be null) becomes the claim {@value #DEPARTMENT_CLAIM}.
     */
    public Issued staff(UUID userId, String username, String displayName, Set<String> roles, long generation, String department) {
        Duration lifetime = config.tokens().staffLifetime();
        var builder = Jwt.issuer(config.tokens().issuer())
                .audience(config.tokens().audience())
                .subject(userId.toString())
                .upn(username)
                .claim("name", displayName)
                .groups(Roles.groups(roles))
                .claim(GENERATION, generation);
        if (department != null) {
            builder.claim(DEPARTMENT_CLAIM, department);
        }
        String token = builder.expiresIn(lifetime).sign();
        return new Issued(token, lifetime.toSeconds());
    }

    /** A token that opens exactly one conversation (or callback request): sub = its id. */
    public String resident(UUID subjectId) {
        return Jwt.issuer(config.tokens().issuer())
                .audience(config.tokens().audience())
                .subject(subjectId.toString())
                .upn("resident:" + subjectId)
                .groups(Set.of(Roles.RESIDENT))
                .expiresIn(config.tokens().residentLifetime())
                .sign();
    }
}
