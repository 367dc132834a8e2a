package nl.loket;

import io.vertx.mutiny.sqlclient.Tuple;
import nl.loket.platform.Db;

import java.time.Duration;
import java.util.UUID;

/** Each test works on topics of its own, so queues of other tests never get in the way. */
public final class TestTopics {

    private TestTopics() {
    }

    public static String create(Db db) {
        String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
        db.query("insert into topic (id, name_nl, name_en, sort_order, opening_hours) values ($1, $2, $3, 100, '{}')",
                Tuple.of(id, "Test " + id, "Test " + id)).await().atMost(Duration.ofSeconds(10));
        return id;
    }
}
