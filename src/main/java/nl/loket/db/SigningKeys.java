package nl.loket.db;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Properties;

/**
 * The built-in issuer's RSA key pair, kept in the database so that every node signs and
 * verifies with the same key and tokens survive restarts. It lives in its own schema because
 * it is read before Flyway runs (Flyway wants the application schema to itself).
 */
record SigningKeys(String publicPem, String privatePem) {

    static SigningKeys loadOrCreate(DatabaseConfigSource.Connection db) {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (db.password() != null) {
            props.setProperty("password", db.password());
        }
        try (var conn = DriverManager.getConnection(db.jdbcUrl(), props); var st = conn.createStatement()) {
            KeysSchema.ensure(conn);
            SigningKeys existing = read(st);
            if (existing != null) {
                return existing;
            }
            SigningKeys generated = generate();
            try (var insert = conn.prepareStatement(
                    "insert into loket_keys.signing_key (id, public_pem, private_pem) values (1, ?, ?) on conflict (id) do nothing")) {
                insert.setString(1, generated.publicPem());
                insert.setString(2, generated.privatePem());
                insert.executeUpdate();
            }
            // another node may have won the race: the stored pair is the one everybody uses
            return read(st);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read or create the signing key in " + db.jdbcUrl()
                    + " as user " + db.user() + ": " + DatabaseConfigSource.why(e), e);
        }
    }

    private static SigningKeys read(java.sql.Statement st) throws SQLException {
        try (var rs = st.executeQuery("select public_pem, private_pem from loket_keys.signing_key where id = 1")) {
            return rs.next() ? new SigningKeys(rs.getString(1), rs.getString(2)) : null;
        }
    }

    private static SigningKeys generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            return new SigningKeys(pem("PUBLIC KEY", pair.getPublic().getEncoded()),
                    pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
