package nl.loket.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PasswordsTest {

    @Test
    void aPassphraseLongerThanBcryptsSeventyTwoBytesIsHashedWhole() {
        String passphrase = "één-twee-drie-vier-vijf-zes-zeven-acht-négen-tien-elf-twaalf-dertien-veertien"; // over 72 bytes
        assertThat(passphrase.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(72);
        String hash = Passwords.hash(passphrase); // threw (a 500 at login, creation and change) before
        assertThat(Passwords.matches(passphrase, hash)).isTrue();
        // not cut off at 72 bytes: the same start with another end does not match
        assertThat(Passwords.matches(passphrase.substring(0, 70) + "-anders-dan-eerst-en-ook-veel-langer", hash)).isFalse();
        assertThat(Passwords.matches("x".repeat(200), hash)).isFalse();
        assertThat(Passwords.matches("x".repeat(200), null)).isFalse(); // an unknown user with a long one: no exception
    }

    @Test
    void aShortPasswordHashesAsBeforeSoStoredHashesStillMatch() {
        String stored = BCrypt.withDefaults().hashToString(4, "geheim-wachtwoord".toCharArray()); // as hashed until now
        assertThat(Passwords.matches("geheim-wachtwoord", stored)).isTrue();
        assertThat(Passwords.matches("geheim-wachtwoorD", stored)).isFalse();
        assertThat(BCrypt.verifyer().verify("geheim-wachtwoord".toCharArray(), Passwords.hash("geheim-wachtwoord")).verified).isTrue();
    }
}
