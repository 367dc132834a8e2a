package nl.loket.security;

import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.util.Base64;

/**
 * The key of resident tokens: HMAC-SHA256 under a secret every node shares (kept in the
 * database, {@code loket.tokens.resident-secret}). A resident token is only ever read by Loket
 * itself, so it needs no public key; an HMAC costs microseconds where an RSA signature cost
 * 1–2 ms of CPU per started conversation, the largest single item of a surge of arrivals.
 * Staff tokens stay RS256 under the key pair, which integrators may verify with the public key.
 */
@ApplicationScoped
public class ResidentTokenKey {

    /** The key id in a resident token's header; only a token with this id is checked with this key. */
    public static final String KEY_ID = "resident";

    private final SecretKey key;

    public ResidentTokenKey(LoketConfig config) {
        byte[] secret = Base64.getDecoder().decode(config.tokens().residentSecret());
        if (secret.length < 32) {
            throw new IllegalStateException("loket.tokens.resident-secret must be at least 32 bytes (Base64)");
        }
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    SecretKey key() {
        return key;
    }
}
