package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * A cursor continues the feed it was issued for: sent with other filters it mixed two feeds
 * (the rest of topic a, then topic b's conversations past a's position, as if they were a's).
 * It is refused naming {@code cursor}; sent alone, or with the same filters, it continues its own.
 */
@QuarkusTest
class FeedCursorFiltersTest {

    private static final String SINCE = "2001-01-01T00:00:00Z";

    @Inject
    Db db;

    @Test
    void aCursorIsRefusedWithOtherFiltersAndContinuesItsOwnFeedAlone() {
        String a = TestTopics.create(db);
        String b = TestTopics.create(db);
        // three closed conversations of a, then three of b, all older than the feed's bound
        for (String topic : List.of(a, b)) {
            db.query("insert into conversation (id, topic, state, queued_at, created_at, closed_at, updated_at) "
                    + "select gen_random_uuid(), $1, 'closed', now() - interval '3 hours', now() - interval '3 hours', "
                    + "now() - interval '2 hours', now() - interval '2 hours' + ($2 * interval '1 minute') + (g * interval '1 millisecond') "
                    + "from generate_series(1, 3) g", Tuple.of(topic, topic.equals(a) ? 0 : 1)).await().indefinitely();
        }
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        JsonObject first = page(integrator, Map.of("topic", a, "updatedSince", SINCE, "limit", "2"));
        assertThat(first.getJsonArray("items")).hasSize(2);
        String cursor = first.getString("nextCursor");
        assertThat(cursor).isNotNull();

        // another topic, no updatedSince where there was one, another one, another state: a different feed
        for (Map<String, String> other : List.of(
                Map.of("topic", b, "updatedSince", SINCE),
                Map.of("topic", a, "updatedSince", "2001-01-01T00:00:01Z"),
                Map.of("topic", a, "updatedSince", SINCE, "state", "closed"))) {
            var request = given().auth().oauth2(integrator).queryParam("cursor", cursor).queryParam("limit", 2);
            other.forEach(request::queryParam);
            request.get("/api/v1/conversations").then().statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("/problems/validation")).body("errors.field", hasItem("cursor"))
                    .body("errors.find { it.field == 'cursor' }.message", startsWith("Deze cursor hoort bij"));
        }

        // the same filters (the same instant written with an offset, the limit may change): the rest of a
        List<String> rest = topics(page(integrator, Map.of("cursor", cursor, "topic", a, "updatedSince", "2001-01-01T01:00:00+01:00",
                "limit", "5")));
        assertThat(rest).containsExactly(a);
        // the cursor alone (or with a blank filter, which is none): the rest of a, not every topic past its position
        JsonObject alone = page(integrator, Map.of("cursor", cursor, "limit", "5"));
        assertThat(topics(alone)).containsExactly(a);
        assertThat(alone.getString("nextCursor")).isNull();
        assertThat(topics(page(integrator, Map.of("cursor", cursor, "topic", " ", "limit", "5")))).containsExactly(a);
    }

    /** A cursor without filters refuses one given later, so that nobody narrows a feed halfway and takes it for whole. */
    @Test
    void aCursorOfTheWholeFeedRefusesAFilterAddedLater() {
        String a = TestTopics.create(db);
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        String cursor = page(integrator, Map.of("limit", "1")).getString("nextCursor");
        assertThat(cursor).isNotNull();
        given().auth().oauth2(integrator).queryParam("cursor", cursor).queryParam("topic", a).get("/api/v1/conversations")
                .then().statusCode(400).body("errors.field", hasItem("cursor"));
        given().auth().oauth2(integrator).queryParam("cursor", cursor).queryParam("state", "queued").get("/api/v1/conversations")
                .then().statusCode(400).body("errors.field", hasItem("cursor"));
        given().auth().oauth2(integrator).queryParam("cursor", cursor).get("/api/v1/conversations").then().statusCode(200);
    }

    private static JsonObject page(String token, Map<String, String> params) {
        var request = given().auth().oauth2(token);
        params.forEach(request::queryParam);
        return new JsonObject(request.get("/api/v1/conversations").then().statusCode(200).extract().asString());
    }

    private static List<String> topics(JsonObject page) {
        return page.getJsonArray("items").stream().map(o -> ((JsonObject) o).getString("topic")).distinct().toList();
    }
}
