package nl.loket.security;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.config.ConfigProvider;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/** The built-in issuer: staff tokens for a shift (RS256), resident tokens for one conversation (HS256, {@link ResidentTokens}). */
@ApplicationScoped
public class TokenService {

    /** The inline signing key (PEM), as the database config source or the operator gives it. */
    static final String SIGN_KEY = "smallrye.jwt.sign.key";

    private final LoketConfig config;
    private final ResidentTokens residents;
    /** The signing key, decoded once; null when it comes from a key file ({@code smallrye.jwt.sign.key.location}). */
    private volatile PrivateKey signingKey;
    private volatile boolean keyLooked;

    public TokenService(LoketConfig config, ResidentTokens residents) {
        this.config = config;
        this.residents = residents;
    }

    /**
     * Signs a staff token with the key decoded once. Left to itself, smallrye-jwt reads and
     * decodes the PEM from the configuration on every signature (when resident tokens were RS256
     * too, that was half the cost of one during a surge).
     */
    private String sign(JwtClaimsBuilder claims) {
        if (!keyLooked) {
            signingKey = ConfigProvider.getConfig().getOptionalValue(SIGN_KEY, String.class)
                    .filter(pem -> !pem.isBlank())
                    .map(pem -> KeyUtils.tryAsPemSigningPrivateKey(pem, SignatureAlgorithm.RS256))
                    .orElse(null);
            keyLooked = true;
        }
        PrivateKey key = signingKey;
        return key == null ? claims.sign() : claims.sign(key);
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
     * (may be null) becomes the claim {@value #DEPARTMENT_CLAIM}. Every token has an id of its own
     * ({@code jti}, random): a logout revokes that one token ({@link RevokedTokens}).
     */
    public Issued staff(UUID userId, String username, String displayName, Set<String> roles, long generation, String department) {
        Duration lifetime = config.tokens().staffLifetime();
        var builder = Jwt.issuer(config.tokens().issuer())
                .audience(config.tokens().audience())
                .subject(userId.toString())
                .upn(username)
                .claim("name", displayName)
                .groups(Roles.groups(roles))
                .claim(GENERATION, generation)
                // set here, not left to the library's default claims, which a setting can turn off
                .claim(org.eclipse.microprofile.jwt.Claims.jti.name(), UUID.randomUUID().toString());
        if (department != null) {
            builder.claim(DEPARTMENT_CLAIM, department);
        }
        String token = sign(builder.expiresIn(lifetime));
        return new Issued(token, lifetime.toSeconds());
    }

    /**
     * A token that opens exactly one conversation (or callback request): sub = its id. HS256
     * under the resident key ({@link ResidentTokens}); resident tokens issued before were RS256
     * and stay valid until they expire.
     */
    public String resident(UUID subjectId) {
        return residents.issue(subjectId);
    }
}
