package nl.loket.privacy;

import org.iban4j.CountryCode;
import org.iban4j.IbanUtil;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes burgerservicenummers and IBANs from free text before it is stored or relayed (docs/protocol.md §10).
 * Only numbers that pass their check are removed: a BSN must pass the 11-proef, an IBAN its
 * mod-97 check (iban4j) with check digits from 02 to 98, so order numbers and phone numbers stay.
 */
public final class Redactor {

    public static final String BSN_REPLACEMENT = "[BSN verwijderd]";
    public static final String IBAN_REPLACEMENT = "[IBAN verwijderd]";

    /**
     * What people put between the digits of a number they type or paste: spaces of any width
     * (also tabs and non-breaking ones), dots, dashes, slashes and underscores.
     */
    static final String SEPARATORS = "\\h./_\\-\\x{2013}";

    /**
     * Nine digits, not part of a longer number, with up to three separators between any two of
     * them ("111 222 333", "111  222  333", "1112.22.333", "111 - 222 - 333", "111/22/2333").
     * Four or more separators, or anything else, keep two numbers apart.
     */
    private static final Pattern BSN = Pattern.compile("(?<![0-9])[0-9](?:[" + SEPARATORS + "]{0,3}[0-9]){8}(?![0-9])");

    /**
     * Country code, check digits, then 11–30 letters/digits: compact, in groups of four, or with
     * up to three of the separators above between any two characters, as for a BSN
     * ("NL91 ABNA 0417 1643 00", "NL91-ABNA-0417-1643-00", a non-breaking space pasted from a bank's page).
     */
    private static final Pattern IBAN = Pattern.compile("(?<![A-Za-z0-9])[A-Za-z][" + SEPARATORS + "]{0,3}[A-Za-z]["
            + SEPARATORS + "]{0,3}[0-9][" + SEPARATORS + "]{0,3}[0-9](?:[" + SEPARATORS + "]{0,3}[A-Za-z0-9]){11,30}(?![A-Za-z0-9])");

    /** The redacted text and what was removed. */
    public record Result(String text, int bsns, int ibans) {
        public boolean redacted() {
            return bsns + ibans > 0;
        }
    }

    private Redactor() {
    }

    public static Result redact(String text) {
        if (text == null || text.isEmpty()) {
            return new Result(text, 0, 0);
        }
        int[] ibans = {0};
        // a candidate that fails its check may have begun a word early ("ab 12 NL91 ABNA …"): the search goes on inside it
        String withoutIbans = replace(IBAN, text, true, candidate -> {
            String iban = validIbanPrefix(candidate);
            if (iban == null) {
                return null;
            }
            ibans[0]++;
            // what follows it in the candidate is searched again: it may start the next IBAN ("… 00 / NL69 …")
            return new Taken(IBAN_REPLACEMENT, iban.length());
        });
        int[] bsns = {0};
        String withoutBsns = replace(BSN, withoutIbans, false, candidate -> {
            if (!isBsn(candidate.replaceAll("[^0-9]", ""))) {
                return null;
            }
            bsns[0]++;
            return new Taken(BSN_REPLACEMENT, candidate.length());
        });
        return new Result(withoutBsns, bsns[0], ibans[0]);
    }

    /**
     * The start of the candidate that is a valid IBAN, ending at a group boundary ("NL91 ABNA
     * 0417 1643 00 graag" must not take the next word along), or null. An IBAN's country fixes
     * its length, so one start is tried: a text full of near misses costs one check each, not
     * one per possible end (with the search going on inside a near miss, that was 30 exceptions
     * a candidate).
     */
    private static String validIbanPrefix(String candidate) {
        StringBuilder compact = new StringBuilder(candidate.length());
        for (int i = 0; i < candidate.length(); i++) {
            if (!separator(candidate.charAt(i))) {
                compact.append(Character.toUpperCase(candidate.charAt(i)));
            }
        }
        String compactAll = compact.toString();
        CountryCode country = CountryCode.getByCode(compactAll.substring(0, 2));
        if (country == null || !IbanUtil.isSupportedCountry(country)) {
            return null;
        }
        int length = IbanUtil.getIbanLength(country);
        if (compactAll.length() < length) {
            return null;
        }
        // where the length-th letter or digit ends in the text as written
        int end = 0;
        for (int seen = 0; seen < length; end++) {
            if (!separator(candidate.charAt(end))) {
                seen++;
            }
        }
        if (end < candidate.length() && !separator(candidate.charAt(end))) {
            return null; // the IBAN's length ends inside a group: not an IBAN as written
        }
        String iban = compactAll.substring(0, length);
        return validCheckDigits(iban) && IbanUtil.isValid(iban) ? candidate.substring(0, end) : null;
    }

    /**
     * Check digits are 98 minus a remainder, so 02 to 98: "AX00…" can pass mod 97 (as "AX97…" does)
     * but no bank gives it, and iban4j does not refuse it.
     */
    private static boolean validCheckDigits(String iban) {
        if (!Character.isDigit(iban.charAt(2)) || !Character.isDigit(iban.charAt(3))) {
            return false;
        }
        int check = (iban.charAt(2) - '0') * 10 + (iban.charAt(3) - '0');
        return check >= 2 && check <= 98;
    }

    /** One of {@link #SEPARATORS}: {@code \\h} (Pattern's horizontal white space) and {@code ./_-–}. */
    private static boolean separator(char c) {
        return c == ' ' || c == '\t' || c == '\u00a0' || c == '\u1680' || c == '\u180e' || (c >= '\u2000' && c <= '\u200a')
                || c == '\u202f' || c == '\u205f' || c == '\u3000' || "./_-\u2013".indexOf(c) >= 0;
    }

    /** The 11-proef: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11 (and the number is not all zeros). */
    public static boolean isBsn(String nineDigits) {
        if (nineDigits.length() != 9 || !nineDigits.chars().allMatch(Character::isDigit) || nineDigits.equals("000000000")) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 8; i++) {
            sum += (9 - i) * (nineDigits.charAt(i) - '0');
        }
        sum -= nineDigits.charAt(8) - '0';
        return sum % 11 == 0;
    }

    /** What replaces the first {@code length} characters of a match. */
    private record Taken(String replacement, int length) {
    }

    private interface Replacement {
        /** The part of the match to replace, or null: not taken. */
        Taken apply(String match);
    }

    /**
     * Every match the replacement takes (null: not taken); the search goes on after the part it
     * replaced. With {@code inside}, the search after a match not taken goes on from its second
     * character, else from its end.
     */
    private static String replace(Pattern pattern, String text, boolean inside, Replacement replacement) {
        Matcher m = pattern.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        int from = 0;
        while (from < text.length() && m.find(from)) {
            Taken taken = replacement.apply(m.group());
            if (taken != null) {
                out.append(text, last, m.start()).append(taken.replacement());
                last = m.start() + taken.length();
                from = last;
            } else {
                from = inside ? m.start() + 1 : m.end();
            }
        }
        return last == 0 ? text : out.append(text.substring(last)).toString();
    }
}
