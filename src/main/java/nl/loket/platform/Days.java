package nl.loket.platform;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Days given as query parameters ({@code 2026-11-30}), checked the same way by every report. */
public final class Days {

    static final int FIRST_YEAR = 1900;
    static final int LAST_YEAR = 9999;

    private Days() {
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
