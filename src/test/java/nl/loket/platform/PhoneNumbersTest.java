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
}
