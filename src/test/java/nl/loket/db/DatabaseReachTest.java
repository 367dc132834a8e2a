package nl.loket.db;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator who gets LOKET_DB_URL (or the user or password) wrong is told at the start what
 * PostgreSQL or the network said, and where Loket tried to connect; never the password. And the
 * start tries the database once, not once for every setting it computes from it: against a host
 * that does not answer, every try would cost the connection timeout.
 */
class DatabaseReachTest {

    private static final String PASSWORD = "Geheim-wachtwoord-42";

    @Test
    void aDatabaseThatCannotBeReachedStopsTheStartWithWhatWentWrongAndNoPassword() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        DatabaseConfigSource source = new DatabaseConfigSource(new DatabaseSettings(
                "postgresql://127.0.0.1:" + port + "/loket", "loket", PASSWORD, "unused", false, true));

        Throwable failure = catchThrowable(() -> source.getValue(DatabaseConfigSource.CURSOR_SECRET));

        assertThat(failure).isNotNull();
        // Quarkus prints only the message of what a config source throws, not its causes
        assertThat(failure.getMessage()).contains("127.0.0.1:" + port + "/loket", "loket")
                .containsIgnoringCase("refused")
                .doesNotContain(PASSWORD);
    }

    @Test
    void aFailedStartTriesTheDatabaseOnceNotForEverySetting() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try (Socket s = silent.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            DatabaseConfigSource source = new DatabaseConfigSource(new DatabaseSettings(
                    "postgresql://127.0.0.1:" + silent.getLocalPort() + "/loket", "loket", PASSWORD, "unused", false, true));

            assertThatThrownBy(() -> source.getValue(DatabaseConfigSource.CURSOR_SECRET)).isInstanceOf(IllegalStateException.class);
            int afterFirst = connections.get();
            assertThat(afterFirst).isPositive();
            for (String name : new String[] {DatabaseConfigSource.RESIDENT_TOKEN_SECRET, DatabaseConfigSource.JDBC_URL,
                    DatabaseConfigSource.SIGN_KEY, DatabaseConfigSource.CURSOR_SECRET}) {
                Throwable again = catchThrowable(() -> source.getValue(name));
                assertThat(again).as(name).isInstanceOf(IllegalStateException.class).hasMessageNotContaining(PASSWORD);
            }
            assertThat(connections.get()).as("connections after asking for four more settings").isEqualTo(afterFirst);
        }
    }
}
