package nl.loket.db;

import org.eclipse.microprofile.config.spi.ConfigSource;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
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
    /** TLS of the reactive pools, as Quarkus reads it for the shared pool and {@code PgOptions} for Loket's own. */
    static final String SSL_MODE = "quarkus.datasource.reactive.postgresql.ssl-mode";
    static final String HOSTNAME_VERIFICATION = "quarkus.datasource.reactive.hostname-verification-algorithm";
    static final String TRUST_ALL = "quarkus.datasource.reactive.trust-all";
    static final String TRUST_PEM = "quarkus.datasource.reactive.trust-certificate-pem";
    static final String TRUST_PEM_CERTS = "quarkus.datasource.reactive.trust-certificate-pem.certs";
    static final String TRUST_JKS = "quarkus.datasource.reactive.trust-certificate-jks";
    static final String TRUST_JKS_PATH = "quarkus.datasource.reactive.trust-certificate-jks.path";
    static final String TRUST_JKS_PASSWORD = "quarkus.datasource.reactive.trust-certificate-jks.password";
    static final List<String> TLS_KEYS = List.of(SSL_MODE, HOSTNAME_VERIFICATION, TRUST_ALL, TRUST_PEM, TRUST_PEM_CERTS,
            TRUST_JKS, TRUST_JKS_PATH, TRUST_JKS_PASSWORD);

    private final DatabaseSettings settings;
    private volatile Map<String, String> values;
    /** Why computing the values failed: given again to every later question, without connecting again. */
    private volatile RuntimeException failure;

    DatabaseConfigSource(DatabaseSettings settings) {
        this.settings = settings;
    }

    @Override
    public Set<String> getPropertyNames() {
        Set<String> names = new HashSet<>(Set.of(REACTIVE_URL, JDBC_URL, USERNAME, PASSWORD, CURSOR_SECRET, RESIDENT_TOKEN_SECRET));
        if (settings.generateKeys()) {
            names.addAll(Set.of(VERIFY_KEY, SIGN_KEY));
        }
        if (settings.url() != null) {
            names.addAll(TLS_KEYS);
        }
        return Set.copyOf(names);
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
                if (failure != null) {
                    // Quarkus asks for each of these settings; against a host that does not answer,
                    // trying again for each would cost the connection timeout every time
                    throw failure;
                }
                if (values == null) {
                    try {
                        values = compute();
                    } catch (RuntimeException e) {
                        failure = e;
                        throw e;
                    }
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
        var map = new java.util.HashMap<String, String>(connection.properties());
        map.put(CURSOR_SECRET, StoredSecret.loadOrCreate(connection, StoredSecret.FEED_CURSOR));
        map.put(RESIDENT_TOKEN_SECRET, StoredSecret.loadOrCreate(connection, StoredSecret.RESIDENT_TOKENS));
        if (settings.generateKeys()) {
            SigningKeys keys = SigningKeys.loadOrCreate(connection);
            map.put(VERIFY_KEY, keys.publicPem());
            map.put(SIGN_KEY, keys.privatePem());
        }
        return Map.copyOf(map);
    }

    /**
     * TLS towards the database, libpq's words as LOKET_DB_URL gives them.
     *
     * @param sslMode  disable, allow, prefer, require, verify-ca or verify-full; null: none given
     *                 (the drivers' default: no TLS)
     * @param rootCert for verify-ca and verify-full: a PEM file with the CA certificate(s), or
     *                 {@code system} for the JVM's trust store
     */
    record Tls(String sslMode, String rootCert) {

        static final Tls NONE = new Tls(null, null);
        static final Set<String> MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
        static final String SYSTEM = "system";

        boolean verifies() {
            return "verify-ca".equals(sslMode) || "verify-full".equals(sslMode);
        }

        /** The JVM's trust store, as pgjdbc's DefaultJavaSSLFactory uses it. */
        static String systemTrustStore() {
            return System.getProperty("javax.net.ssl.trustStore",
                    java.nio.file.Path.of(System.getProperty("java.home"), "lib", "security", "cacerts").toString());
        }
    }

    /**
     * What a failed connection or statement says, for a start that stops on it: Quarkus prints
     * only the message of what a config source throws, not its causes. pgjdbc's messages name the
     * host, the database or the user, never the password.
     */
    static String why(java.sql.SQLException e) {
        return e.getMessage() + (e.getSQLState() == null ? "" : " (SQLSTATE " + e.getSQLState() + ")");
    }

    /** How to reach the database, in both URL forms. */
    record Connection(String host, int port, String database, String user, String password, Tls tls) {

        Connection(String host, int port, String database, String user, String password) {
            this(host, port, database, user, password, Tls.NONE);
        }

        /**
         * LOKET_DB_URL with LOKET_DB_USER and LOKET_DB_PASSWORD. The URL may name the user and
         * password ({@code postgresql://user:password@host:port/db}, percent-encoded); the variables,
         * when set, win over them. Its query may give {@code sslmode} and {@code sslrootcert}; any
         * other parameter is refused rather than silently dropped.
         */
        static Connection of(String url, String user, String password) {
            String normalized = url.startsWith("jdbc:") ? url.substring(5) : url;
            URI uri;
            try {
                uri = URI.create(normalized.replaceFirst("^postgres:", "postgresql:"));
            } catch (IllegalArgumentException e) {
                throw invalid("it is not a URL");
            }
            if (!"postgresql".equals(uri.getScheme()) || uri.getHost() == null) {
                throw invalid("it must look like postgresql://[user[:password]@]host[:port]/database[?sslmode=…]");
            }
            String database = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
            String urlUser = null;
            String urlPassword = null;
            if (uri.getRawUserInfo() != null) {
                String info = uri.getRawUserInfo();
                int colon = info.indexOf(':');
                urlUser = decode(colon < 0 ? info : info.substring(0, colon));
                urlPassword = colon < 0 ? null : decode(info.substring(colon + 1));
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
                for (String pair : uri.getRawQuery().split("&")) {
                    int eq = pair.indexOf('=');
                    String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                    if (!name.equals("sslmode") && !name.equals("sslrootcert")) {
                        // only the name: a value could be a secret
                        throw invalid("its parameter '" + name + "' is not supported (supported: sslmode, sslrootcert)");
                    }
                    params.put(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
            String sslMode = params.get("sslmode");
            if (sslMode != null && !Tls.MODES.contains(sslMode)) {
                throw invalid("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full");
            }
            String rootCert = params.get("sslrootcert");
            if (rootCert != null && rootCert.isBlank()) {
                rootCert = null;
            }
            Tls tls = sslMode == null && rootCert == null ? Tls.NONE : new Tls(sslMode, rootCert);
            if (rootCert != null && !tls.verifies()) {
                throw invalid("sslrootcert needs sslmode=verify-full (or verify-ca); without it the server's certificate is not checked");
            }
            if (tls.verifies() && rootCert == null) {
                throw invalid("sslmode=" + sslMode + " needs sslrootcert: the path of the CA certificate (PEM), or sslrootcert=system "
                        + "for the JVM's trust store");
            }
            return new Connection(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), database,
                    user != null ? user : urlUser != null ? urlUser : "postgres",
                    password != null ? password : urlPassword, tls);
        }

        private static IllegalArgumentException invalid(String why) {
            // the URL itself is not repeated: it may hold a password
            return new IllegalArgumentException("LOKET_DB_URL cannot be used: " + why);
        }

        /** Percent-decoding as in URIs ("+" stays "+"). */
        private static String decode(String s) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '%') {
                    try {
                        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    } catch (IndexOutOfBoundsException | NumberFormatException e) {
                        throw invalid("a '%' in it is not followed by two hexadecimal digits");
                    }
                    i += 2;
                } else {
                    out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                }
            }
            return out.toString(StandardCharsets.UTF_8);
        }

        /** The reactive pools' URL; credentials and trust settings travel as properties ({@link #properties}). */
        String reactiveUrl() {
            return "postgresql://" + host + ":" + port + "/" + database + (tls.sslMode() == null ? "" : "?sslmode=" + tls.sslMode());
        }

        /**
         * Flyway's (and the secrets' start-up read's) URL: pgjdbc takes the TLS settings from it.
         * {@code sslrootcert=system} is pgjdbc's DefaultJavaSSLFactory: the JVM's trust store, as the
         * reactive pools get it; pgjdbc checks the host name itself under verify-full.
         */
        String jdbcUrl() {
            StringBuilder url = new StringBuilder("jdbc:postgresql://" + host + ":" + port + "/" + database);
            char sep = '?';
            if (tls.sslMode() != null) {
                url.append(sep).append("sslmode=").append(tls.sslMode());
                sep = '&';
            }
            if (Tls.SYSTEM.equals(tls.rootCert())) {
                url.append(sep).append("sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
            } else if (tls.rootCert() != null) {
                url.append(sep).append("sslrootcert=").append(URLEncoder.encode(tls.rootCert(), StandardCharsets.UTF_8));
            }
            return url.toString();
        }

        /**
         * The datasource properties: both URLs, the account, and the reactive pools' TLS settings
         * (the keys Quarkus reads for the shared pool, and {@code platform.PgOptions} for the chat
         * pool and the LISTEN connection), matching what pgjdbc does with the same sslmode:
         * allow, prefer and require encrypt without checking the certificate (trust-all);
         * verify-ca checks it against sslrootcert; verify-full also checks the host name.
         */
        Map<String, String> properties() {
            Map<String, String> map = new LinkedHashMap<>();
            map.put(REACTIVE_URL, reactiveUrl());
            map.put(JDBC_URL, jdbcUrl());
            map.put(USERNAME, user);
            if (password != null) {
                map.put(PASSWORD, password);
            }
            String mode = tls.sslMode();
            if (mode != null) {
                map.put(SSL_MODE, mode);
                map.put(HOSTNAME_VERIFICATION, "verify-full".equals(mode) ? "HTTPS" : "NONE");
                map.put(TRUST_ALL, Boolean.toString(Set.of("allow", "prefer", "require").contains(mode)));
            }
            if (tls.verifies()) {
                if (Tls.SYSTEM.equals(tls.rootCert())) {
                    map.put(TRUST_JKS, "true");
                    map.put(TRUST_JKS_PATH, Tls.systemTrustStore());
                    map.put(TRUST_JKS_PASSWORD, System.getProperty("javax.net.ssl.trustStorePassword", "changeit"));
                } else {
                    map.put(TRUST_PEM, "true");
                    map.put(TRUST_PEM_CERTS, tls.rootCert());
                }
            }
            return map;
        }
    }
}
