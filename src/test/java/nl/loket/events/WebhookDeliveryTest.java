package nl.loket.events;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.Ports;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code LOKET_EVENTS=webhook} against a real HTTP receiver in the test: every event arrives
 * signed, in the order written, once the receiver stops answering 500; meanwhile the head event
 * is retried with growing waits and blocks the rest, an admin sees why, and the operator a count
 * of every failed attempt and a log line when they start and when they end.
 */
@QuarkusTest
@TestProfile(WebhookDeliveryTest.WebhookProfile.class)
class WebhookDeliveryTest {

    static final String SECRET = "test-webhook-secret";
    static final int PORT = freePort();

    public static class WebhookProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.events.sink", "webhook",
                    "loket.events.webhook.urls", "http://127.0.0.1:" + PORT + "/hooks/loket?key=receiver-key",
                    "loket.events.webhook.secret", SECRET,
                    "loket.events.webhook.backoff-base", "300ms",
                    "loket.events.webhook.backoff-max", "2s",
                    "loket.events.drain-every", "100ms");
        }
    }

    record Delivery(long at, int answered, String signature, String body) {
    }

    static HttpServer receiver;
    static final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
    static final AtomicBoolean failing = new AtomicBoolean(true);

    @Inject
    Db db;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @BeforeAll
    static void startReceiver() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
        receiver.createContext("/hooks/loket", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int status = failing.get() ? 500 : 204;
            deliveries.add(new Delivery(System.nanoTime(), status, exchange.getRequestHeaders().getFirst("Loket-Signature"), body));
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Test
    void eventsArriveSignedAndInOrderAfterTheReceiverRecovers() {
        try (LogCapture logs = new LogCapture()) {
            eventsArriveSignedAndInOrderAfterTheReceiverRecovers(logs);
        }
    }

    private void eventsArriveSignedAndInOrderAfterTheReceiverRecovers(LogCapture logs) {
        double failedBefore = Metrics.scrape(metrics).failures("webhook");
        String admin = Api.adminToken();
        // the URL is registered by the first delivery round; it gets the events written from then on
        await().atMost(Duration.ofSeconds(20)).until(() -> status(admin).getJsonArray("endpoints").getJsonObject(0).getValue("nextAttemptAt") != null);

        String topic = TestTopics.create(db);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "061234560" + i))
                    .post("/api/v1/callbacks").then().statusCode(201).extract().asString()).getString("id");
            expected.add(id);
        }
        String conversation = Api.start(topic, null).getString("id");

        // the receiver answers 500: the first event is tried again and again, the others wait
        await().atMost(Duration.ofSeconds(20)).until(() -> deliveries.size() >= 4);
        JsonObject failingState = status(admin);
        assertThat(failingState.getString("sink")).isEqualTo("webhook");
        JsonObject endpoint = failingState.getJsonArray("endpoints").getJsonObject(0);
        assertThat(endpoint.getString("url")).as("no query, it may hold a key").isEqualTo("http://127.0.0.1:" + PORT + "/hooks/loket?…");
        assertThat(endpoint.getInteger("failures")).isGreaterThanOrEqualTo(3);
        assertThat(endpoint.getString("lastError")).isEqualTo("HTTP 500");
        assertThat(endpoint.getValue("lastDeliveredEventId")).isNull();
        // at least ours: timers of other tests' conversations in the same database may add some
        assertThat(endpoint.getLong("pending")).isGreaterThanOrEqualTo(6);
        List<Delivery> refused = List.copyOf(deliveries);
        assertThat(refused.stream().map(d -> new JsonObject(d.body()).getLong("id")).distinct()).as("only the head event is tried").hasSize(1);
        long firstGap = refused.get(1).at() - refused.get(0).at();
        long thirdGap = refused.get(3).at() - refused.get(2).at();
        assertThat(Duration.ofNanos(firstGap)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(thirdGap).as("the wait doubles").isGreaterThan(firstGap);

        failing.set(false);
        // the resident never connects: after the test grace (3 s) the conversation is abandoned
        await().atMost(Duration.ofSeconds(20)).until(() -> accepted(topic).size() >= 7);

        List<JsonObject> all = accepted(null);
        assertThat(all.stream().map(e -> e.getLong("id")).toList()).as("ids in the order written").isSorted().doesNotHaveDuplicates();
        List<JsonObject> events = accepted(topic);
        assertThat(events).hasSize(7);
        assertThat(events.subList(0, 5)).allSatisfy(e -> {
            assertThat(e.getString("type")).isEqualTo("callback.requested");
            assertThat(e.getJsonObject("data").getString("topic")).isEqualTo(topic);
            assertThat(e.getString("occurredAt")).isNotBlank();
        });
        assertThat(events.subList(0, 5).stream().map(e -> e.getJsonObject("data").getString("callbackId")).toList())
                .containsExactlyElementsOf(expected);
        assertThat(events.get(5).getString("type")).isEqualTo("conversation.queued");
        assertThat(events.get(5).getJsonObject("data").getString("conversationId")).isEqualTo(conversation);
        assertThat(events.get(6).getString("type")).as("after queued, never before").isEqualTo("conversation.abandoned");
        assertThat(events.get(6).getJsonObject("data").getString("conversationId")).isEqualTo(conversation);
        for (Delivery d : deliveries) {
            assertThat(WebhookSignature.verify(SECRET, d.signature(), d.body())).as("signature of %s", d.body()).isTrue();
            assertThat(WebhookSignature.verify("another-secret", d.signature(), d.body())).isFalse();
            long t = Long.parseLong(d.signature().substring(2, d.signature().indexOf(',')));
            assertThat(Math.abs(System.currentTimeMillis() / 1000 - t)).isLessThan(120);
        }

        JsonObject done = status(admin).getJsonArray("endpoints").getJsonObject(0);
        assertThat(done.getInteger("failures")).isZero();
        assertThat(done.getLong("totalFailures")).isEqualTo(refused.size());
        assertThat(done.getLong("lastDeliveredEventId")).isEqualTo(all.get(all.size() - 1).getLong("id"));
        assertThat(done.getString("lastSuccessAt")).isNotBlank();
        assertThat(done.getLong("pending")).isZero();

        // every refused attempt counted; one line when they started, one when they ended, not one per attempt
        assertThat(Metrics.scrape(metrics).failures("webhook") - failedBefore).isEqualTo(refused.size());
        assertThat(logs.loket(Level.WARNING, "refused event")).as(logs.all()).hasSize(1);
        assertThat(LogCapture.message(logs.loket(Level.WARNING, "refused event").get(0)))
                .isEqualTo("Webhook http://127.0.0.1:" + PORT + "/hooks/loket?… refused event " + new JsonObject(refused.get(0).body())
                        .getLong("id") + " (HTTP 500); next attempt in PT0.3S");
        assertThat(logs.loket(Level.INFO, "accepts events again")).as(logs.all()).hasSize(1);
    }

    @Test
    void onlyAdminsSeeTheWebhookState() {
        given().get("/api/v1/admin/webhooks").then().statusCode(401);
        Api.Agent agent = Api.agent("Wendy", List.of(), 1);
        given().auth().oauth2(agent.token()).get("/api/v1/admin/webhooks").then().statusCode(403);
    }

    /** Events the receiver took, all or only those of one topic. */
    private static List<JsonObject> accepted(String topic) {
        return deliveries.stream().filter(d -> d.answered() == 204).map(d -> new JsonObject(d.body()))
                .filter(e -> topic == null || topic.equals(e.getJsonObject("data").getString("topic"))).toList();
    }

    private static JsonObject status(String admin) {
        return new JsonObject(given().auth().oauth2(admin).get("/api/v1/admin/webhooks").then().statusCode(200).extract().asString());
    }

    private static int freePort() {
        return Ports.free();
    }
}
