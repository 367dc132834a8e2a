package nl.loket.callback;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.BehindTheProxy;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One client address cannot fill the callback list: it may have a few open callback requests at
 * once (loket.limits.open-callbacks-per-address), asked directly or from a chat; the next one is
 * refused with a reason, in Dutch and English, and nothing is stored. Each test speaks from
 * addresses of its own (X-Forwarded-For, as behind a trusted proxy).
 */
@QuarkusTest
@TestProfile(BehindTheProxy.class)
class CallbackLimitsTest {

    static final int LIMIT = BehindTheProxy.OPEN_CALLBACKS;

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void aThirdOpenRequestFromOneAddressIsRefusedUntilOneEnds() {
        String topic = TestTopics.create(db);
        String address = "198.51.100.21";
        JsonObject first = new JsonObject(post(address, topic, "0612350001").then().statusCode(201).extract().asString());
        post(address, topic, "0612350002").then().statusCode(201);

        Response refused = post(address, topic, "0612350003");
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        JsonObject problem = new JsonObject(refused.asString());
        assertThat(problem.getString("type")).endsWith("/too-many-callbacks");
        assertThat(problem.getString("detail"))
                .startsWith("Vanaf dit adres staan al " + LIMIT + " terugbelverzoeken open.")
                .contains(" / There are already " + LIMIT + " open callback requests from this address.");
        // asking again for a number that is already open counts as well: it is no way around the limit
        post(address, topic, "0612350001").then().statusCode(429);
        // nothing of the refused ones reaches the agents' list
        String agent = Api.agent("Noor", List.of(topic), 3).token();
        assertThat(openPhones(agent, topic)).containsExactly("+31612350001", "+31612350002");

        // another client is not held back by this one
        post("198.51.100.22", topic, "0612350004").then().statusCode(201);

        // the resident cancels one: room for one more
        given().auth().oauth2(first.getString("token")).delete("/api/v1/callbacks/" + first.getString("id")).then().statusCode(204);
        post(address, topic, "0612350003").then().statusCode(201);
        post(address, topic, "0612350005").then().statusCode(429);
        assertThat(openPhones(agent, topic)).containsExactlyInAnyOrder("+31612350002", "+31612350003", "+31612350004");
    }

    @Test
    void manyAtOnceFromOneAddressStoreNoMoreThanTheLimit() throws Exception {
        String topic = TestTopics.create(db);
        String address = "198.51.100.23";
        ExecutorService pool = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                String phone = String.format("06123600%02d", i);
                statuses.add(pool.submit(() -> {
                    go.await();
                    return post(address, topic, phone).statusCode();
                }));
            }
            go.countDown();
            List<Integer> seen = new ArrayList<>();
            for (Future<Integer> s : statuses) {
                seen.add(s.get());
            }
            assertThat(seen).filteredOn(s -> s == 201).hasSize(LIMIT);
            assertThat(seen).filteredOn(s -> s == 429).hasSize(12 - LIMIT);
        } finally {
            pool.shutdownNow();
        }
        assertThat(db.query("select count(*) as n from callback_request where topic = $1", Tuple.of(topic))
                .await().indefinitely().iterator().next().getLong("n")).isEqualTo(LIMIT);
    }

    @Test
    void aRequestFromAChatCountsForTheAddressTheChatCameFrom() {
        String topic = TestTopics.create(db);
        String address = "198.51.100.31";
        post(address, topic, "0612370001").then().statusCode(201);
        post(address, topic, "0612370002").then().statusCode(201);

        JsonObject chat = start(address, topic);
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + chat.getString("id"), chat.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "06 1237 0003"));
            JsonObject error = resident.next("error");
            assertThat(error.getString("code")).isEqualTo("too_many_callbacks");
            assertThat(error.getString("message"))
                    .startsWith("Vanaf dit adres staan al " + LIMIT + " terugbelverzoeken open.")
                    .contains(" / There are already " + LIMIT + " open callback requests from this address.");
        }
        // the resident keeps their place in the queue, and no request was stored
        assertThat(db.query("select state from conversation where id = $1::uuid", Tuple.of(chat.getString("id")))
                .await().indefinitely().iterator().next().getString("state")).isEqualTo("queued");
        assertThat(db.query("select count(*) as n from callback_request where topic = $1", Tuple.of(topic))
                .await().indefinitely().iterator().next().getLong("n")).isEqualTo(2);

        // a chat from another address hands off as before
        JsonObject other = start("198.51.100.32", topic);
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + other.getString("id"), other.getString("token"))) {
            resident.next("state");
            resident.send(frame("request_callback", "phone", "06 1237 0004"));
            assertThat(resident.next("callback_created").getString("callbackId")).isNotBlank();
        }
    }

    private static Response post(String address, String topic, String phone) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "phone", phone)).post("/api/v1/callbacks").then().extract().response();
    }

    private static JsonObject start(String address, String topic) {
        return new JsonObject(given().header("X-Forwarded-For", address).contentType(ContentType.JSON)
                .body(Map.of("topic", topic)).post("/api/v1/conversations").then().statusCode(201).extract().asString());
    }

    private static List<String> openPhones(String agent, String topic) {
        return given().auth().oauth2(agent).get("/api/v1/callbacks?state=open&topic=" + topic)
                .then().statusCode(200).extract().jsonPath().getList("items.phone", String.class);
    }
}
