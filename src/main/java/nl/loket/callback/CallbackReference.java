package nl.loket.callback;

import java.util.UUID;

/**
 * The short reference a resident can quote on the phone for a callback request ("4K7M-Q2XZ"),
 * derived from its id, so nothing is stored: the first 40 bits of the (random) id in Crockford's
 * base 32, which leaves out I, L, O and U (read as 1, 1, 0 or V). 40 bits make two requests
 * sharing a reference unlikely within the retention period; an agent who finds two checks the number.
 */
public final class CallbackReference {

    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

    private CallbackReference() {
    }

    public static String of(UUID id) {
        long bits = id.getMostSignificantBits() >>> 24; // the first 40 bits
        char[] out = new char[9];
        for (int i = 8; i >= 0; i--) {
            if (i == 4) {
                out[i] = '-';
                continue;
            }
            out[i] = ALPHABET[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(out);
    }

    public static String of(String id) {
        return id == null ? null : of(UUID.fromString(id));
    }
}
