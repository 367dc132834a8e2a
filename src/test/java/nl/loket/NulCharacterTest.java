package nl.loket;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import nl.loket.platform.Problem;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL cannot store a NUL character (U+0000) in text. Wherever a resident, agent, admin or
 * integrator sends one, they hear a clear 400 (or an {@code error} frame), never {@code internal},
 * and it is not counted as a failure of the service.
 */
@QuarkusTest
class NulCharacterTest {

    private static final String NUL = "\u0000";

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    MeterRegistry registry;

    private double failures(String where) {
        return Metrics.failures(registry, where);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"start name", "callback name", "callback note", "canned reply title", "feed topic", "feed cursor",
            "capacity topic path", "department id path"})
    void aNulCharacterIsA400Problem(String where) {
        String topic = TestTopics.create(db);
        double before = failures("rest");
        Response r = switch (where) {
            case "start name" -> given().contentType(ContentType.JSON).body(Map.of("topic", topic, "name", "El" + NUL + "s"))
                    .post("/api/v1/conversations");
            case "callback name" -> given().contentType(ContentType.JSON)
                    .body(Map.of("topic", topic, "phone", "0612345678", "name", "Pi" + NUL + "et")).post("/api/v1/callbacks");
            case "callback note" -> given().contentType(ContentType.JSON)
                    .body(Map.of("topic", topic, "phone", "0612345678", "note", "over de " + NUL + " aanslag")).post("/api/v1/callbacks");
            case "canned reply title" -> given().auth().oauth2(Api.adminToken()).contentType(ContentType.JSON)
                    .body(Map.of("title", "Gr" + NUL + "oet", "text", "Goedemiddag", "topics", List.of(topic)))
                    .post("/api/v1/admin/canned-replies");
            case "feed topic" -> given().auth().oauth2(agentToken(topic)).queryParam("topic", topic + NUL)
                    .get("/api/v1/conversations");
            case "feed cursor" -> given().auth().oauth2(agentToken(topic)).queryParam("cursor", "abc" + NUL)
                    .get("/api/v1/conversations");
            case "capacity topic path" -> given().auth().oauth2(Api.adminToken()).get("/api/v1/capacity/{topic}", topic + NUL);
            case "department id path" -> given().auth().oauth2(Api.adminToken()).get("/api/v1/departments/{id}", "burger" + NUL + "zaken");
            default -> throw new IllegalArgumentException(where);
        };
        assertThat(r.statusCode()).as("%s: %s", where, r.asString()).isEqualTo(400);
        assertThat(r.contentType()).as(where).startsWith(Problem.MEDIA_TYPE);
        assertThat(r.asString()).as(where).contains("NUL");
        assertThat(failures("rest") - before).as("%s: loket_failures_total{where=rest}", where).isZero();
    }

    private static String agentToken(String topic) {
        return Api.agent("Nul " + UUID.randomUUID().toString().substring(0, 4), List.of(topic), 2).token();
    }

    @Test
    void aNulCharacterInAnotherFrameFieldIsAnErrorFrameNotInternal() {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chat(base, topic, "Petra", 2, "Els");
        String id = chat.id();
        try (WsClient resident = chat.resident(); WsClient console = chat.console()) {
            console.send(frame("claim", "topic", topic));
            console.next("assigned");
            double before = failures("agent-socket");

            console.send(frame("close", "conversationId", id, "outcome", "answered", "summary", "sa" + NUL + "menvatting", "ref", "c-1"));
            JsonObject refused = console.next("error");
            assertThat(refused.getString("code")).isEqualTo("bad_request");
            assertThat(refused.getString("message")).contains("NUL");
            assertThat(refused.getString("ref")).isEqualTo("c-1");

            resident.send(frame("request_callback", "phone", "0612345678", "note", "bel " + NUL + " mij"));
            JsonObject residentRefused = resident.next("error");
            assertThat(residentRefused.getString("code")).isNotEqualTo("internal");
            assertThat(residentRefused.getString("message")).contains("NUL");
            assertThat(failures("agent-socket") - before).as("loket_failures_total{where=agent-socket}").isZero();
            assertThat(console.isOpen()).isTrue();
            assertThat(resident.isOpen()).isTrue();
        }
    }
}
