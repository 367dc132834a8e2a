package nl.loket.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.LogCapture;
import nl.loket.TestTopics;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every refusal of the API is a problem (docs/protocol.md §1) that a person reading it in a
 * browser's network tab or an integrator's log can act on, Dutch first, and carries the same
 * security headers as every other answer: a bare status with an empty body says nothing, and
 * one without {@code no-store} may be kept in a browser's cache.
 */
@QuarkusTest
class RefusalsTest {

    private static final String OTHER_SITE = "https://evil.example";

    @TestHTTPResource("/")
    URI base;

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

    /** A body sent in chunks, with no length declared, that grows past the limit (64 KiB in tests too). */
    @Test
    void aChunkedBodyOverTheLimitIsAProblemToo() throws IOException {
        try (LogCapture logs = new LogCapture(); Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/api/v1/conversations", "").getBytes(StandardCharsets.ISO_8859_1));
            // 70 KiB and then no more: the answer must come without the body's end
            for (int i = 0; i < 70; i++) {
                writeChunk(out, " ".repeat(1024).getBytes(StandardCharsets.ISO_8859_1));
            }
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            String head = answer.substring(0, answer.indexOf("\r\n\r\n")).toLowerCase(Locale.ROOT);
            assertThat(head).startsWith("http/1.1 413").contains("content-type: application/problem+json")
                    .contains("x-content-type-options: nosniff").contains("cache-control: no-store");
            String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
            if (head.contains("transfer-encoding: chunked")) {
                body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("}") + 1);
            }
            JsonObject problem = new JsonObject(body);
            assertProblem("chunked body", problem, 413, "/problems/body-too-large");
            assertThat(problem.getString("detail")).contains("64 KiB");
            // the closed connection was reported as a failed request, an ERROR on every such body
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                    assertThat(logs.atLeast(Level.SEVERE)).extracting(LogCapture::describe).isEmpty());
        }
    }

    /**
     * The same way within the limit, in chunks that split a letter's bytes: the endpoint reads
     * it as ever, byte for byte (the name comes back in the resident's transcript as sent).
     */
    @Test
    void aChunkedBodyWithinTheLimitReachesTheEndpointUnchanged() throws IOException {
        String name = "Zoë van Bijlevëld-Çelik";
        byte[] json = ("{\"topic\":\"" + TestTopics.create() + "\",\"name\":\"" + name + "\"}").getBytes(StandardCharsets.UTF_8);
        int split = indexOf(json, "ë".getBytes(StandardCharsets.UTF_8)) + 1;
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("POST", "/api/v1/conversations", "Connection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            writeChunk(out, Arrays.copyOfRange(json, 0, split));
            writeChunk(out, Arrays.copyOfRange(json, split, json.length));
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = readAnswer(socket.getInputStream());
            assertThat(answer).startsWith("HTTP/1.1 201");
            JsonObject started = new JsonObject(answer.substring(answer.indexOf("{"), answer.lastIndexOf("}") + 1));
            assertThat(Api.transcript(started).getJsonObject("conversation").getString("residentName")).isEqualTo(name);
        }
    }

    /** A GET is answered as ever, even with a body in chunks past the limit: it reads none. */
    @Test
    void aGetWithABodyInChunksIsAnsweredAsEver() throws IOException {
        try (Socket socket = connect()) {
            OutputStream out = socket.getOutputStream();
            out.write(head("GET", "/api/v1/topics", "Connection: close\r\n").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 70; i++) {
                writeChunk(out, " ".repeat(1024).getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(readAnswer(socket.getInputStream())).startsWith("HTTP/1.1 200");
        }
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
        socket.setSoTimeout(15_000);
        return socket;
    }

    /** A request's head that says its JSON body comes in chunks, without a length. */
    private String head(String method, String path, String moreHeaders) {
        return method + " " + path + " HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort() + "\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n" + moreHeaders + "\r\n";
    }

    private static void writeChunk(OutputStream out, byte[] data) throws IOException {
        out.write((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    private static int indexOf(byte[] data, byte[] part) {
        for (int i = 0; i + part.length <= data.length; i++) {
            if (Arrays.equals(data, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not in the data");
    }

    /** Until the server closes the connection (it does after a body too large). */
    private static String readAnswer(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return all.toString(StandardCharsets.UTF_8);
    }

    private static void assertProblem(String what, JsonObject problem, int status, String type) {
        assertThat(problem.getString("type")).as(what).isEqualTo(type);
        assertThat(problem.getInteger("status")).as(what).isEqualTo(status);
        // Dutch first, English second
        assertThat(problem.getString("title")).as(what).contains(" / ");
    }
}
