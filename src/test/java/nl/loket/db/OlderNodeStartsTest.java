package nl.loket.db;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.pattern.ValidatePattern;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a rolling upgrade a node of the version before starts (a restart, a crash) against a
 * database the new version has migrated already. Its Flyway knows the migrations up to its own
 * newest; the newer ones applied are "future" to it. Quarkus (3.33) sets
 * {@code quarkus.flyway.ignore-future-migrations} to false, unlike Flyway's own default, so such
 * a node failed validation ("applied migration not resolved locally") and did not start; the
 * versions up to V48 do so. From this version on, application.properties ignores future
 * migrations: a node of this version validates the migrations it knows and starts on a database
 * migrated further (shown here with the migrations up to V45, V46, V47 and V48 against this database),
 * and without that setting it refuses (the last assertion). docs/operations.md, "Upgrading", says
 * what such a node does once it runs.
 */
@QuarkusTest
class OlderNodeStartsTest {

    private static final Path MIGRATIONS = Path.of("src/main/resources/db/migration");
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    @Inject
    Flyway flyway;

    @ParameterizedTest
    @ValueSource(ints = {45, 46, 47, 48})
    void aNodeOfAnOlderVersionValidatesAndStartsOnTheMigratedDatabase(int newest) throws IOException {
        Path dir = Files.createTempDirectory("loket-migrations-V" + newest + "-");
        assertThat(copyMigrationsUpTo(newest, dir)).as("the older version's newest migration").isEqualTo(newest);
        assertThat(Arrays.stream(flyway.getConfiguration().getIgnoreMigrationPatterns())
                .anyMatch(p -> p.matchesMigration(true, MigrationState.FUTURE_SUCCESS)))
                .as("this version's Flyway ignores applied migrations newer than its own").isTrue();
        assertThat(flyway.info().current().getVersion().getVersion()).as("the database's version")
                .isEqualTo(String.valueOf(newestOfThisVersion()));
        assertThat(newestOfThisVersion()).isGreaterThan(newest);

        Flyway old = olderFlyway(dir).load();
        assertThat(old.validateWithResult().validationSuccessful).as("the older node's validation at its start").isTrue();
        MigrateResult migrated = old.migrate();
        assertThat(migrated.migrationsExecuted).as("migrations the older node runs").isZero();

        // the default is what lets it start: with no pattern ignored, the same node refuses the database
        assertThat(olderFlyway(dir).ignoreMigrationPatterns(new ValidatePattern[0]).load().validateWithResult().validationSuccessful)
                .as("validation without ignoring future migrations").isFalse();
    }

    /** This version's Flyway configuration, with only the older version's migrations. */
    private org.flywaydb.core.api.configuration.FluentConfiguration olderFlyway(Path dir) {
        return Flyway.configure().configuration(flyway.getConfiguration())
                .resourceProvider(null)
                .javaMigrationClassProvider(null)
                .locations("filesystem:" + dir.toAbsolutePath());
    }

    private static int newestOfThisVersion() throws IOException {
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            return files.map(f -> VERSION.matcher(f.getFileName().toString())).filter(Matcher::matches)
                    .mapToInt(m -> Integer.parseInt(m.group(1))).max().orElseThrow();
        }
    }

    /** Copies this version's SQL migrations up to {@code newest}; the newest copied. */
    private static int copyMigrationsUpTo(int newest, Path to) throws IOException {
        int copied = 0;
        try (Stream<Path> files = Files.list(MIGRATIONS)) {
            for (Path file : files.toList()) {
                Matcher m = VERSION.matcher(file.getFileName().toString());
                if (m.matches() && Integer.parseInt(m.group(1)) <= newest) {
                    Files.copy(file, to.resolve(file.getFileName()));
                    copied = Math.max(copied, Integer.parseInt(m.group(1)));
                }
            }
        }
        return copied;
    }
}
