package nl.loket.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jose4j.jwt.JwtClaims;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Resident tokens: JWTs signed with HMAC-SHA256 (HS256, key id {@value #KEY_ID}) under a secret
 * every node shares ({@code loket.tokens.resident-secret}, kept in the database). A resident token
 * is only ever read by Loket itself, so it needs no public key.
 *
 * <p>Made and checked here rather than by smallrye-jwt's builder and parser, which do the same
 * with jose4j: in the surge benchmark those two took a fifth of the server's Java time (jose4j's
 * JSON parser allocates a 16 KB buffer per token, the builder looks up a dozen configuration
 * properties per token), against microseconds for the HMAC itself. The checks are those
 * smallrye-jwt makes for Loket's tokens: the header names HS256 and this key id and nothing
 * critical; the signature, compared in constant time; the issuer; the audience; an expiry in
 * the future and an issue time not in it (both with smallrye-jwt's default minute of clock
 * skew); and, beyond that, the resident role and nothing else. Staff tokens stay RS256 and go
 * through smallrye-jwt ({@link ResidentTokenParser}).
 */
@ApplicationScoped
public class ResidentTokens {

    /** The key id in a resident token's header; only a token with this id is checked with this key. */
    public static final String KEY_ID = "resident";

    /** smallrye-jwt's default allowance for clocks that differ ({@code mp.jwt.verify.clock.skew}). */
    static final long CLOCK_SKEW_SECONDS = 60;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder ENCODE = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODE = Base64.getUrlDecoder();
    private static final String HEADER = ENCODE.encodeToString(
            ("{\"kid\":\"" + KEY_ID + "\",\"typ\":\"JWT\",\"alg\":\"HS256\"}").getBytes(StandardCharsets.UTF_8));

    private final SecretKey key;
    private final String issuer;
    private final String audience;
    private final String expectedIssuer;
    private final List<String> expectedAudiences;
    private final long lifetimeSeconds;
    private final ThreadLocal<Mac> macs;

    public ResidentTokens(LoketConfig config,
                          @ConfigProperty(name = "mp.jwt.verify.issuer") String expectedIssuer,
                          @ConfigProperty(name = "mp.jwt.verify.audiences") List<String> expectedAudiences) {
        byte[] secret = Base64.getDecoder().decode(config.tokens().residentSecret());
        if (secret.length < 32) {
            throw new IllegalStateException("loket.tokens.resident-secret must be at least 32 bytes (Base64)");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
        this.issuer = config.tokens().issuer();
        this.audience = config.tokens().audience();
        // checked against what smallrye-jwt checks the staff tokens against
        this.expectedIssuer = expectedIssuer;
        this.expectedAudiences = List.copyOf(expectedAudiences);
        this.lifetimeSeconds = config.tokens().residentLifetime().toSeconds();
        this.macs = ThreadLocal.withInitial(() -> {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(key);
                return mac;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    SecretKey key() {
        return key;
    }

    /** A token that opens exactly one conversation (or callback request): sub = its id. */
    public String issue(UUID subjectId) {
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode()
                .put("iss", issuer)
                .put("aud", audience)
                .put("sub", subjectId.toString())
                .put("upn", "resident:" + subjectId)
                .put("iat", now)
                .put("exp", now + lifetimeSeconds)
                .put("jti", UUID.randomUUID().toString());
        claims.putArray("groups").add(Roles.RESIDENT);
        String signingInput;
        try {
            signingInput = HEADER + "." + ENCODE.encodeToString(JSON.writeValueAsBytes(claims));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return signingInput + "." + ENCODE.encodeToString(mac(signingInput));
    }

    /** The token's claims, when it is a valid resident token; else a ParseException saying why. */
    public JsonWebToken verify(String token) throws ParseException {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw new ParseException("a resident token is a signed JWT of three parts");
        }
        JsonNode header = json(token.substring(0, first));
        if (!"HS256".equals(header.path("alg").asText()) || !KEY_ID.equals(header.path("kid").asText()) || header.has("crit")) {
            throw new ParseException("a token under the resident key id is HS256 without critical headers");
        }
        byte[] signature;
        try {
            signature = DECODE.decode(token.substring(second + 1));
        } catch (IllegalArgumentException e) {
            throw new ParseException("the signature is not base64url");
        }
        if (!MessageDigest.isEqual(mac(token.substring(0, second)), signature)) {
            throw new ParseException("the signature does not match");
        }
        JsonNode claims = json(token.substring(first + 1, second));
        long now = Instant.now().getEpochSecond();
        JsonNode exp = claims.path("exp");
        JsonNode iat = claims.path("iat");
        if (!exp.canConvertToLong() || exp.asLong() + CLOCK_SKEW_SECONDS <= now) {
            throw new ParseException("the token has expired (or carries no expiry)");
        }
        if (!iat.canConvertToLong() || iat.asLong() - CLOCK_SKEW_SECONDS > now) {
            throw new ParseException("the token is issued in the future (or carries no issue time)");
        }
        if (!expectedIssuer.equals(claims.path("iss").asText(null))) {
            throw new ParseException("the token is from another issuer");
        }
        if (!hasAudience(claims.path("aud"))) {
            throw new ParseException("the token is meant for another audience");
        }
        JsonNode groups = claims.path("groups");
        if (!groups.isArray() || groups.size() != 1 || !Roles.RESIDENT.equals(groups.get(0).asText())) {
            throw new ParseException("a token under the resident key carries the resident role only");
        }
        if (!claims.path("sub").isTextual()) {
            throw new ParseException("the token names no subject");
        }
        return new DefaultJWTCallerPrincipal(token, "JWT", jwtClaims(claims));
    }

    private boolean hasAudience(JsonNode aud) {
        if (aud.isTextual()) {
            return expectedAudiences.contains(aud.asText());
        }
        if (aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.isTextual() && expectedAudiences.contains(a.asText())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The claims as jose4j would hold them after parsing: strings, longs, lists, maps. */
    private static JwtClaims jwtClaims(JsonNode claims) {
        JwtClaims out = new JwtClaims();
        for (Iterator<Map.Entry<String, JsonNode>> it = claims.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            out.setClaim(field.getKey(), value(field.getValue()));
        }
        return out;
    }

    private static Object value(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.asLong();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(value(n)));
            return list;
        }
        if (node.isObject() || node.isBoolean()) {
            return JSON.convertValue(node, Object.class);
        }
        return node.isNull() ? null : node.asText();
    }

    private static JsonNode json(String part) throws ParseException {
        try {
            JsonNode node = JSON.readTree(DECODE.decode(part));
            if (node == null || !node.isObject()) {
                throw new ParseException("a token part is not a JSON object");
            }
            return node;
        } catch (IOException | IllegalArgumentException e) {
            throw new ParseException("a token part is not base64url JSON");
        }
    }

    private byte[] mac(String signingInput) {
        Mac mac = macs.get();
        return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    }
}
