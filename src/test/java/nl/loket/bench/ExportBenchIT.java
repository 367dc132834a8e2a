package nl.loket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import nl.loket.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long a full export through the integrator API takes: 100,000 closed conversations with
 * 20 messages each, paged through the change feed (500 a page) with every transcript fetched
 * (8 at a time), against the packaged service. The baseline is reading the same rows straight
 * from PostgreSQL over JDBC in the same run. Prints "BENCH" lines; asserts only completeness.
 *
 * <p>Not part of the normal build: {@code ./mvnw package -DskipTests && ./mvnw test-compile
 * failsafe:integration-test -Dit.test=ExportBenchIT -Dloket.bench=true}
 * ({@code -Dloket.bench.conversations=N} for another size).
 */
@EnabledIfSystemProperty(named = "loket.bench", matches = "true")
class ExportBenchIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void exportEverything() throws Exception {
        int conversations = Integer.getInteger("loket.bench.conversations", 100_000);
        int messagesEach = 20;
        Path dataDir = Files.createTempDirectory("loket-bench-");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder().setServerConfig("max_connections", "100").start()) {
            int port = Ports.free();
            int managementPort = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-jar", Path.of(System.getProperty("loket.app.dir", "target/quarkus-app"), "quarkus-run.jar").toAbsolutePath().toString());
            builder.environment().keySet().removeIf(k -> k.startsWith("LOKET_") || k.startsWith("QUARKUS_"));
            builder.environment().put("LOKET_DB_URL", "postgresql://localhost:" + pg.getPort() + "/postgres");
            builder.environment().put("LOKET_DATA_DIR", dataDir.toString());
            builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
            builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
            builder.environment().put("LOKET_BOOTSTRAP_ADMIN_PASSWORD", "bench-admin-password");
            builder.environment().put("LOKET_FEED_SAFETY_LAG", "1s");
            builder.redirectErrorStream(true).redirectOutput(Path.of("target", "export-bench.log").toFile());
            Process service = builder.start();
            try {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                String base = "http://localhost:" + port;
                awaitReady(http, "http://localhost:" + managementPort, service);

                long seedStart = System.nanoTime();
                try (Connection db = pg.getPostgresDatabase().getConnection(); Statement st = db.createStatement()) {
                    st.execute("insert into topic (id, name_nl, name_en, opening_hours) values ('bench', 'Bench', 'Bench', '{}')");
                    st.execute("insert into conversation (id, topic, resident_name, state, created_at, queued_at, first_assigned_at, "
                            + "assigned_at, closed_at, outcome, summary, last_seq, updated_at) "
                            + "select gen_random_uuid(), 'bench', 'Inwoner ' || g, 'closed', now() - interval '2 days', "
                            + "now() - interval '2 days', now() - interval '2 days' + interval '1 minute', now() - interval '2 days' + interval '1 minute', "
                            + "now() - interval '2 days' + interval '9 minutes', 'answered', 'Samenvatting ' || g, " + messagesEach + ", "
                            + "now() - interval '1 day' + g * interval '1 millisecond' from generate_series(1, " + conversations + ") g");
                    st.execute("insert into message (conversation_id, seq, sender, sender_key, text, client_msg_id, sent_at) "
                            + "select c.id, s, case when s % 2 = 1 then 'resident' else 'agent' end, "
                            + "case when s % 2 = 1 then 'resident' else 'bench-agent' end, "
                            + "'Bericht ' || s || ' in een gesprek over een paspoort dat binnenkort verloopt', 'm-' || s, "
                            + "c.created_at + s * interval '10 seconds' from conversation c, generate_series(1, " + messagesEach + ") s "
                            + "where c.topic = 'bench'");
                    st.execute("analyze");
                }
                System.out.printf("BENCH export seed: %d conversations, %d messages in %d ms%n", conversations,
                        (long) conversations * messagesEach, millis(seedStart));

                // baseline: the same rows straight from the database
                long dbStart = System.nanoTime();
                long dbRows = 0;
                long dbBytes = 0;
                try (Connection db = pg.getPostgresDatabase().getConnection()) {
                    db.setAutoCommit(false);
                    try (Statement st = db.createStatement()) {
                        st.setFetchSize(5000);
                        try (ResultSet rs = st.executeQuery("select c.id, c.state, c.updated_at, m.seq, m.sender, m.text, m.sent_at "
                                + "from conversation c join message m on m.conversation_id = c.id where c.topic = 'bench' "
                                + "order by c.updated_at, c.id, m.seq")) {
                            while (rs.next()) {
                                dbRows++;
                                dbBytes += rs.getString(6).length();
                            }
                        }
                    }
                }
                long dbMillis = millis(dbStart);

                String admin = login(http, base, "admin", "bench-admin-password");
                post(http, base + "/api/v1/admin/users", admin, "{\"username\":\"crm\",\"displayName\":\"CRM\",\"password\":\"crm-password-1\","
                        + "\"roles\":[\"integrator\"]}");
                String token = login(http, base, "crm", "crm-password-1");

                // the feed alone
                long feedStart = System.nanoTime();
                List<String> ids = new ArrayList<>();
                String cursor = null;
                int pages = 0;
                do {
                    String url = base + "/api/v1/conversations?topic=bench&limit=500" + (cursor == null ? "" : "&cursor="
                            + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                    JsonNode page = JSON.readTree(get(http, url, token, "application/json"));
                    page.get("items").forEach(item -> ids.add(item.get("id").asText()));
                    cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
                    pages++;
                } while (cursor != null);
                long feedMillis = millis(feedStart);
                assertThat(ids).hasSize(conversations).doesNotHaveDuplicates();

                // every transcript, 8 requests at a time
                long transcriptStart = System.nanoTime();
                AtomicLong messages = new AtomicLong();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<?>> futures = new ArrayList<>();
                int slice = (ids.size() + 7) / 8;
                for (int w = 0; w < 8; w++) {
                    List<String> mine = ids.subList(Math.min(ids.size(), w * slice), Math.min(ids.size(), (w + 1) * slice));
                    futures.add(pool.submit(() -> {
                        for (String id : mine) {
                            JsonNode t = JSON.readTree(get(http, base + "/api/v1/conversations/" + id + "/transcript", token, "application/json"));
                            messages.addAndGet(t.get("messages").size());
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                pool.shutdown();
                long transcriptMillis = millis(transcriptStart);
                assertThat(messages.get()).isEqualTo((long) conversations * messagesEach);
                assertThat(dbRows).isEqualTo((long) conversations * messagesEach);

                long apiMillis = feedMillis + transcriptMillis;
                System.out.printf("BENCH export baseline, JDBC read of the same %d messages: %d ms (%d text chars)%n", dbRows, dbMillis, dbBytes);
                System.out.printf("BENCH export feed: %d conversations in %d pages of 500: %d ms (%.0f conversations/s)%n",
                        ids.size(), pages, feedMillis, ids.size() * 1000.0 / feedMillis);
                System.out.printf("BENCH export transcripts (8 concurrent, each audited): %d in %d ms (%.0f/s)%n",
                        ids.size(), transcriptMillis, ids.size() * 1000.0 / transcriptMillis);
                System.out.printf("BENCH export total through the API: %d ms = %.1f min; ratio to the JDBC baseline %.1fx%n",
                        apiMillis, apiMillis / 60000.0, (double) apiMillis / Math.max(1, dbMillis));
            } finally {
                service.destroy();
                service.waitFor();
            }
        }
    }

    /** Readiness is on the management port. */
    private static void awaitReady(HttpClient http, String management, Process service) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(service.isAlive()).as("service running (see target/export-bench.log)").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(management + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("service not ready within 120 s");
    }

    private static String login(HttpClient http, String base, String user, String password) throws Exception {
        String body = post(http, base + "/api/v1/auth/token", null, "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}");
        return JSON.readTree(body).get("accessToken").asText();
    }

    private static String post(HttpClient http, String url, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url + " " + r.body()).isBetween(200, 201);
        return r.body();
    }

    private static String get(HttpClient http, String url, String token, String accept) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Accept", accept).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(url).isEqualTo(200);
        return r.body();
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
