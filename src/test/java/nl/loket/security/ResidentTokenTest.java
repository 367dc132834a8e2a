package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.WsClient;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Resident tokens are HS256 under the resident key (key id "resident"); staff tokens stay RS256.
 * Each key only works with its own algorithm and a resident-key token only with the resident role.
 */
@QuarkusTest
class ResidentTokenTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aNewResidentTokenIsAnHmacUnderTheResidentKeyAndOpensItsConversation() {
        JsonObject started = Api.start("afval", null);
        String id = started.getString("id");
        String token = started.getString("token");

        JsonObject header = header(token);
        assertThat(header.getString("alg")).isEqualTo("HS256");
        assertThat(header.getString("kid")).isEqualTo("resident");
        assertThat(opens(id, token)).isTrue();
        // and it opens that conversation only
        String other = Api.start("afval", null).getString("id");
        assertThat(WsClient.upgradeStatus(base, "/ws/resident/" + other, token, null)).isEqualTo(403);
    }

    @Test
    void aResidentTokenIssuedBeforeRs256StillOpensItsConversation() {
        String id = Api.start("afval", null).getString("id");
        String old = resident(id).sign(); // Loket's RSA key, no key id: the form issued until now
        assertThat(header(old).getString("alg")).isEqualTo("RS256");
        assertThat(opens(id, old)).isTrue();
    }

    @Test
    void anHs256TokenKeyedWithThePublicKeyIsRefused() {
        String id = Api.start("afval", null).getString("id");
        String pem = ConfigProvider.getConfig().getValue("mp.jwt.verify.publickey", String.class);
        byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
        for (byte[] publicBytes : List.of(pem.getBytes(StandardCharsets.UTF_8), der)) {
            SecretKey confused = new SecretKeySpec(publicBytes, "HmacSHA256");
            String withKid = resident(id).jws().keyId("resident").algorithm(SignatureAlgorithm.HS256).sign(confused);
            String withoutKid = resident(id).jws().algorithm(SignatureAlgorithm.HS256).sign(confused);
            assertThat(opens(id, withKid)).isFalse();
            assertThat(opens(id, withoutKid)).isFalse();
        }
    }

    @Test
    void theResidentKeyIdOnlyWorksWithTheResidentKeyAndAlgorithm() {
        String id = Api.start("afval", null).getString("id");
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String otherKey = resident(id).jws().keyId("resident").algorithm(SignatureAlgorithm.HS256)
                .sign(new SecretKeySpec(random, "HmacSHA256"));
        String rsaUnderResidentKid = resident(id).jws().keyId("resident").sign(); // RS256 with Loket's own private key
        assertThat(opens(id, otherKey)).isFalse();
        assertThat(opens(id, rsaUnderResidentKid)).isFalse();
    }

    @Test
    void theResidentKeyCannotMakeAStaffToken() {
        Api.Agent agent = Api.agent("Sem", List.of("afval"), 1);
        SecretKey residentKey = new SecretKeySpec(Base64.getDecoder().decode(
                ConfigProvider.getConfig().getValue("loket.tokens.resident-secret", String.class)), "HmacSHA256");
        JwtClaimsBuilder staff = Jwt.issuer("loket").audience("loket").subject(agent.id()).upn(agent.username())
                .groups(Set.of("agent"));
        String forged = staff.jws().keyId("resident").algorithm(SignatureAlgorithm.HS256).sign(residentKey);
        given().auth().oauth2(forged).get("/api/v1/queue").then().statusCode(401);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", forged, null)).isEqualTo(401);
        // the agent's own token (RS256) passes the same door
        given().auth().oauth2(agent.token()).get("/api/v1/queue").then().statusCode(200);
    }

    private boolean opens(String id, String token) {
        int upgrade = WsClient.upgradeStatus(base, "/ws/resident/" + id, token, null);
        int transcript = given().auth().oauth2(token).get("/api/v1/conversations/" + id + "/transcript").statusCode();
        assertThat(upgrade == 101).as("socket %s and transcript %s agree", upgrade, transcript).isEqualTo(transcript == 200);
        return upgrade == 101;
    }

    private static JwtClaimsBuilder resident(String id) {
        return Jwt.issuer("loket").audience("loket").subject(id).upn("resident:" + id).groups(Set.of("resident"));
    }

    private static JsonObject header(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8));
    }

    @Test
    void aResidentTokenThatIsExpiredForeignOrTamperedWithOpensNothing() {
        String id = Api.start("afval", null).getString("id");
        long now = java.time.Instant.now().getEpochSecond();
        SecretKey key = residentKey();
        java.util.function.Function<JwtClaimsBuilder, String> sign =
                b -> b.jws().keyId("resident").algorithm(SignatureAlgorithm.HS256).sign(key);

        // the same claims, signed the same way, pass: what is refused below is what differs
        assertThat(opens(id, sign.apply(resident(id).expiresAt(now + 600)))).isTrue();

        assertThat(opens(id, sign.apply(resident(id).issuedAt(now - 7200).expiresAt(now - 3600)))).as("expired").isFalse();
        assertThat(opens(id, sign.apply(resident(id).issuedAt(now + 3600).expiresAt(now + 7200)))).as("issued in the future").isFalse();
        assertThat(opens(id, sign.apply(Jwt.issuer("elders").audience("loket").subject(id).upn("resident:" + id)
                .groups(Set.of("resident")).expiresAt(now + 600)))).as("another issuer").isFalse();
        assertThat(opens(id, sign.apply(Jwt.issuer("loket").audience("zaaksysteem").subject(id).upn("resident:" + id)
                .groups(Set.of("resident")).expiresAt(now + 600)))).as("another audience").isFalse();

        // a valid token of another conversation with this conversation's id put in its claims
        String other = Api.start("afval", null).getString("token");
        String[] parts = other.split("\\.");
        JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        claims.put("sub", id).put("upn", "resident:" + id);
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        assertThat(opens(id, tampered)).as("claims changed after signing").isFalse();
        assertThat(opens(id, parts[0] + "." + parts[1] + ".")).as("no signature").isFalse();
    }

    private static SecretKey residentKey() {
        return new SecretKeySpec(Base64.getDecoder().decode(
                ConfigProvider.getConfig().getValue("loket.tokens.resident-secret", String.class)), "HmacSHA256");
    }
}
