package nl.loket.resident;

import java.util.Optional;

/**
 * The {@code after} query parameter of the resident socket: the last seq the client has. One
 * parser for the upgrade check and the socket, on the raw query, so both read it alike: digits
 * only (no sign, no encoding tricks), at most nine of them.
 */
public final class After {

    private After() {
    }

    /** Empty when absent; {@link IllegalArgumentException} when present but not a plain number. */
    public static Optional<Integer> parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return Optional.empty();
        }
        String value = null;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            if (name.equals("after")) {
                if (value != null) {
                    throw new IllegalArgumentException("after given twice");
                }
                value = eq < 0 ? "" : pair.substring(eq + 1);
            }
        }
        if (value == null) {
            return Optional.empty();
        }
        if (!value.matches("[0-9]{1,9}")) {
            throw new IllegalArgumentException("after must be a number");
        }
        return Optional.of(Integer.parseInt(value));
    }

    /** Whether the raw query's {@code after} is absent or valid. */
    public static boolean valid(String rawQuery) {
        try {
            parse(rawQuery);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
