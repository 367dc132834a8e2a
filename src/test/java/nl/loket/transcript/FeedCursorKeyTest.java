package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.util.KeyUtils;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.common.Db;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.hamcrest.Matchers.hasItem;

/**
 * With the token keys in files (not generated in the database), change-feed cursors are still
 * signed with a secret of their own, stored in the database: a cursor made with a guessable key
 * is refused.
 */
@QuarkusTest
@TestProfile(FeedCursorKeyTest.KeyFiles.class)
class FeedCursorKeyTest {

    /**
     * A key pair in files, as an operator who brings their own keys configures it. The database
     * config source decides from the environment, before a test profile's overrides apply, so
     * the locations are system properties while this class runs.
     */
    public static class KeyFiles implements QuarkusTestProfile {
        static final List<String> PROPERTIES = List.of("mp.jwt.verify.publickey.location", "smallrye.jwt.sign.key.location");

        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair pair = generator.generateKeyPair();
                Path dir = Files.createTempDirectory("loket-keys-");
                Path publicFile = Files.writeString(dir.resolve("public.pem"), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
                Path privateFile = Files.writeString(dir.resolve("private.pem"), pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
                System.setProperty(PROPERTIES.get(0), publicFile.toUri().toString());
                System.setProperty(PROPERTIES.get(1), privateFile.toUri().toString());
                return Map.of(PROPERTIES.get(0), publicFile.toUri().toString(), PROPERTIES.get(1), privateFile.toUri().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        private static String pem(String type, byte[] der) {
            return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }

    @Inject
    Db db;

    @AfterAll
    static void forgetKeyFiles() {
        KeyFiles.PROPERTIES.forEach(System::clearProperty);
    }

    @Test
    void cursorsAreSignedWithAStoredSecretEvenWithKeyFiles() {
        String topic = TestTopics.create(db);
        db.query("insert into conversation (id, topic, state, queued_at, created_at, updated_at) "
                + "select gen_random_uuid(), $1, 'queued', now() - interval '1 hour', now() - interval '1 hour', "
                + "now() - interval '1 hour' + (g * interval '1 millisecond') from generate_series(1, 3) g", Tuple.of(topic))
                .await().indefinitely();
        String integrator = Api.user("Archief", List.of("integrator"), List.of(), 3).token();

        // the tokens are signed with the key from the file
        assertThatCode(() -> new DefaultJWTParser().verify(integrator, KeyUtils.decodePublicKey(
                Files.readString(Path.of(URI.create(System.getProperty(KeyFiles.PROPERTIES.get(0)))))))).doesNotThrowAnyException();

        // a cursor the service issued takes the next page
        String cursor = given().auth().oauth2(integrator).queryParam("topic", topic).queryParam("limit", 1)
                .get("/api/v1/conversations").then().statusCode(200).extract().path("nextCursor");
        given().auth().oauth2(integrator).queryParam("topic", topic).queryParam("limit", 1).queryParam("cursor", cursor)
                .get("/api/v1/conversations").then().statusCode(200);

        // the key is a random secret kept in the database, not a constant anyone could sign with
        String secret = db.query("select value from loket_keys.secret where name = 'feed-cursor'")
                .map(rows -> rows.iterator().next().getString("value")).await().indefinitely();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        String forged = new FeedCursor("loket").encode(new FeedCursor.Position(Instant.EPOCH, new UUID(0, 0)));
        given().auth().oauth2(integrator).queryParam("cursor", forged).get("/api/v1/conversations")
                .then().statusCode(400).body("errors.field", hasItem("cursor"));
        String signedWithTheSecret = new FeedCursor(secret).encode(new FeedCursor.Position(Instant.EPOCH, new UUID(0, 0)));
        given().auth().oauth2(integrator).queryParam("cursor", signedWithTheSecret).get("/api/v1/conversations").then().statusCode(200);
    }
}
