package nl.loket.platform;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber;

import java.util.EnumSet;
import java.util.Set;

/**
 * Phone numbers as residents type them ("06 12345678", "020-1234567", "+31 6…", "0031 6…",
 * "+32 …") to E.164, with libphonenumber. Numbers without a country code are Dutch.
 *
 * <p>A number given to be called back must be one an agent can call at ordinary cost and reach
 * the resident on (README, "Callback requests"): landlines, mobiles, VoIP (085, 091) and free
 * numbers (0800). Refused are premium-rate and shared-cost numbers (0900, 0906, 0909; abroad
 * alike) and personal numbers (UK 070), which the municipality would pay per minute for;
 * service numbers (UAN: 084, 087, which cost more to call, and the 14 0xx numbers of
 * municipalities themselves), which reach a service rather than the resident, except the Dutch
 * 088 numbers: companies give them to their staff as direct lines at the ordinary rate, so a
 * resident may well give their work number; pagers and voicemail, which cannot talk.
 * Short numbers (112, 1400) are no valid numbers at all. Letters are refused before parsing:
 * libphonenumber reads them as a telephone keypad, so a typo "5ABC" became 5222.
 *
 * <p>Each reason is one short sentence per language: the widget shows the resident's half beside
 * the field, and on a phone at 200 % zoom with the keyboard up (180×200 px, some 15 characters a
 * line below the panel's header) only about two lines and the field fit; a longer one filled the
 * screen above the field. What a right number looks like the widget says in the field's hint. This is the only check of a number's form: the
 * widget's callback form, the console's callback dialog and its form to forget a number ({@link #lookup})
 * send what was typed (trimmed) and show these reasons.
 */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private static final Set<PhoneNumberType> PAID = EnumSet.of(PhoneNumberType.PREMIUM_RATE, PhoneNumberType.SHARED_COST,
            PhoneNumberType.PERSONAL_NUMBER);
    private static final Set<PhoneNumberType> SERVICE = EnumSet.of(PhoneNumberType.UAN);
    private static final Set<PhoneNumberType> SPEECHLESS = EnumSet.of(PhoneNumberType.PAGER, PhoneNumberType.VOICEMAIL);

    private PhoneNumbers() {
    }

    /** The number in E.164 if it may be called back, or a field error on {@code field}. */
    public static String normalise(String input, String field) {
        Phonenumber.PhoneNumber number = parse(input, field);
        PhoneNumberType type = UTIL.getNumberType(number);
        if (PAID.contains(type)) {
            throw ValidationException.of(field, "Wij bellen geen betaalnummers. / We do not call premium-rate numbers.");
        }
        if (SERVICE.contains(type) && !dutchCompanyLine(number)) {
            throw ValidationException.of(field, "Wij bellen geen servicenummers. / We do not call service numbers.");
        }
        if (SPEECHLESS.contains(type)) {
            throw ValidationException.of(field, "Wij bellen geen pieper of voicemail. / We do not call pagers or voicemail.");
        }
        return UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    /** A Dutch 088 number: a company's line, often an employee's own, called at the ordinary rate. */
    private static boolean dutchCompanyLine(Phonenumber.PhoneNumber number) {
        return number.getCountryCode() == 31 && Long.toString(number.getNationalNumber()).startsWith("88");
    }

    /**
     * Any valid number in E.164, to look up what is stored (a request to be forgotten): it finds
     * numbers {@link #normalise} refuses, stored before it did.
     */
    public static String lookup(String input, String field) {
        return UTIL.format(parse(input, field), PhoneNumberUtil.PhoneNumberFormat.E164);
    }

    private static Phonenumber.PhoneNumber parse(String input, String field) {
        if (input == null || input.isBlank()) {
            throw ValidationException.of(field, "Vul een telefoonnummer in. / Enter a phone number.");
        }
        String raw = input.strip();
        if (raw.codePoints().anyMatch(Character::isLetter)) {
            throw ValidationException.of(field, "Gebruik alleen cijfers, geen letters. / Use digits only, no letters.");
        }
        if (raw.startsWith("00")) {
            raw = "+" + raw.substring(2);
        }
        try {
            Phonenumber.PhoneNumber number = UTIL.parse(raw, "NL");
            if (!UTIL.isValidNumber(number)) {
                throw invalid(field);
            }
            return number;
        } catch (NumberParseException e) {
            throw invalid(field);
        }
    }

    private static ValidationException invalid(String field) {
        return ValidationException.of(field,
                "Vul een geldig nummer in. / Enter a valid number.");
    }
}
