package nl.loket.privacy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;
import org.iban4j.CountryCode;
import org.iban4j.Iban;
import org.iban4j.IbanUtil;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RedactorTest {

    @Example
    void examples() {
        assertThat(Redactor.redact("Mijn BSN is 111222333, toch?").text()).isEqualTo("Mijn BSN is [BSN verwijderd], toch?");
        assertThat(Redactor.redact("bsn 1112.22.333").text()).isEqualTo("bsn [BSN verwijderd]");
        assertThat(Redactor.redact("Rekening NL91 ABNA 0417 1643 00 graag").text()).isEqualTo("Rekening [IBAN verwijderd] graag");
        assertThat(Redactor.redact("nl91abna0417164300").text()).isEqualTo("[IBAN verwijderd]");
        // fails the 11-proef / mod-97, or is a phone number: left alone
        assertThat(Redactor.redact("Order 123456789 en 0612345678").text()).isEqualTo("Order 123456789 en 0612345678");
        assertThat(Redactor.redact("NL91 ABNA 0417 1643 01").redacted()).isFalse();
        // check digits 00, 01 and 99 are never given (ISO 13616: 98 minus the remainder), even when mod 97 holds
        assertThat(Redactor.redact("x ax 0000000000000011 xax").redacted()).isFalse();
        assertThat(Redactor.redact("AX97 0000 0000 0000 11").redacted()).isTrue();
        assertThat(Redactor.redact("").text()).isEmpty();
        // runs of spaces, tabs, non-breaking spaces, slashes, underscores, a dash between spaces
        for (String written : List.of("111  222  333", "111\t222\t333", "111\u00a0222\u00a0333", "111\u202f222\u202f333",
                "111/222/333", "111_222_333", "111 - 222 - 333", "1 1 1 2 2 2 3 3 3")) {
            assertThat(Redactor.redact("bsn: " + written + ".").text()).as(written).isEqualTo("bsn: [BSN verwijderd].");
        }
        // an IBAN as people paste or type it: any of those separators between its characters
        for (String written : List.of("NL91\u00a0ABNA\u00a00417\u00a01643\u00a000", "NL91\tABNA\t0417\t1643\t00",
                "NL91-ABNA-0417-1643-00", "NL91.ABNA.0417.1643.00", "NL91  ABNA  0417  1643  00", "NL 91 ABNA 0417 1643 00",
                "nl91 abna 041 716 4300")) {
            assertThat(Redactor.redact("iban: " + written + ", graag.").text()).as(written).isEqualTo("iban: [IBAN verwijderd], graag.");
        }
        // two IBANs with a separator between them: both go (the first match ran on into the second)
        for (String between : List.of(" / ", ". ", " - ", " \u2013 ", " ")) {
            Redactor.Result two = Redactor.redact("NL91 ABNA 0417 1643 00" + between + "NL69 INGB 0123 4567 89");
            assertThat(two.ibans()).as(between).isEqualTo(2);
            assertThat(two.text()).isEqualTo("[IBAN verwijderd]" + between + "[IBAN verwijderd]");
        }
        // a word and a number before it that look like an IBAN's start do not hide it
        assertThat(Redactor.redact("ab 12 NL91ABNA0417164300").text()).isEqualTo("ab 12 [IBAN verwijderd]");
        assertThat(Redactor.redact("AB12 NL91 ABNA 0417 1643 00 ok").text()).isEqualTo("AB12 [IBAN verwijderd] ok");
        // four separators or a line break keep numbers apart; a date is no BSN
        assertThat(Redactor.redact("111    222333").redacted()).isFalse();
        assertThat(Redactor.redact("111\n222\n333").redacted()).isFalse();
        assertThat(Redactor.redact("op 12/03/2024 om 14:30").redacted()).isFalse();
    }

    @Property
    void aValidBsnWithAnySeparatorsBetweenItsDigitsIsRemoved(@ForAll("bsns") String bsn,
                                                            @ForAll("separatorRuns") List<String> runs,
                                                            @ForAll("words") String before, @ForAll("words") String after) {
        StringBuilder written = new StringBuilder().append(bsn.charAt(0));
        for (int i = 1; i < 9; i++) {
            written.append(runs.get(i - 1)).append(bsn.charAt(i));
        }
        Redactor.Result r = Redactor.redact(before + " " + written + " " + after);
        assertThat(r.text()).isEqualTo(before + " " + Redactor.BSN_REPLACEMENT + " " + after);
        assertThat(r.bsns()).isEqualTo(1);
    }

    @Property
    void separatedDigitsThatFailTheCheckAreUntouched(@ForAll("nonBsnDigits") String digits,
                                                     @ForAll("separatorRuns") List<String> runs, @ForAll("words") String before) {
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < digits.length(); i++) {
            written.append(i == 0 ? "" : runs.get((i - 1) % runs.size())).append(digits.charAt(i));
        }
        String text = before + " " + written;
        Redactor.Result r = Redactor.redact(text);
        if (r.redacted()) {
            // only possible when a window of nine of these digits passes the check on its own
            assertThat(anyNineDigitWindowIsABsn(digits)).as(text).isTrue();
        } else {
            assertThat(r.text()).isEqualTo(text);
        }
    }

    @Property
    void fourSeparatorsKeepNumbersApart(@ForAll("bsns") String bsn, @ForAll("wideGaps") String gap, @ForAll("words") String before) {
        String text = before + " " + bsn.substring(0, 4) + gap + bsn.substring(4);
        assertThat(Redactor.redact(text).text()).isEqualTo(text);
    }

    @Property
    void everyValidBsnInAnyTextIsRemoved(@ForAll("bsns") String bsn, @ForAll("separated") String sep,
                                         @ForAll("words") String before, @ForAll("words") String after) {
        String written = bsn.substring(0, 4) + sep + bsn.substring(4, 6) + sep + bsn.substring(6);
        Redactor.Result r = Redactor.redact(before + " " + written + " " + after);
        assertThat(r.text()).doesNotContain(written).doesNotContain(bsn).contains(Redactor.BSN_REPLACEMENT);
        assertThat(r.bsns()).isGreaterThanOrEqualTo(1);
        assertThat(r.text()).startsWith(before).endsWith(after);
    }

    @Property
    void everyValidIbanInAnyTextIsRemoved(@ForAll("ibans") Iban iban, @ForAll boolean printed,
                                          @ForAll("words") String before, @ForAll("words") String after) {
        String written = printed ? iban.toFormattedString() : iban.toString();
        Redactor.Result r = Redactor.redact(before + " " + written + " " + after);
        assertThat(r.text()).doesNotContain(written).contains(Redactor.IBAN_REPLACEMENT);
        assertThat(r.ibans()).isEqualTo(1);
        assertThat(r.text()).startsWith(before).endsWith(after);
    }

    @Property
    void aValidIbanWithAnySeparatorsBetweenItsGroupsIsRemoved(@ForAll("ibans") Iban iban, @ForAll("separatorRuns") List<String> runs,
                                                            @ForAll("words") String before, @ForAll("words") String after) {
        String compact = iban.toString();
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < compact.length(); i += 4) {
            written.append(compact, i, Math.min(compact.length(), i + 4));
            if (i + 4 < compact.length()) {
                written.append(runs.get(i / 4 % runs.size()));
            }
        }
        Redactor.Result r = Redactor.redact(before + " " + written + " " + after);
        assertThat(r.ibans()).as(written.toString()).isEqualTo(1);
        assertThat(r.text()).startsWith(before).endsWith(after).doesNotContain(compact.substring(4, 8));
    }

    @Property
    void digitStringsThatFailTheCheckAreUntouched(@ForAll("nonBsnDigits") String digits,
                                                 @ForAll("words") String before, @ForAll("words") String after) {
        // the words end in "x", and "a x" or "ax" before sixteen digits can be an IBAN of Åland (AX, the one
        // IBAN country whose code ends in X; its account number is all digits): that one is removed, rightly
        Assume.that(!IbanUtil.isValid("AX" + digits));
        String text = before + " " + digits + " " + after;
        assertThat(Redactor.redact(text).text()).isEqualTo(text);
    }

    @Property
    void ibansWithAWrongCheckAreUntouched(@ForAll("ibans") Iban iban, @ForAll("words") String before) {
        String s = iban.toString();
        String broken = s.substring(0, 2) + (s.charAt(2) == '9' ? "8" : "9") + s.substring(3);
        String text = before + " " + broken;
        assertThat(Redactor.redact(text).text()).isEqualTo(text);
    }

    @Provide
    Arbitrary<String> bsns() {
        return Arbitraries.integers().between(10_000_000, 99_999_999).map(eight -> {
            String first = String.valueOf(eight);
            int sum = 0;
            for (int i = 0; i < 8; i++) {
                sum += (9 - i) * (first.charAt(i) - '0');
            }
            int check = sum % 11;
            return check == 10 ? null : first + check;
        }).filter(b -> b != null && Redactor.isBsn(b));
    }

    /** Eight runs of zero to three separators of the kinds people type. */
    @Provide
    Arbitrary<List<String>> separatorRuns() {
        return Arbitraries.strings().withChars(' ', '\t', '\u00a0', '\u202f', '.', '-', '/', '_', '\u2013').ofMinLength(0).ofMaxLength(3)
                .list().ofSize(8);
    }

    @Provide
    Arbitrary<String> wideGaps() {
        return Arbitraries.strings().withChars(' ', '\t', '\u00a0', '.', '-', '/', '_').ofMinLength(4).ofMaxLength(8);
    }

    private static boolean anyNineDigitWindowIsABsn(String digits) {
        for (int i = 0; i + 9 <= digits.length(); i++) {
            if (Redactor.isBsn(digits.substring(i, i + 9))) {
                return true;
            }
        }
        return false;
    }

    @Provide
    Arbitrary<String> separated() {
        return Arbitraries.of("", " ", ".", "-");
    }

    @Provide
    Arbitrary<String> words() {
        return Arbitraries.strings().withChars("abcdefghijklmnopqrstuvwxyz ,!?").ofMinLength(1).ofMaxLength(40)
                .map(s -> "x" + s + "x");
    }

    @Provide
    Arbitrary<String> nonBsnDigits() {
        return Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(20)
                .filter(d -> d.length() != 9 || !Redactor.isBsn(d));
    }

    @Provide
    Arbitrary<Iban> ibans() {
        Arbitrary<Iban> dutch = Combinators.combine(Arbitraries.strings().withCharRange('A', 'Z').ofLength(4),
                        Arbitraries.strings().numeric().ofLength(10))
                .as((bank, account) -> new Iban.Builder().countryCode(CountryCode.NL).bankCode(bank).accountNumber(account).build());
        Arbitrary<Iban> german = Combinators.combine(Arbitraries.strings().numeric().ofLength(8),
                        Arbitraries.strings().numeric().ofLength(10))
                .as((bank, account) -> new Iban.Builder().countryCode(CountryCode.DE).bankCode(bank).accountNumber(account).build());
        return Arbitraries.oneOf(dutch, german);
    }
}
