package nl.loket.db;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The schema {@code loket_keys} and its tables, made by the first node that starts. PostgreSQL's
 * {@code create ... if not exists} is not safe against itself: of two nodes of a new installation
 * that start at the same moment, the second create fails on the catalogue's unique index and that
 * node does not start. A transaction-level advisory lock makes the creates one after the other;
 * once the tables exist, every later start passes through the lock at once.
 */
final class KeysSchema {

    private KeysSchema() {
    }

    static void ensure(Connection conn) throws SQLException {
        boolean autoCommit = conn.getAutoCommit();
        conn.setAutoCommit(false);
        try (var st = conn.createStatement()) {
            st.execute("select pg_advisory_xact_lock(hashtextextended('loket-keys-schema', 0))");
            st.execute("create schema if not exists loket_keys");
            st.execute("create table if not exists loket_keys.signing_key (id int primary key, "
                    + "public_pem text not null, private_pem text not null, created_at timestamptz not null default now())");
            st.execute("create table if not exists loket_keys.secret (name text primary key, value text not null, "
                    + "created_at timestamptz not null default now())");
            conn.commit();
        } catch (SQLException e) {
            conn.rollback();
            throw e;
        } finally {
            conn.setAutoCommit(autoCommit);
        }
    }
}
