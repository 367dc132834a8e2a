package nl.loket.db;

import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Properties;

/**
 * The key that signs change-feed cursors: random, made by the first node that starts and kept
 * in the database beside the signing key (schema {@code loket_keys}), so every node shares it.
 * It is its own secret, whether the token keys are generated or come from files.
 */
final class FeedCursorSecret {

    private FeedCursorSecret() {
    }

    static String loadOrCreate(DatabaseConfigSource.Connection db) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        try (var conn = DriverManager.getConnection(db.jdbcUrl(), props); var st = conn.createStatement()) {
            st.execute("create schema if not exists loket_keys");
            st.execute("create table if not exists loket_keys.secret (name text primary key, value text not null, "
                    + "created_at timestamptz not null default now())");
            try (var insert = conn.prepareStatement(
                    "insert into loket_keys.secret (name, value) values ('feed-cursor', ?) on conflict (name) do nothing")) {
                insert.setString(1, Base64.getEncoder().encodeToString(random));
                insert.executeUpdate();
            }
            // another node may have been first: the stored secret is the one everybody uses
            try (var rs = st.executeQuery("select value from loket_keys.secret where name = 'feed-cursor'")) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or create the feed cursor secret in " + db.jdbcUrl(), e);
        }
    }
}
