package nl.loket.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * bcrypt hashing. Deliberately slow (tens of milliseconds of CPU), so the {@code Uni} forms run
 * it on a worker thread, never on the event loop.
 */
public final class Passwords {

    private static final int COST = 10;
    /** Compared against when the user does not exist, so both paths take as long. */
    private static final String DUMMY = hash("not-a-real-password");

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String hash) {
        return BCrypt.verifyer().verify(password.toCharArray(), hash == null ? DUMMY : hash).verified;
    }

    public static Uni<String> hashOffLoop(String password) {
        return Uni.createFrom().item(() -> hash(password)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    public static Uni<Boolean> matchesOffLoop(String password, String hash) {
        return Uni.createFrom().item(() -> matches(password, hash)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
