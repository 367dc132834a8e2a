package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;

/**
 * Change-feed cursors are signed with a random secret of their own, stored in the database
 * (nl.loket.db.DatabaseConfigSourceTest shows it is there with key files too): a cursor made
 * with a guessable key is refused.
 */
@QuarkusTest
class FeedCursorKeyTest {

    @Inject
    Db db;

    @Test
    void cursorsAreSignedWithTheStoredSecretAndNothingElse() {
        String topic = TestTopics.create(db);
        db.query("insert into conversation (id, topic, state, queued_at, created_at, updated_at) "
                + "select gen_random_uuid(), $1, 'queued', now() - interval '1 hour', now() - interval '1 hour', "
                + "now() - interval '1 hour' + (g * interval '1 millisecond') from generate_series(1, 3) g", Tuple.of(topic))
                .await().indefinitely();
        String integrator = Api.user("Archief", List.of("integrator"), List.of(), 3).token();


        // a cursor the service issued takes the next page
        String cursor = given().auth().oauth2(integrator).queryParam("topic", topic).queryParam("limit", 1)
                .get("/api/v1/conversations").then().statusCode(200).extract().path("nextCursor");
        given().auth().oauth2(integrator).queryParam("topic", topic).queryParam("limit", 1).queryParam("cursor", cursor)
                .get("/api/v1/conversations").then().statusCode(200);

        // the key is a random secret kept in the database, not a constant anyone could sign with
        String secret = db.query("select value from loket_keys.secret where name = 'feed-cursor'")
                .map(rows -> rows.iterator().next().getString("value")).await().indefinitely();
        assertThat(secret).hasSizeGreaterThanOrEqualTo(40);
        String signingKey = db.query("select private_pem from loket_keys.signing_key where id = 1")
                .map(rows -> rows.iterator().next().getString("private_pem")).await().indefinitely();
        for (String guess : List.of("loket", signingKey)) {
            String forged = new FeedCursor(guess).encode(new FeedCursor.Position(Instant.EPOCH, new UUID(0, 0)));
            given().auth().oauth2(integrator).queryParam("cursor", forged).get("/api/v1/conversations")
                    .then().statusCode(400).body("errors.field", hasItem("cursor"));
        }
        String signedWithTheSecret = new FeedCursor(secret).encode(new FeedCursor.Position(Instant.EPOCH, new UUID(0, 0)));
        given().auth().oauth2(integrator).queryParam("cursor", signedWithTheSecret).get("/api/v1/conversations").then().statusCode(200);
    }
}
