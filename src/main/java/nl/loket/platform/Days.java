package nl.loket.platform;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Days given as query parameters ({@code 2026-11-30}), checked the same way by every report. */
public final class Days {

    static final int FIRST_YEAR = 1900;
    static final int LAST_YEAR = 9999;

    private static final Instant FIRST = Instant.parse(FIRST_YEAR + "-01-01T00:00:00Z");
    private static final Instant AFTER_LAST = Instant.parse("+" + (LAST_YEAR + 1) + "-01-01T00:00:00Z");

    private Days() {
    }

    /**
     * Whether an instant given as a query parameter lies within the same years as a day: beyond
     * PostgreSQL's range (year 294276) a query failed with a 500, and year 1 or 300000 is a typo.
     */
    public static boolean within(Instant instant) {
        return !instant.isBefore(FIRST) && instant.isBefore(AFTER_LAST);
    }

    /** The error for an instant outside {@link #within}. */
    public static String outsideMessage() {
        return "een tijdstip tussen de jaren " + FIRST_YEAR + " en " + LAST_YEAR + " / an instant between the years "
                + FIRST_YEAR + " and " + LAST_YEAR;
    }

    /** The day in {@code value}, or null with a field error added when it is missing or no date. */
    public static LocalDate parse(String value, String field, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "verplicht, bijvoorbeeld 2026-11-30 / required, for example 2026-11-30"));
            return null;
        }
        LocalDate day;
        try {
            day = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "geen datum als 2026-11-30 / not a date like 2026-11-30"));
            return null;
        }
        // PostgreSQL's timestamps end at year 294276 and begin at 4713 BC: beyond, a query failed with a 500
        if (day.getYear() < FIRST_YEAR || day.getYear() > LAST_YEAR) {
            errors.add(new Problem.FieldError(field, "een datum tussen " + FIRST_YEAR + " en " + LAST_YEAR + " / a date between "
                    + FIRST_YEAR + " and " + LAST_YEAR));
            return null;
        }
        return day;
    }
}
