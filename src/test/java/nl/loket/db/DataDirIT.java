package nl.loket.db;

import nl.loket.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The packaged service as {@code java -jar} runs it without LOKET_DB_URL: its embedded
 * PostgreSQL keeps its files (and password) in LOKET_DATA_DIR, refuses connections without the
 * password, and the service starts again on the same directory with its data.
 */
class DataDirIT {

    static final String ADMIN_PASSWORD = "data-dir-admin-password";
    /** A stop without the shutdown delay, for the stops this class does not look at. */
    static final String NO_DELAY = "0s";

    @TempDir
    Path dataDir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process service;

    @AfterEach
    void stopService() throws InterruptedException {
        stop();
    }

    @Test
    void theServiceStartsWithAPasswordProtectedDatabaseAndKeepsItsDataOverARestart() throws Exception {
        int port = start(NO_DELAY);
        String admin = login(port, "admin", ADMIN_PASSWORD);
        HttpResponse<String> created = send(port, HttpRequest.newBuilder(uri(port, "/api/v1/admin/users"))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"username":"kees","displayName":"Kees","password":"kees-password-1","roles":["agent"],"topics":["afval"]}""")));
        assertThat(created.statusCode()).isEqualTo(201);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("db-password")))).isEqualTo("rw-------");
        int pgPort = Integer.parseInt(Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).strip());
        assertThatThrownBy(() -> connect(pgPort, null)).isInstanceOf(SQLException.class);
        assertThatThrownBy(() -> connect(pgPort, "wrong")).isInstanceOf(SQLException.class);
        connect(pgPort, Files.readString(dataDir.resolve("db-password")).strip());

        stop();
        int again = start(NO_DELAY);
        assertThat(login(again, "kees", "kees-password-1")).isNotBlank();
    }

    @Test
    void aStopFinishesTheServicesWorkBeforeTheDatabaseGoes() throws Exception {
        int port = start(null);
        HttpResponse<String> started = send(port, HttpRequest.newBuilder(uri(port, "/api/v1/conversations"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"afval\",\"name\":\"Els\"}")));
        assertThat(started.statusCode()).as(started.body()).isEqualTo(201);
        io.vertx.core.json.JsonObject conversation = new io.vertx.core.json.JsonObject(started.body());
        // a waiting resident's open connection: at the stop it is closed, and its going is written down
        CompletableFuture<Void> opened = new CompletableFuture<>();
        WebSocket resident = http.newWebSocketBuilder()
                .header("Authorization", "Bearer " + conversation.getString("token"))
                .buildAsync(URI.create("ws://localhost:" + port + "/ws/resident/" + conversation.getString("id")), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        opened.complete(null);
                        ws.request(1);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        opened.get(10, TimeUnit.SECONDS);

        int before = (int) Files.size(log());
        long stopAt = System.nanoTime();
        stop();
        // a stop takes the shutdown delay (2 s), and in-flight requests at most the timeout (5 s); the database waits for it, not longer
        assertThat(Duration.ofNanos(System.nanoTime() - stopAt)).isLessThan(Duration.ofSeconds(20));
        byte[] written = Files.readAllBytes(log());
        String stopping = new String(written, before, written.length - before, java.nio.charset.StandardCharsets.UTF_8);
        assertThat(stopping).contains("Stopping: refusing new WebSocket connections, closing 1");
        // PostgreSQL used to be stopped by a hook of its own at the same moment as the service, and
        // every write of the stop failed: the connection's presence, in-flight messages, the sweeps
        assertThat(stopping).doesNotContain("Unexpected failure", "57P01", "57P03", "ClosedConnectionException");
        // the closed socket's upgrade request is not waited for: Quarkus counted it as in flight
        // until the process ended, and every stop after a WebSocket waited out the timeout
        assertThat(stopping).doesNotContain("Waiting for HTTP requests to complete", "Timed out waiting for graceful shutdown");
        resident.abort();

        int again = start(NO_DELAY);
        HttpResponse<String> transcript = send(again, HttpRequest.newBuilder(uri(again, "/api/v1/conversations/"
                + conversation.getString("id") + "/transcript")).header("Authorization", "Bearer " + conversation.getString("token")));
        assertThat(transcript.statusCode()).as(transcript.body()).isEqualTo(200);
    }

    private Path log() {
        return Path.of(System.getProperty("loket.app.dir", "target/quarkus-app")).toAbsolutePath().getParent().resolve("data-dir-it.log");
    }

    /**
     * Starts the service; {@code shutdownDelay} null keeps production's (2 s), which only the stop
     * that {@link #aStopFinishesTheServicesWorkBeforeTheDatabaseGoes} looks at needs: the other
     * stops save it (6 s of this class's time).
     */
    private int start(String shutdownDelay) throws Exception {
        int port = freePort();
        Path app = Path.of(System.getProperty("loket.app.dir", "target/quarkus-app"));
        assertThat(app.resolve("quarkus-run.jar")).as("the packaged service; build it with ./mvnw package -DskipTests").exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx384m", "-jar", app.resolve("quarkus-run.jar").toAbsolutePath().toString());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("LOKET_") || k.startsWith("QUARKUS_"));
        env.put("LOKET_DATA_DIR", dataDir.toString());
        env.put("LOKET_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        env.put("LOKET_ALWAYS_OPEN", "true");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(freePort()));
        if (shutdownDelay != null) {
            env.put("LOKET_SHUTDOWN_DELAY", shutdownDelay);
        }
        Path log = log();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        service = builder.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                fail("the service exited with " + service.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(uri(port, "/api/v1/topics")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        fail("the service was not ready within 120 s; see " + log);
        return port;
    }

    private void stop() throws InterruptedException {
        if (service != null && service.isAlive()) {
            service.destroy();
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                service.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        service = null;
    }

    private String login(int port, String username, String password) throws Exception {
        HttpResponse<String> r = send(port, HttpRequest.newBuilder(uri(port, "/api/v1/auth/token")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new io.vertx.core.json.JsonObject(r.body()).getString("accessToken");
    }

    private HttpResponse<String> send(int port, HttpRequest.Builder request) throws Exception {
        return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://localhost:" + port + path);
    }

    private static void connect(int port, String password) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", "postgres");
        if (password != null) {
            props.setProperty("password", password);
        }
        DriverManager.getConnection("jdbc:postgresql://localhost:" + port + "/postgres", props).close();
    }

    private static int freePort() {
        return Ports.free();
    }
}
