package nl.loket.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded PostgreSQL as {@code java -jar} runs it: a password on every connection, loopback
 * only, files only for the service's own user, and the same database again after a restart.
 */
class EmbeddedDatabaseTest {

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
    void connectionsWithoutTheRightPasswordAreRefusedAndTheDataSurvivesARestart() throws Exception {
        running = EmbeddedDatabase.open(dataDir, false);
        DatabaseConfigSource.Connection db = running.connection();
        Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(passwordFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("postgres")))).isEqualTo("rwx------");
        assertThat(db.password()).hasSizeGreaterThanOrEqualTo(40).isEqualTo(Files.readString(passwordFile).strip());

        assertThatThrownBy(() -> connect(db, null)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connect(db, "postgres")).isInstanceOf(SQLException.class).hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> connect(db, db.password() + "x")).isInstanceOf(SQLException.class);
        try (Connection c = connect(db, db.password()); var st = c.createStatement()) {
            try (var rs = st.executeQuery("select current_setting('listen_addresses'), current_setting('unix_socket_directories'), "
                    + "current_setting('server_version_num')::int / 10000, current_setting('synchronous_commit'), "
                    + "current_setting('fsync'), current_setting('full_page_writes')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("localhost");
                assertThat(rs.getString(2)).isEmpty();
                assertThat(rs.getString(3)).isEqualTo(EmbeddedDatabase.MAJOR_VERSION);
                assertThat(rs.getString(4)).as("a kept database's commits are on disk before they are acknowledged").isEqualTo("on");
                // the library starts the server with -F (no fsync): a commit "on disk" would then be in
                // the operating system's cache, lost with the machine, and the files could be left corrupt
                assertThat(rs.getString(5)).as("a kept database flushes its writes to the disk").isEqualTo("on");
                assertThat(rs.getString(6)).as("a kept database survives a torn page").isEqualTo("on");
            }
            try (var rs = st.executeQuery("select count(*) from pg_hba_file_rules where auth_method <> 'scram-sha-256'")) {
                rs.next();
                assertThat(rs.getInt(1)).as("pg_hba.conf lines that do not ask for the password").isZero();
            }
            st.execute("create table kept (v text)");
            st.execute("insert into kept values ('still here')");
        }
        EmbeddedDatabase.stop(running.server(), null);
        running = null;

        // a restart on the same directory finds the same password and the same data
        running = EmbeddedDatabase.open(dataDir, false);
        assertThat(running.connection().password()).isEqualTo(db.password());
        assertThatThrownBy(() -> connect(running.connection(), null)).isInstanceOf(SQLException.class);
        try (Connection c = connect(running.connection(), db.password()); var st = c.createStatement();
             var rs = st.executeQuery("select v from kept")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
        assertThat(Files.readString(dataDir.resolve("postgres/pg_hba.conf"))).doesNotContain("trust");
    }

    @Test
    void aStartThatFailsLeavesNoServerBehind() throws Exception {
        running = EmbeddedDatabase.open(dataDir, false);
        EmbeddedDatabase.stop(running.server(), null);
        running = null;

        // a password file that does not match the database (a restore gone wrong): the server
        // starts, the library cannot log in, and gives up
        Path passwordFile = dataDir.resolve(EmbeddedDatabase.PASSWORD_FILE);
        Files.writeString(passwordFile, "not-the-password\n");
        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir, false)).isInstanceOf(Exception.class);
        // pg_ctl removes the file once the server has exited; a server left running would keep the
        // directory, and the next start of the service (a new JVM) would fail on it too. (This JVM
        // cannot start it again: the library keeps its own lock on the directory until the JVM ends.)
        assertThat(dataDir.resolve("postgres/postmaster.pid")).as("no server left running on the directory").doesNotExist();
    }

    @Test
    void aDatabaseOfAnotherMajorVersionIsRefusedWithAClearMessage() throws Exception {
        Path data = Files.createDirectories(dataDir.resolve("postgres"));
        Files.writeString(data.resolve("postgresql.conf"), "");
        Files.writeString(data.resolve("PG_VERSION"), "14\n");
        assertThatThrownBy(() -> EmbeddedDatabase.open(dataDir, false))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PostgreSQL 14").hasMessageContaining("LOKET_DB_URL");
    }

    private static Connection connect(DatabaseConfigSource.Connection db, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", db.user());
        if (password != null) {
            props.setProperty("password", password);
        }
        return DriverManager.getConnection(db.jdbcUrl(), props);
    }
}
