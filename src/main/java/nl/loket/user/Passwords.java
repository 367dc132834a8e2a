package nl.loket.user;

import at.favre.lib.crypto.bcrypt.BCrypt;

/** bcrypt hashing. Deliberately slow: call it from a worker thread, never the event loop. */
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
}
