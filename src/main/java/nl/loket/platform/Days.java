package nl.loket.platform;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/** Days given as query parameters ({@code 2026-11-30}), checked the same way by every report. */
public final class Days {

    private Days() {
    }

    /** The day in {@code value}, or null with a field error added when it is missing or no date. */
    public static LocalDate parse(String value, String field, List<Problem.FieldError> errors) {
        if (value == null || value.isBlank()) {
            errors.add(new Problem.FieldError(field, "verplicht, bijvoorbeeld 2026-11-30 / required, for example 2026-11-30"));
            return null;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new Problem.FieldError(field, "geen datum als 2026-11-30 / not a date like 2026-11-30"));
            return null;
        }
    }
}
