package nl.loket.platform;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource({
            "06 12345678, +31612345678",
            "0612345678, +31612345678",
            "06-12 34 56 78, +31612345678",
            "+31 6 12345678, +31612345678",
            "0031612345678, +31612345678",
            "020 123 4567, +31201234567",
            "010-1234567, +31101234567",
            "+31 (0)20 1234567, +31201234567",
            "+32 2 555 12 12, +3225551212",
            "+44 20 7946 0018, +442079460018",
            "0800 1234, +318001234",
    })
    void dutchAndInternationalNumbersBecomeE164(String input, String e164) {
        assertThat(PhoneNumbers.normalise(input, "phone")).isEqualTo(e164);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "12345", "06 1234", "0612345678901", "+31 6", "bel me", "+999 123456789"})
    void anythingElseIsAFieldError(String input) {
        assertThatThrownBy(() -> PhoneNumbers.normalise(input, "phone"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement()
                        .satisfies(f -> assertThat(f.field()).isEqualTo("phone")));
    }

    /**
     * Numbers a callback must not be made to: every minute to a 0900/0906/0909 number costs the
     * municipality money (the public callback form needs no login), 084/087 and 14 0xx are
     * service numbers (14 020 is a municipality itself), a pager or voicemail cannot talk.
     * Ordinary home VoIP (085, 091), free 0800 numbers and companies' 088 lines are fine.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0906 1234567 | betaalnummers",
            "0900-1234567 | betaalnummers",
            "0909 1234567 | betaalnummers",
            "+44 871 234 5678 | betaalnummers",
            "+44 70 1234 5678 | betaalnummers",
            "087 1234567 | servicenummers",
            "14020 | servicenummers",
            "066 1234567 | voicemail",
    })
    void numbersNotToCallBackAreRefusedWithAReason(String input, String saying) {
        assertThatThrownBy(() -> PhoneNumbers.normalise(input, "phone"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement().satisfies(f -> {
                    assertThat(f.field()).isEqualTo("phone");
                    assertThat(f.message()).contains(saying).contains(" / ");
                }));
    }

    @ParameterizedTest
    @CsvSource({"085 1234567, +31851234567", "091 1234567, +31911234567", "0800 1234567, +318001234567",
            "088 1234567, +31881234567"})
    void voipFreeAndCompanyNumbersAreCalled(String input, String e164) {
        assertThat(PhoneNumbers.normalise(input, "phone")).isEqualTo(e164);
    }

    /** A typo with letters was read as a telephone keypad ("5ABC" became 5222): the agent called a stranger. */
    @ParameterizedTest
    @ValueSource(strings = {"06 1234 5ABC", "06-CALLME12", "+31 6 12345678 ext. 12"})
    void lettersAreRefusedNotDialled(String input) {
        assertThatThrownBy(() -> PhoneNumbers.normalise(input, "phone"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement()
                        .satisfies(f -> assertThat(f.message()).contains("letters")));
    }

    /**
     * The widget shows the half of a field error in the resident's language beside the field. On a
     * phone at 200 % zoom with the keyboard up some 15 characters fit a line, and only about two
     * lines and the field fit below the panel's header: a longer reason filled the screen above the
     * field and pushed the field out of view. Each reason is one short sentence per language
     * (e2e/callback-form.test.mjs sees a number that is no number's reason whole with the field).
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "06 1234 5ABC", "12345", "+31 6 1234", "0900 1234567", "087 1234567", "066 1234567"})
    void everyReasonIsOneShortSentencePerLanguage(String input) {
        assertThatThrownBy(() -> PhoneNumbers.normalise(input, "phone"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement().satisfies(f -> {
                    String[] halves = f.message().split(" / ");
                    assertThat(halves).as(f.message()).hasSize(2);
                    for (String half : halves) {
                        assertThat(half).as(half).hasSizeLessThanOrEqualTo(40).endsWith(".");
                        assertThat(half.substring(0, half.length() - 1)).as("one sentence: " + half).doesNotContain(". ");
                    }
                }));
    }

    /** A number that is no number at all: the widget's hint beside the field shows what a right one looks like. */
    @ParameterizedTest
    @ValueSource(strings = {"12345", "+31 6 1234", "06 123456789"})
    void anInvalidNumberIsAnsweredInAFewWords(String input) {
        assertThatThrownBy(() -> PhoneNumbers.normalise(input, "phone"))
                .isInstanceOf(ValidationException.class)
                .satisfies(e -> assertThat(((ValidationException) e).errors()).singleElement()
                        .satisfies(f -> assertThat(f.message()).isEqualTo("Vul een geldig nummer in. / Enter a valid number.")));
    }

    /** Looking a stored number up (to forget it) finds numbers of any kind, also those stored before these checks. */
    @ParameterizedTest
    @CsvSource({"0906 1234567, +319061234567", "06 12345678, +31612345678"})
    void aLookupTakesAnyValidNumber(String input, String e164) {
        assertThat(PhoneNumbers.lookup(input, "phone")).isEqualTo(e164);
    }
}
