package nl.loket.transcript;

import nl.loket.platform.ValidationException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * The opaque position in the change feed: the (updatedAt, id) of the last item, signed so that
 * a cursor Loket did not issue is refused. The key is derived from a secret of its own that every
 * node shares (see nl.loket.db.StoredSecret).
 */
public final class FeedCursor {

    public record Position(Instant updatedAt, UUID id) {
    }

    private final byte[] key;

    public FeedCursor(String secret) {
        try {
            this.key = MessageDigest.getInstance("SHA-256").digest(("loket-feed-cursor:" + secret).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encode(Position p) {
        String body = p.updatedAt().getEpochSecond() + "." + p.updatedAt().getNano() + "." + p.id();
        return Base64.getUrlEncoder().withoutPadding().encodeToString((body + "." + sign(body)).getBytes(StandardCharsets.UTF_8));
    }

    public Position decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int cut = raw.lastIndexOf('.');
            String body = raw.substring(0, cut);
            if (!MessageDigest.isEqual(sign(body).getBytes(StandardCharsets.UTF_8), raw.substring(cut + 1).getBytes(StandardCharsets.UTF_8))) {
                throw invalid();
            }
            String[] parts = body.split("\\.");
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), UUID.fromString(parts[2]));
        } catch (ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    private String sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ValidationException invalid() {
        return ValidationException.of("cursor", "Deze cursor komt niet van Loket. / This cursor was not issued by Loket.");
    }
}
