package nl.loket.db;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The datasource, signing-key, feed-cursor-secret and resident-token-secret properties, computed
 * on first use. Starting the database lazily keeps the build (which also instantiates config
 * sources) from starting one.
 */
final class DatabaseConfigSource implements ConfigSource {

    static final String REACTIVE_URL = "quarkus.datasource.reactive.url";
    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    static final String VERIFY_KEY = "mp.jwt.verify.publickey";
    static final String SIGN_KEY = "smallrye.jwt.sign.key";
    static final String CURSOR_SECRET = "loket.feed.cursor-secret";
    static final String RESIDENT_TOKEN_SECRET = "loket.tokens.resident-secret";

    private final DatabaseSettings settings;
    private volatile Map<String, String> values;

    DatabaseConfigSource(DatabaseSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> getPropertyNames() {
        return settings.generateKeys()
                ? Set.of(REACTIVE_URL, JDBC_URL, USERNAME, PASSWORD, CURSOR_SECRET, RESIDENT_TOKEN_SECRET, VERIFY_KEY, SIGN_KEY)
                : Set.of(REACTIVE_URL, JDBC_URL, USERNAME, PASSWORD, CURSOR_SECRET, RESIDENT_TOKEN_SECRET);
    }

    @Override
    public String getValue(String propertyName) {
        Map<String, String> known = values;
        if (known != null) {
            // computed, so this is a running application: no stack walk. Token signing asks for the
            // signing key on every signature, and walking the stack each time cost about 5 % of the
            // server's CPU in the surge benchmark (README, Performance).
            return known.get(propertyName);
        }
        if (!getPropertyNames().contains(propertyName) || BuildDetector.isBuilding()) {
            return null;
        }
        return values().get(propertyName);
    }

    @Override
    public String getName() {
        return "loket-database";
    }

    @Override
    public int getOrdinal() {
        // below application.properties (250), so an explicit quarkus.datasource.* still wins
        return 200;
    }

    private Map<String, String> values() {
        Map<String, String> v = values;
        if (v == null) {
            synchronized (this) {
                if (values == null) {
                    values = compute();
                }
                v = values;
            }
        }
        return v;
    }

    private Map<String, String> compute() {
        Connection connection = settings.url() != null
                ? Connection.of(settings.url(), settings.user(), settings.password())
                : EmbeddedDatabase.start(settings.dataDir(), settings.throwaway());
        var map = new java.util.HashMap<String, String>();
        map.put(REACTIVE_URL, connection.reactiveUrl());
        map.put(JDBC_URL, connection.jdbcUrl());
        map.put(USERNAME, connection.user());
        if (connection.password() != null) {
            map.put(PASSWORD, connection.password());
        }
        map.put(CURSOR_SECRET, StoredSecret.loadOrCreate(connection, StoredSecret.FEED_CURSOR));
        map.put(RESIDENT_TOKEN_SECRET, StoredSecret.loadOrCreate(connection, StoredSecret.RESIDENT_TOKENS));
        if (settings.generateKeys()) {
            SigningKeys keys = SigningKeys.loadOrCreate(connection);
            map.put(VERIFY_KEY, keys.publicPem());
            map.put(SIGN_KEY, keys.privatePem());
        }
        return Map.copyOf(map);
    }

    /** How to reach the database, in both URL forms. */
    record Connection(String host, int port, String database, String user, String password) {

        static Connection of(String url, String user, String password) {
            String normalized = url.startsWith("jdbc:") ? url.substring(5) : url;
            URI uri = URI.create(normalized.replaceFirst("^postgres:", "postgresql:"));
            if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("LOKET_DB_URL must look like postgresql://host:port/database");
            }
            String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
            return new Connection(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database,
                    user == null ? "postgres" : user, password);
        }

        String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database;
        }

        String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }
}
