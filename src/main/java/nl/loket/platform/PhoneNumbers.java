package nl.loket.platform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber;

/**
 * Phone numbers as residents type them ("06 12345678", "020-1234567", "+31 6…", "0031 6…",
 * "+32 …") to E.164, with libphonenumber. Numbers without a country code are Dutch.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /** The number in E.164, or a field error on {@code field}. */
    public static String normalise(String input, String field) {
        if (input == null || input.isBlank()) {
            throw ValidationException.of(field, "Vul een telefoonnummer in. / Enter a phone number.");
        }
        String raw = input.strip();
        if (raw.startsWith("00")) {
            raw = "+" + raw.substring(2);
        }
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(raw, "NL");
            if (!UTIL.isValidNumber(number)) {
                throw invalid(field);
            }
            return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
        } catch (NumberParseException e) {
            throw invalid(field);
        }
    }

    private static ValidationException invalid(String field) {
        return ValidationException.of(field,
                "Dit is geen geldig telefoonnummer, bijvoorbeeld 06 12345678 of +31 20 1234567. "
                        + "/ This is not a valid phone number, for example 06 12345678 or +31 20 1234567.");
    }
}
