package nl.loket.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A client address as Loket keeps it for abuse limits: an HMAC under a secret every node shares,
 * never the address itself, so the stored value says nothing about who it was.
 */
@ApplicationScoped
public class ClientKeys {

    private final byte[] key;

    public ClientKeys(@ConfigProperty(name = "smallrye.jwt.sign.key") Optional<String> signKey,
                      @ConfigProperty(name = "loket.tokens.issuer", defaultValue = "loket") String issuer) {
        try {
            String secret = signKey.orElse(issuer);
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
