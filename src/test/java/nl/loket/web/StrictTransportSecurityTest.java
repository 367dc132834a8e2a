package nl.loket.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import nl.loket.BehindTheProxy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Behind a proxy that ends TLS, Loket itself tells browsers to come back over https only
 * (Strict-Transport-Security), on every answer to a request the trusted proxy says came over https:
 * pages, static files, problems and refusals alike. Never on plain http, and never because a client
 * that is no trusted proxy claims https for itself.
 */
@QuarkusTest
@TestProfile(BehindTheProxy.class)
class StrictTransportSecurityTest {

    static final String HSTS = "Strict-Transport-Security";
    /** The default of loket.security.hsts-max-age: a year. */
    static final String A_YEAR = "max-age=31536000";
    static final String SOMEONE_ELSE = "127.0.0.2";

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyAnswerOverHttpsFromTheTrustedProxyCarriesIt() {
        Response page = overHttps().get("/console/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.header(HSTS)).as("the console's page").isEqualTo(A_YEAR);
        Matcher asset = Pattern.compile("(?:src|href)=\"\\./(assets/[^\"]+)\"").matcher(page.asString());
        assertThat(asset.find()).as("an asset named by the console page").isTrue();
        assertHsts(overHttps().get("/console/" + asset.group(1)), 200, "a console asset");
        assertHsts(overHttps().get("/console/index.html"), 200, "the console's index");
        assertHsts(overHttps().get("/widget/loket-widget.js"), 200, "the widget");
        assertHsts(overHttps().get("/api/v1/topics"), 200, "the API");
        // problems and refusals too: a browser may meet Loket first through one of them
        assertHsts(overHttps().get("/api/v1/no-such-thing"), 404, "a 404 problem");
        assertHsts(overHttps().get("/api/v1/admin/users"), 401, "a 401 problem");
        assertHsts(overHttps().header("Origin", "https://elders.example").get("/api/v1/admin/users"), 403, "a cross-origin refusal");
    }

    @Test
    void noneOverPlainHttp() {
        Response plain = given().get("/api/v1/topics");
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.header(HSTS)).isNull();
        Response forwardedHttp = given().header("X-Forwarded-Proto", "http").get("/console/");
        assertThat(forwardedHttp.statusCode()).isEqualTo(200);
        assertThat(forwardedHttp.header(HSTS)).isNull();
        assertThat(given().get("/api/v1/no-such-thing").header(HSTS)).isNull();
    }

    @Test
    void noneWhenSomeoneWhoIsNoTrustedProxyClaimsHttps() throws IOException {
        String head = head(SOMEONE_ELSE, "/api/v1/topics");
        assertThat(head).startsWith("HTTP/1.1 200");
        assertThat(head.toLowerCase()).contains("x-content-type-options: nosniff").doesNotContain("strict-transport-security");
        // the same request from the trusted proxy does carry it
        assertThat(head(BehindTheProxy.PROXY, "/api/v1/topics").toLowerCase()).contains("strict-transport-security: " + A_YEAR);
    }

    private static RequestSpecification overHttps() {
        return given().header("X-Forwarded-Proto", "https").header("X-Forwarded-Port", "443");
    }

    private static void assertHsts(Response r, int status, String what) {
        assertThat(r.statusCode()).as(what).isEqualTo(status);
        assertThat(r.headers().getValues(HSTS)).as(what).containsExactly(A_YEAR);
    }

    /** A GET of {@code path} claiming {@code X-Forwarded-Proto: https}, on a bare socket from {@code from}; answers the response's head. */
    private String head(String from, String path) throws IOException {
        return BehindTheProxy.responseHead(from, base.getPort(), "GET " + path + " HTTP/1.1\r\nHost: loket.gemeente.nl\r\n"
                + "X-Forwarded-Proto: https\r\nX-Forwarded-Port: 443\r\nConnection: close\r\n\r\n");
    }
}
