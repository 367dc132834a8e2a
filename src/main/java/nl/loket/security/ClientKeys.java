package nl.loket.security;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;

/**
 * A client address as Loket keeps it for abuse limits: an HMAC under a secret every node shares,
 * never the address itself, so the stored value says nothing about who it was.
 */
@ApplicationScoped
public class ClientKeys {

    private final byte[] key;
    private final byte[] startKey;

    /** @param secret the random secret every node shares (kept in loket_keys, like the signing keys) */
    public ClientKeys(@ConfigProperty(name = "loket.feed.cursor-secret") String secret) {
        try {
            // a key of its own, derived from the shared secret: a leaked cursor key says nothing about addresses
            this.key = MessageDigest.getInstance("SHA-256").digest(("loket-client-key:" + secret).getBytes(StandardCharsets.UTF_8));
            this.startKey = MessageDigest.getInstance("SHA-256").digest(("loket-start-key:" + secret).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String of(String address) {
        return HexFormat.of().formatHex(hmac(key, address), 0, 16);
    }

    /**
     * The id of the conversation a start with this start key makes, the same on every node: a
     * start sent again (its answer lost on a phone's link) finds the conversation it made instead
     * of making a second. An HMAC under a key of its own, so that an id seen elsewhere (a CRM
     * record, a staff screen) says nothing of the key that opens it; shaped as a random UUID. Of
     * the topic too: the same key with another topic is another start, not an answer naming the
     * topic asked for while the conversation waits in the first one's queue.
     */
    public UUID startId(String topic, String startKey) {
        byte[] b = hmac(this.startKey, topic + "\n" + startKey);
        b[6] = (byte) ((b[6] & 0x0f) | 0x40);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        ByteBuffer buffer = ByteBuffer.wrap(b, 0, 16);
        return new UUID(buffer.getLong(), buffer.getLong());
    }

    private static byte[] hmac(byte[] key, String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(value.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
