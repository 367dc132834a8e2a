package nl.loket.events;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code LOKET_EVENTS=rabbitmq} (a run-time setting: the same build), domain events arrive
 * in a real RabbitMQ queue bound to the exchange. Skipped when no RabbitMQ answers on
 * 127.0.0.1:5672 (user guest).
 */
@QuarkusTest
@TestProfile(RabbitMqEventsTest.RabbitProfile.class)
@EnabledIf(value = "rabbitMqAnswers", disabledReason = "no RabbitMQ answers on 127.0.0.1:5672")
class RabbitMqEventsTest {

    public static class RabbitProfile implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.events.sink", "rabbitmq", "loket.events.rabbitmq.host", "127.0.0.1");
        }
    }

    @Inject
    Db db;

    static boolean rabbitMqAnswers() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5672), 500);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void aCallbackRequestArrivesInABoundQueue() throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
            channel.exchangeDeclare("loket.events", "topic", true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, "loket.events", "callback.*");

            String topic = TestTopics.create(db);
            String id = new JsonObject(given().contentType(ContentType.JSON).body(Map.of("topic", topic, "phone", "0611223344"))
                    .post("/api/v1/callbacks").then().statusCode(201).extract().asString()).getString("id");

            AtomicReference<JsonObject> received = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(15)).until(() -> {
                GetResponse response = channel.basicGet(queue, true);
                if (response == null) {
                    return false;
                }
                JsonObject event = new JsonObject(new String(response.getBody(), StandardCharsets.UTF_8));
                if (id.equals(event.getJsonObject("data").getString("callbackId"))) {
                    received.set(event);
                    assertThat(response.getEnvelope().getRoutingKey()).isEqualTo("callback.requested");
                    return true;
                }
                return false;
            });
            assertThat(received.get().getString("type")).isEqualTo("callback.requested");
            assertThat(received.get().getLong("id")).isPositive();
            assertThat(received.get().getString("occurredAt")).isNotBlank();
            assertThat(received.get().getJsonObject("data").getString("topic")).isEqualTo(topic);
        }
    }
}
