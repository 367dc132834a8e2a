package nl.loket.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The feed cursor secret comes from the database whether the token keys are generated or in files. */
class DatabaseConfigSourceTest {

    @TempDir
    Path dataDir;

    private EmbeddedDatabase.Running running;

    @AfterEach
    void stop() {
        if (running != null) {
            EmbeddedDatabase.stop(running.server(), null);
        }
    }

    @Test
    void withKeyFilesTheCursorSecretIsStillAStoredRandomOne() throws Exception {
        running = EmbeddedDatabase.open(dataDir, false);
        DatabaseConfigSource.Connection db = running.connection();
        String url = "postgresql://localhost:" + db.port() + "/postgres";
        DatabaseConfigSource withKeyFiles = new DatabaseConfigSource(new DatabaseSettings(url, "postgres", db.password(),
                dataDir.toString(), false, false));
        DatabaseConfigSource anotherNode = new DatabaseConfigSource(new DatabaseSettings(url, "postgres", db.password(),
                dataDir.toString(), false, true));

        String secret = withKeyFiles.getValue(DatabaseConfigSource.CURSOR_SECRET);
        assertThat(secret).isNotBlank().hasSizeGreaterThanOrEqualTo(40).isNotEqualTo("loket");
        assertThat(withKeyFiles.getValue(DatabaseConfigSource.SIGN_KEY)).as("no generated key with key files").isNull();
        // every node reads the same secret, and it is not the signing key
        assertThat(anotherNode.getValue(DatabaseConfigSource.CURSOR_SECRET)).isEqualTo(secret);
        assertThat(anotherNode.getValue(DatabaseConfigSource.SIGN_KEY)).isNotNull().doesNotContain(secret);
    }
}
