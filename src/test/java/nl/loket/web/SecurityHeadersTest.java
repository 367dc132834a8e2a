package nl.loket.web;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a browser is told about the pages and files Loket serves: a script policy for the console
 * and the demo page, no framing of the console, no sniffing or referrers anywhere, and caching
 * that never keeps an old console or widget.
 */
@QuarkusTest
class SecurityHeadersTest {

    @Inject
    Db db;

    @Test
    void theConsoleAllowsOnlyItsOwnFilesAndNoFraming() {
        Response page = given().get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        String policy = page.header("Content-Security-Policy");
        assertThat(policy).contains("script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "object-src 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval", "*");
        assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
        assertCommonHeaders(page);
        assertRevalidated(page, "/console/");
        assertRevalidated(given().get("/console/index.html"), "/console/index.html");
        assertThat(inlineScripts(page.asString())).as("inline scripts in the console page").isZero();

        // the files the page names carry a content hash and may be kept for a year
        Matcher asset = Pattern.compile("(?:src|href)=\"\\./(assets/[^\"]+)\"").matcher(page.asString());
        int assets = 0;
        while (asset.find()) {
            Response file = given().get("/console/" + asset.group(1));
            assertThat(file.statusCode()).isEqualTo(200);
            assertThat(file.header("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
            assertThat(file.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assets++;
        }
        assertThat(assets).as("hashed assets named by the console page").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theDemoPageRunsNoInlineScriptAndTheWidgetRevalidates() {
        Response page = given().get("/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("script-src 'self'", "style-src 'self'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        String html = page.asString();
        assertThat(inlineScripts(html)).isZero();
        assertThat(html).doesNotContain("<style", " style=", " onclick=", " onload=");
        assertCommonHeaders(page);
        assertRevalidated(page, "/");

        Response widget = given().get("/widget/loket-widget.js");
        assertThat(widget.statusCode()).isEqualTo(200);
        assertCommonHeaders(widget);
        assertRevalidated(widget, "/widget/loket-widget.js");
        Response css = given().get("/demo.css");
        assertThat(css.statusCode()).isEqualTo(200);
        assertRevalidated(css, "/demo.css");
    }

    @Test
    void theApiToldNotToSniffNorToSendReferrers() {
        assertCommonHeaders(given().get("/api/v1/topics"));
        assertCommonHeaders(given().get("/api/v1/admin/users"));
    }

    /**
     * Strict-Transport-Security only over https: this node trusts no proxy (no
     * quarkus.http.proxy.* here), so a client's own {@code X-Forwarded-Proto: https} is plain http
     * like any other request (StrictTransportSecurityTest: behind the trusted proxy).
     */
    @Test
    void noStrictTransportSecurityOverPlainHttpNorForAnUntrustedForwardedHttps() {
        assertThat(given().get("/console/").header("Strict-Transport-Security")).isNull();
        assertThat(given().get("/api/v1/topics").header("Strict-Transport-Security")).isNull();
        Response claimed = given().header("X-Forwarded-Proto", "https").get("/api/v1/topics");
        assertThat(claimed.statusCode()).isEqualTo(200);
        assertCommonHeaders(claimed);
        assertThat(claimed.header("Strict-Transport-Security")).isNull();
    }

    /**
     * What carries a resident's or a colleague's data (a transcript, a callback request with its
     * phone number, a token) is kept by no browser or proxy cache: the disk cache of a library
     * computer held a transcript after the tab was closed, past the 15 minutes the token may read it.
     */
    @Test
    void personalDataIsKeptInNoCache() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, "Kees Cachevrij");
        String path = "/api/v1/conversations/" + started.getString("id");
        assertNotStored(given().auth().oauth2(started.getString("token")).accept("application/json").get(path + "/transcript"), 200);
        assertNotStored(given().auth().oauth2(started.getString("token")).accept("text/plain").get(path + "/transcript.txt"), 200);
        Response callback = given().contentType("application/json")
                .body(Map.of("topic", topic, "phone", "0612345678", "name", "Kees Cachevrij"))
                .post("/api/v1/callbacks");
        assertNotStored(callback, 201);
        assertNotStored(given().auth().oauth2(callback.path("token").toString()).get("/api/v1/callbacks/" + callback.path("id")), 200);
        String agent = Api.agent("Agent Cachevrij", List.of(topic), 1).token();
        assertNotStored(given().auth().oauth2(agent).get("/api/v1/callbacks"), 200);
        assertNotStored(given().contentType("application/json")
                .body(Map.of("username", "admin", "password", "test-admin-password")).post("/api/v1/auth/token"), 200);
        assertNotStored(given().auth().oauth2(Api.adminToken()).get("/api/v1/admin/users"), 200);
        // an error too: a problem may name what was asked for
        assertNotStored(given().get(path + "/transcript"), 401);
    }

    private static void assertNotStored(Response r, int status) {
        assertThat(r.statusCode()).isEqualTo(status);
        assertThat(r.header("Cache-Control")).as("Cache-Control").isEqualTo("no-store");
        assertCommonHeaders(r);
    }

    private static void assertCommonHeaders(Response r) {
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("Referrer-Policy")).isEqualTo("no-referrer");
    }

    /** Kept, but asked about before each use: a conditional request is answered 304. */
    private static void assertRevalidated(Response r, String path) {
        assertThat(r.header("Cache-Control")).as(path).isEqualTo("no-cache");
        String lastModified = r.header("Last-Modified");
        assertThat(lastModified).as(path + " Last-Modified").isNotNull();
        given().header("If-Modified-Since", lastModified).get(path).then().statusCode(304);
    }

    private static int inlineScripts(String html) {
        Matcher scripts = Pattern.compile("<script\\b([^>]*)>", Pattern.CASE_INSENSITIVE).matcher(html);
        int inline = 0;
        while (scripts.find()) {
            if (!scripts.group(1).contains("src=")) {
                inline++;
            }
        }
        return inline;
    }
}
