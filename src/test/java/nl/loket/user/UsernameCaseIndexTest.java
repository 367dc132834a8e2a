package nl.loket.user;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import nl.loket.LogCapture;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The unique index on lower(username) (V43) on an installation whose accounts already hold two
 * usernames equal but for case (made before the check existed): the migration does not fail, and
 * renames nobody; it leaves the index out and says so, and so does every start, without the names,
 * until an operator has resolved the pairs (README, "Gebruikersnamen die alleen in hoofdletters
 * verschillen"). The first start after that creates the index.
 */
@QuarkusTest
class UsernameCaseIndexTest {

    static final String INDEX = "app_user_username_lower";

    @Inject
    AgroalDataSource jdbc;

    @Inject
    UsernameCaseIndex check;

    @Test
    void pairsFromBeforeLeaveTheIndexOutAndAreReportedWithoutNamesUntilResolved() throws Exception {
        String name = "dubbel-" + UUID.randomUUID().toString().substring(0, 8);
        String shouting = name.toUpperCase(Locale.ROOT);
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        try (Connection c = jdbc.getConnection()) {
            c.setAutoCommit(true);
            assertThat(indexExists(c)).as("V43 made the index on this installation").isTrue();
            try {
                execute(c, "drop index " + INDEX);
                // an installation from before the check: two accounts whose usernames differ only in case
                execute(c, "insert into app_user (id, username, display_name, password_hash, roles) values ('" + first + "', '"
                        + name + "', 'Dubbel', null, '{agent}'), ('" + second + "', '" + shouting + "', 'Dubbel', null, '{agent}')");

                List<String> notices = migrate(c);
                assertThat(indexExists(c)).as("the migration leaves the index out while a pair exists").isFalse();
                assertThat(notices).anySatisfy(n -> assertThat(n).contains("1").contains("README"));
                assertThat(String.join("\n", notices)).doesNotContainIgnoringCase(name);

                try (LogCapture log = new LogCapture()) {
                    assertThat(check.check().await().atMost(Duration.ofSeconds(30))).isEqualTo(UsernameCaseIndex.State.PAIRS);
                    List<String> warnings = log.loket(Level.WARNING).stream().map(LogCapture::message).toList();
                    assertThat(warnings).anySatisfy(w -> assertThat(w).contains("1 ").contains("README"));
                    assertThat(String.join("\n", warnings)).doesNotContainIgnoringCase(name);
                }
                assertThat(indexExists(c)).isFalse();

                // the operator resolved the pair (README): the next start creates the index
                execute(c, "update app_user set username = '" + shouting + "-2' where id = '" + second + "'");
                try (LogCapture log = new LogCapture()) {
                    assertThat(check.check().await().atMost(Duration.ofSeconds(30))).isEqualTo(UsernameCaseIndex.State.CREATED);
                    assertThat(log.loket(Level.WARNING)).isEmpty();
                }
                assertThat(indexExists(c)).isTrue();
                assertThat(check.check().await().atMost(Duration.ofSeconds(30))).isEqualTo(UsernameCaseIndex.State.PRESENT);
            } finally {
                execute(c, "delete from app_user where id in ('" + first + "', '" + second + "')");
                execute(c, "create unique index if not exists " + INDEX + " on app_user (lower(username))");
            }
            // without pairs the migration makes the index itself
            execute(c, "drop index " + INDEX);
            migrate(c);
            assertThat(indexExists(c)).isTrue();
        }
    }

    /** Runs V43 as Flyway does; the notices it raised. */
    private static List<String> migrate(Connection c) throws Exception {
        String script;
        try (InputStream in = UsernameCaseIndexTest.class.getResourceAsStream("/db/migration/V43__claim_scope_and_username_case.sql")) {
            assertThat(in).isNotNull();
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> notices = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            s.execute(script);
            for (SQLWarning w = s.getWarnings(); w != null; w = w.getNextWarning()) {
                notices.add(w.getMessage());
            }
        }
        return notices;
    }

    private static boolean indexExists(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("select to_regclass('" + INDEX + "') is not null")) {
            r.next();
            return r.getBoolean(1);
        }
    }

    private static void execute(Connection c, String sql) throws Exception {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
