package nl.loket.security;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import org.eclipse.microprofile.jwt.JsonWebToken;

import javax.crypto.SecretKey;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Base64;

/**
 * Reads every bearer token Loket is given. A token whose header names the resident key id
 * ({@link ResidentTokens#KEY_ID}) is checked by {@link ResidentTokens}: the resident key, HS256
 * only, the resident role and nothing else; every other token goes to smallrye-jwt's own parser
 * unchanged (RS256 under the configured public key). Each key is only ever used with its own
 * algorithm, so neither an HS256 token "signed" with the public key nor an RS256 token with the
 * resident key id gets through.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class ResidentTokenParser implements JWTParser {

    private final DefaultJWTParser standard;
    private final ResidentTokens residents;

    public ResidentTokenParser(DefaultJWTParser standard, ResidentTokens residents) {
        this.standard = standard;
        this.residents = residents;
    }

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        return ResidentTokens.KEY_ID.equals(keyId(token)) ? residents.verify(token) : standard.parse(token);
    }

    /** The header's {@code kid}, or null when the token has none or is no JWS at all. */
    static String keyId(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return null;
        }
        try {
            JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot)),
                    StandardCharsets.UTF_8));
            return header.getValue("kid") instanceof String kid ? kid : null;
        } catch (RuntimeException e) {
            return null; // not ours to judge: the standard parser refuses it with its own reason
        }
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return standard.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return standard.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return standard.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return standard.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, java.security.PrivateKey key) throws ParseException {
        return standard.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return standard.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return standard.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return standard.parseOnly(token);
    }
}
