package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every token names Loket as its audience, and a token signed with Loket's own key but meant
 * for another audience (or none) is refused: 401 on REST, a refused upgrade on a WebSocket.
 */
@QuarkusTest
class TokenAudienceTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void issuedTokensCarryTheAudience() {
        Api.Agent agent = Api.agent("Noor", List.of("afval"), 1);
        JsonObject resident = Api.start("afval", null);
        assertThat(audience(agent.token())).isEqualTo("loket");
        assertThat(audience(resident.getString("token"))).isEqualTo("loket");
    }

    @Test
    void aStaffTokenWithoutOrWithAnotherAudienceIsRefused() {
        Api.Agent agent = Api.agent("Daan", List.of("afval"), 1);
        UnaryOperator<JwtClaimsBuilder> staff = b -> b.subject(agent.id()).upn(agent.username()).groups(Set.of("agent"));

        // the same claims with the right audience pass, so what is refused below is the audience
        String right = staff.apply(Jwt.issuer("loket").audience("loket")).sign();
        given().auth().oauth2(right).get("/api/v1/queue").then().statusCode(200);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", right, null)).isEqualTo(101);

        for (String token : List.of(staff.apply(Jwt.issuer("loket")).sign(),
                staff.apply(Jwt.issuer("loket").audience("zaaksysteem")).sign())) {
            given().auth().oauth2(token).get("/api/v1/queue").then().statusCode(401);
            assertThat(WsClient.upgradeStatus(base, "/ws/agent", token, null)).isEqualTo(401);
        }
    }

    @Test
    void aResidentTokenWithoutTheAudienceOpensNothing() {
        String id = Api.start("afval", null).getString("id");
        String noAudience = Jwt.issuer("loket").subject(id).upn("resident:" + id).groups(Set.of("resident")).sign();
        assertThat(WsClient.upgradeStatus(base, "/ws/resident/" + id, noAudience, null)).isEqualTo(401);
        given().auth().oauth2(noAudience).get("/api/v1/conversations/" + id + "/transcript").then().statusCode(401);
    }

    private static String audience(String token) {
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
        Object aud = claims.getValue("aud");
        return aud instanceof io.vertx.core.json.JsonArray array ? array.getString(0) : (String) aud;
    }
}
