package nl.loket.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every refusal of the API is a problem (docs/protocol.md §1) that a person reading it in a
 * browser's network tab or an integrator's log can act on, Dutch first, and carries the same
 * security headers as every other answer: a bare status with an empty body says nothing, and
 * one without {@code no-store} may be kept in a browser's cache.
 */
@QuarkusTest
class RefusalsTest {

    private static final String OTHER_SITE = "https://evil.example";

    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("another site's request outside the widget's endpoints", 403, "/problems/cross-origin",
                        () -> given().header("Origin", OTHER_SITE).get("/api/v1/callbacks")),
                refusal("another site's preflight outside the widget's endpoints", 403, "/problems/cross-origin",
                        () -> given().header("Origin", OTHER_SITE).header("Access-Control-Request-Method", "POST")
                                .header("Access-Control-Request-Headers", "content-type").options("/api/v1/auth/token")),
                refusal("an unlisted site's request to a widget endpoint", 403, "/problems/cross-origin",
                        () -> given().header("Origin", OTHER_SITE).contentType(ContentType.JSON).body("{\"topic\":\"afval\"}")
                                .post("/api/v1/conversations")),
                refusal("an unlisted site's preflight to a widget endpoint", 403, "/problems/cross-origin",
                        () -> given().header("Origin", OTHER_SITE).header("Access-Control-Request-Method", "POST")
                                .header("Access-Control-Request-Headers", "content-type").options("/api/v1/conversations")),
                refusal("no token", 401, "/problems/unauthorized", () -> given().get("/api/v1/callbacks")),
                refusal("an unknown path under /api", 404, "/problems/not-found", () -> given().get("/api/v1/niets-hier")),
                refusal("a method the path does not take", 405, "/problems/method-not-allowed", () -> given().delete("/api/v1/topics")),
                refusal("a body that is no JSON by its type", 415, "/problems/unsupported-media-type",
                        () -> given().contentType("text/xml").body("<topic>afval</topic>").post("/api/v1/conversations")),
                refusal("an Accept the API cannot answer", 406, "/problems/not-acceptable",
                        () -> given().accept("application/xml").get("/api/v1/topics")),
                refusal("malformed JSON", 400, "/problems/validation",
                        () -> given().contentType(ContentType.JSON).body("{\"topic\":").post("/api/v1/conversations")),
                refusal("a declared body over the limit", 413, "/problems/body-too-large",
                        () -> given().contentType(ContentType.JSON).body("{\"topic\":\"" + "x".repeat(70_000) + "\"}")
                                .post("/api/v1/conversations")));
    }

    private static Arguments refusal(String what, int status, String type, Supplier<Response> request) {
        return Arguments.of(what, status, type, request);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void isAProblemWithTheSecurityHeaders(String what, int status, String type, Supplier<Response> request) {
        Response r = request.get();
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        assertThat(r.contentType()).as(what).startsWith("application/problem+json");
        assertProblem(what, new JsonObject(r.asString()), status, type);
        assertThat(r.header("X-Content-Type-Options")).as(what).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).as(what).isEqualTo("no-referrer");
        assertThat(r.header("Cache-Control")).as(what).isEqualTo("no-store");
        // a refusal grants another site nothing
        assertThat(r.header("Access-Control-Allow-Origin")).as(what).isNull();
    }

    private static void assertProblem(String what, JsonObject problem, int status, String type) {
        assertThat(problem.getString("type")).as(what).isEqualTo(type);
        assertThat(problem.getInteger("status")).as(what).isEqualTo(status);
        // Dutch first, English second
        assertThat(problem.getString("title")).as(what).contains(" / ");
    }
}
