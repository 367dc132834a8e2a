package nl.loket.db;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.List;
import java.util.OptionalInt;

/**
 * Supplies the datasource URLs and the JWT key pair before Quarkus reads its configuration.
 *
 * <p>With {@code LOKET_DB_URL} set, the URL is translated into the JDBC (Flyway) and reactive
 * forms. Without it an embedded PostgreSQL is started: a throwaway one in dev mode and tests,
 * one that keeps its files in {@code LOKET_DATA_DIR} otherwise. Quarkus also runs config
 * source factories during the build; nothing is started then, because the values are only
 * computed when a running application first asks for them.
 */
public class DatabaseConfigSourceFactory implements ConfigSourceFactory {

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        String url = valueOf(context, "LOKET_DB_URL");
        String user = valueOf(context, "LOKET_DB_USER");
        String password = valueOf(context, "LOKET_DB_PASSWORD");
        String dataDir = valueOf(context, "LOKET_DATA_DIR");
        boolean throwaway = context.getProfiles().contains("dev") || context.getProfiles().contains("test");
        boolean keysConfigured = valueOf(context, "mp.jwt.verify.publickey.location") != null;
        return List.of(new DatabaseConfigSource(new DatabaseSettings(url, user, password,
                dataDir == null ? "loket-data" : dataDir, throwaway, !keysConfigured)));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(100);
    }

    private static String valueOf(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        // "${LOKET_DB_URL:}" and an exported-but-empty variable both arrive as ""
        return value == null || value.getValue() == null || value.getValue().isBlank() ? null : value.getValue().trim();
    }
}
