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

    public Issued staff(UUID userId, String username, String displayName, Set<String> roles) {
        return staff(userId, username, displayName, roles, null);
    }

    /** The claim that names a department user's own department (docs/departments.md). */
    public static final String DEPARTMENT_CLAIM = "department";

    /** A staff token; {@code department} (may be null) becomes the claim {@value #DEPARTMENT_CLAIM}. */
    public Issued staff(UUID userId, String username, String displayName, Set<String> roles, String department) {
        Duration lifetime = config.tokens().staffLifetime();
        var builder = Jwt.issuer(config.tokens().issuer())
                .audience(config.tokens().audience())
                .subject(userId.toString())
                .upn(username)
                .claim("name", displayName)
                .groups(Roles.groups(roles));
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
