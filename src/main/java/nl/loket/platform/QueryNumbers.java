package nl.loket.platform;

import java.util.List;

/**
 * Whole numbers given as query parameters ({@code limit}, {@code offset}), checked by the
 * resource. Taken as text: a parameter declared as a number that does not convert makes JAX-RS
 * answer 404, which a client cannot tell from a wrong address.
 */
public final class QueryNumbers {

    private QueryNumbers() {
    }

    /**
     * The number in {@code value}, {@code absent} when it is not given, or {@code absent} with a
     * field error added when it is no whole number from {@code min} to {@code max}.
     */
    public static int within(String value, String field, int absent, int min, int max, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notAWholeNumber) {
            // the same answer as a number out of range
        }
        errors.add(new Problem.FieldError(field, "een geheel getal van " + min + " tot en met " + max + " / a whole number from "
                + min + " to " + max));
        return absent;
    }
}
