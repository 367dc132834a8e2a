package nl.loket.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * bcrypt hashing. Deliberately slow (tens of milliseconds of CPU), so the {@code Uni} forms run
 * it on a worker thread, never on the event loop.
 */
public final class Passwords {

    private static final int COST = 10;
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2A;
    /**
     * bcrypt reads at most 72 bytes; a longer passphrase (up to 200 characters are allowed, and 40
     * accented ones are already 80 bytes) is hashed with SHA-512 first, as the library offers, rather
     * than refused with an exception (a 500) or cut off. Shorter ones hash as before.
     */
    private static final LongPasswordStrategy LONG = LongPasswordStrategies.hashSha512(VERSION);
    /** Compared against when the user does not exist, so both paths take as long. */
    private static final String DUMMY = hash("not-a-real-password");

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.with(VERSION, LONG).hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String hash) {
        return BCrypt.verifyer(VERSION, LONG).verify(password.toCharArray(), hash == null ? DUMMY : hash).verified;
    }

    public static Uni<String> hashOffLoop(String password) {
        return Uni.createFrom().item(() -> hash(password)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public static Uni<Boolean> matchesOffLoop(String password, String hash) {
        return Uni.createFrom().item(() -> matches(password, hash)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
