package nl.loket.db;

import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Properties;

/**
 * A random secret every node shares: made by the first node that starts and kept in the
 * database beside the signing key (schema {@code loket_keys}). Each secret is its own, whether
 * the token keys are generated or come from files: {@value #FEED_CURSOR} signs change-feed
 * cursors, {@value #RESIDENT_TOKENS} signs and verifies resident tokens (HMAC).
 */
final class StoredSecret {

    static final String FEED_CURSOR = "feed-cursor";
    static final String RESIDENT_TOKENS = "resident-tokens";

    private StoredSecret() {
    }

    /** The secret stored under {@code name}, made now (32 random bytes, Base64) when there is none yet. */
    static String loadOrCreate(DatabaseConfigSource.Connection db, String name) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try (var conn = DriverManager.getConnection(db.jdbcUrl(), props)) {
            KeysSchema.ensure(conn);
            try (var insert = conn.prepareStatement(
                    "insert into loket_keys.secret (name, value) values (?, ?) on conflict (name) do nothing")) {
                insert.setString(1, name);
                insert.setString(2, Base64.getEncoder().encodeToString(random));
                insert.executeUpdate();
            }
            // another node may have been first: the stored secret is the one everybody uses
            try (var read = conn.prepareStatement("select value from loket_keys.secret where name = ?")) {
                read.setString(1, name);
                try (var rs = read.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or create the secret '" + name + "' in " + db.jdbcUrl()
                    + " as user " + db.user() + ": " + DatabaseConfigSource.why(e), e);
        }
    }
}
