package nl.loket.transcript;

import nl.loket.platform.ValidationException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * The opaque position in the change feed: the (updatedAt, id) of the last item and the filters
 * of the feed it belongs to, signed so that a cursor Loket did not issue is refused, and so that
 * its filters cannot be changed. The key is derived from a secret of its own that every node
 * shares (see nl.loket.db.StoredSecret).
 */
public final class FeedCursor {

    /** The filters of a feed; null where not given. */
    public record Filters(Instant updatedSince, String state, String topic) {
        public static final Filters NONE = new Filters(null, null, null);
    }

    /**
     * A position and the filters of its feed; {@code filters} null for a cursor issued before
     * cursors carried them (its feed unknown: the request's filters hold, as they did then).
     */
    public record Position(Instant updatedAt, UUID id, Filters filters) {
        public Position(Instant updatedAt, UUID id) {
            this(updatedAt, id, Filters.NONE);
        }

        /**
         * The filters to continue with: the cursor's own. A filter the request leaves out is the
         * cursor's (the cursor alone continues its feed); one it gives must be the cursor's, or
         * the page would mix two feeds, and is refused (400 naming {@code cursor}).
         */
        public Filters continuing(Filters asked) {
            if (filters == null) {
                return asked;
            }
            List<String> differ = new ArrayList<>();
            if (asked.updatedSince() != null && !asked.updatedSince().equals(filters.updatedSince())) {
                differ.add("updatedSince");
            }
            if (asked.state() != null && !asked.state().equals(filters.state())) {
                differ.add("state");
            }
            if (asked.topic() != null && !asked.topic().equals(filters.topic())) {
                differ.add("topic");
            }
            if (!differ.isEmpty()) {
                String names = String.join(", ", differ);
                throw ValidationException.of("cursor", "Deze cursor hoort bij een ander filter (" + names + "): geef dezelfde "
                        + "filters mee of laat ze weg, of begin opnieuw zonder cursor. / This cursor belongs to another filter ("
                        + names + "): send the same filters or leave them out, or start again without a cursor.");
            }
            return filters;
        }
    }

    /** Marks a body with filters, after its position; a cursor issued before them has three parts and no mark. */
    private static final String FILTERED = "f";

    private final byte[] key;

    public FeedCursor(String secret) {
        try {
            this.key = MessageDigest.getInstance("SHA-256").digest(("loket-feed-cursor:" + secret).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encode(Position p) {
        Filters f = Objects.requireNonNull(p.filters(), "a cursor is issued with its filters");
        // the position first, as before cursors carried filters: a node of that version (a rolling
        // upgrade) reads the first three parts and continues with the filters sent, as it did
        String body = p.updatedAt().getEpochSecond() + "." + p.updatedAt().getNano() + "." + p.id() + "." + FILTERED
                + "." + (f.updatedSince() == null ? "" : f.updatedSince().getEpochSecond() + "_" + f.updatedSince().getNano())
                + "." + text(f.state()) + "." + text(f.topic());
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
            String[] parts = body.split("\\.", -1);
            if (parts.length == 3) {
                // issued before cursors carried their filters (an integrator halfway through a pass during an upgrade)
                return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), UUID.fromString(parts[2]), null);
            }
            if (parts.length == 7 && FILTERED.equals(parts[0])) {
                // the mark first: issued by the version just before this one (a4a8210), which put it there
                String[] position = {parts[1], parts[2], parts[3], parts[0]};
                System.arraycopy(position, 0, parts, 0, 4);
            }
            if (parts.length != 7 || !FILTERED.equals(parts[3])) {
                throw invalid();
            }
            Instant since = null;
            if (!parts[4].isEmpty()) {
                String[] s = parts[4].split("_");
                since = Instant.ofEpochSecond(Long.parseLong(s[0]), Long.parseLong(s[1]));
            }
            return new Position(Instant.ofEpochSecond(Long.parseLong(parts[0]), Long.parseLong(parts[1])), UUID.fromString(parts[2]),
                    new Filters(since, untext(parts[5]), untext(parts[6])));
        } catch (ValidationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw invalid();
        }
    }

    /** A filter's text in a body: base64url, so no dot of the body's own; empty for none. */
    private static String text(String value) {
        return value == null ? "" : Base64.getUrlEncoder().withoutPadding().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }

    private static String untext(String part) {
        return part.isEmpty() ? null : new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8);
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
