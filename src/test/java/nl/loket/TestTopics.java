package nl.loket;

import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import nl.loket.platform.Db;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** Each test works on topics of its own, so queues of other tests never get in the way. */
public final class TestTopics {

    private TestTopics() {
    }

    /** A topic created the way an administrator does, over REST; open because the test profile opens every topic. */
    public static String create() {
        String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(Api.adminToken()).contentType(ContentType.JSON)
                .body(Map.of("id", id, "nameNl", "Test " + id, "nameEn", "Test " + id, "openingHours", Map.of()))
                .post("/api/v1/admin/topics").then().statusCode(201);
        return id;
    }

    public static String create(Db db) {
        String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
        db.query("insert into topic (id, name_nl, name_en, sort_order, opening_hours) values ($1, $2, $3, 100, '{}')",
                Tuple.of(id, "Test " + id, "Test " + id)).await().atMost(Duration.ofSeconds(10));
        return id;
    }
}
