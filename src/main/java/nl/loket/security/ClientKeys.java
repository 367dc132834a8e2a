package nl.loket.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A client address as Loket keeps it for abuse limits: an HMAC under a secret every node shares,
 * never the address itself, so the stored value says nothing about who it was.
 */
@ApplicationScoped
public class ClientKeys {

    private final byte[] key;

    /** @param secret the random secret every node shares (kept in loket_keys, like the signing keys) */
    public ClientKeys(@ConfigProperty(name = "loket.feed.cursor-secret") String secret) {
        try {
            // a key of its own, derived from the shared secret: a leaked cursor key says nothing about addresses
            this.key = MessageDigest.getInstance("SHA-256").digest(("loket-client-key:" + secret).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String of(String address) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(address.getBytes(StandardCharsets.UTF_8)), 0, 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
