package nl.loket.platform;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.Config;

import java.util.List;
import java.util.Optional;

/**
 * How Loket's own connections reach PostgreSQL (the chat pool, {@link Db}; the LISTEN connection,
 * {@link ClusterListener}): as the shared pool does, from the same {@code quarkus.datasource.*}
 * keys Quarkus reads for it. The account, the statements kept prepared, the additional connection
 * properties (JIT off) and TLS: {@code postgresql.ssl-mode}, {@code trust-all},
 * {@code hostname-verification-algorithm}, the trust stores ({@code trust-certificate-pem/-jks/-pfx})
 * and client certificates ({@code key-certificate-pem/-jks/-pfx}). LOKET_DB_URL's sslmode and
 * sslrootcert arrive as these keys (nl.loket.db.DatabaseConfigSource); an operator may also set
 * them directly. Before, these connections took only the URL and the account, and ran without TLS
 * while the shared pool used it.
 */
@ApplicationScoped
public class PgOptions {

    static final String DATASOURCE = "quarkus.datasource.";
    static final String REACTIVE = DATASOURCE + "reactive.";

    private final Config config;

    public PgOptions(Config config) {
        this.config = config;
    }

    /**
     * A new set of options, its client metrics as {@code postgresql_*{clientName=name}} ("prefix|name",
     * as Quarkus's binder reads it).
     */
    public PgConnectOptions connectOptions(String name) {
        return from(config, name);
    }

    static PgConnectOptions from(Config config, String name) {
        // Quarkus takes a list of URLs; Loket gives one
        String url = config.getValues(REACTIVE + "url", String.class).get(0);
        PgConnectOptions options = PgConnectOptions.fromUri(url.replaceFirst("^vertx-reactive:", ""));
        string(config, DATASOURCE + "username").ifPresent(options::setUser);
        string(config, DATASOURCE + "password").ifPresent(options::setPassword);
        options.setCachePreparedStatements(flag(config, REACTIVE + "cache-prepared-statements"));
        string(config, REACTIVE + "postgresql.ssl-mode").map(PgOptions::sslMode).ifPresent(options::setSslMode);
        String algorithm = string(config, REACTIVE + "hostname-verification-algorithm").orElse("NONE");
        if ("NONE".equalsIgnoreCase(algorithm) && options.getSslMode() == SslMode.VERIFY_FULL) {
            // as Quarkus refuses it for the shared pool: verify-full without a host name check is verify-ca
            throw new IllegalArgumentException(REACTIVE + "hostname-verification-algorithm must be set (HTTPS) under verify-full");
        }
        options.setHostnameVerificationAlgorithm("NONE".equalsIgnoreCase(algorithm) ? "" : algorithm);
        options.setTrustAll(flag(config, REACTIVE + "trust-all"));

        List<String> trustPem = strings(config, REACTIVE + "trust-certificate-pem.certs");
        if (flag(config, REACTIVE + "trust-certificate-pem") || !trustPem.isEmpty()) {
            PemTrustOptions pem = new PemTrustOptions();
            trustPem.forEach(pem::addCertPath);
            options.setTrustOptions(pem);
        }
        if (flag(config, REACTIVE + "trust-certificate-jks")) {
            options.setTrustOptions(store(config, "trust-certificate-jks", new JksOptions()));
        }
        if (flag(config, REACTIVE + "trust-certificate-pfx")) {
            options.setTrustOptions(store(config, "trust-certificate-pfx", new PfxOptions()));
        }
        List<String> keys = strings(config, REACTIVE + "key-certificate-pem.keys");
        List<String> certs = strings(config, REACTIVE + "key-certificate-pem.certs");
        if (flag(config, REACTIVE + "key-certificate-pem") || !keys.isEmpty() || !certs.isEmpty()) {
            PemKeyCertOptions pem = new PemKeyCertOptions();
            keys.forEach(pem::addKeyPath);
            certs.forEach(pem::addCertPath);
            options.setKeyCertOptions(pem);
        }
        if (flag(config, REACTIVE + "key-certificate-jks")) {
            options.setKeyCertOptions(store(config, "key-certificate-jks", new JksOptions()));
        }
        if (flag(config, REACTIVE + "key-certificate-pfx")) {
            options.setKeyCertOptions(store(config, "key-certificate-pfx", new PfxOptions()));
        }

        // every additional-properties.* the shared pool sends (jit=off, and whatever an operator adds)
        String prefix = REACTIVE + "additional-properties.";
        for (String property : config.getPropertyNames()) {
            if (property.startsWith(prefix)) {
                string(config, property).ifPresent(value -> options.addProperty(property.substring(prefix.length()), value));
            }
        }
        options.setMetricsName("postgresql|" + name);
        return options;
    }

    /** "verify-full" as libpq writes it, or "VERIFY_FULL" as the enum is named: Quarkus takes both. */
    static SslMode sslMode(String value) {
        for (SslMode mode : SslMode.values()) {
            if (mode.value.equalsIgnoreCase(value) || mode.name().equalsIgnoreCase(value)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(REACTIVE + "postgresql.ssl-mode: unknown mode " + value);
    }

    private static JksOptions store(Config config, String key, JksOptions store) {
        string(config, REACTIVE + key + ".path").ifPresent(store::setPath);
        string(config, REACTIVE + key + ".password").ifPresent(store::setPassword);
        return store;
    }

    private static PfxOptions store(Config config, String key, PfxOptions store) {
        string(config, REACTIVE + key + ".path").ifPresent(store::setPath);
        string(config, REACTIVE + key + ".password").ifPresent(store::setPassword);
        return store;
    }

    private static Optional<String> string(Config config, String key) {
        return config.getOptionalValue(key, String.class).filter(v -> !v.isBlank());
    }

    private static boolean flag(Config config, String key) {
        return config.getOptionalValue(key, Boolean.class).orElse(false);
    }

    private static List<String> strings(Config config, String key) {
        return config.getOptionalValues(key, String.class).orElse(List.of());
    }
}
