package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An integrator who reads the feed to its end and polls again from the last updatedAt misses no
 * change, also one whose transaction waited for a lock longer than the feed's safety lag before
 * it committed: its updatedAt (the transaction's start) was then older than changes the
 * integrator had already read past.
 */
@QuarkusTest
class FeedLateCommitTest {

    @Inject
    Db db;

    @Test
    void aForgetThatWaitedForTheRowIsNotPassedOver() throws Exception {
        String topic = TestTopics.create(db);
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        UUID old = UUID.randomUUID();
        db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, closed_at, updated_at) "
                + "values ($1, $2, 'closed', 'Geheime Naam', now() - interval '2 days', now() - interval '2 days', "
                + "now() - interval '1 day', now() - interval '1 day')", Tuple.of(old, topic)).await().indefinitely();
        var other = db.pool().getConnection().await().indefinitely();
        try {
            // another transaction holds the row (a long move, a lock queue): the forget waits for it
            other.query("begin").execute().await().indefinitely();
            other.query("set local idle_in_transaction_session_timeout = 0").execute().await().indefinitely();
            other.preparedQuery("select id from conversation where id = $1 for update").execute(Tuple.of(old)).await().indefinitely();
            CompletableFuture<Integer> forget = CompletableFuture.supplyAsync(() -> given().auth().oauth2(Api.adminToken())
                    .delete("/api/v1/admin/conversations/" + old + "/personal-data").statusCode());
            await().atMost(Duration.ofSeconds(20)).until(() -> db.query("select count(*) as n from pg_stat_activity "
                    + "where wait_event_type = 'Lock' and query like '%from conversation where id = $1 for update%' and pid <> pg_backend_pid()",
                    Tuple.tuple()).await().indefinitely().iterator().next().getLong("n") > 0);
            // a conversation that changes after the forget began, and is older than the safety lag (1 s in tests) when read
            UUID later = UUID.randomUUID();
            db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, updated_at) "
                    + "values ($1, $2, 'queued', 'Ander', now(), now(), now())", Tuple.of(later, topic)).await().indefinitely();
            await().atMost(Duration.ofSeconds(10)).until(() -> db.query("select now() > updated_at + interval '2 seconds' as past "
                    + "from conversation where id = $1", Tuple.of(later)).await().indefinitely().iterator().next().getBoolean("past"));

            // the integrator reads the feed to its end and keeps the last updatedAt, as docs/protocol.md says
            Map<String, JsonObject> seen = new HashMap<>();
            String last = read(integrator, topic, null, seen);
            other.query("rollback").execute().await().indefinitely();
            assertThat(forget.get(30, TimeUnit.SECONDS)).isEqualTo(204);

            // and polls again from there: the forgotten conversation comes again, without its name
            String from = last;
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                read(integrator, topic, from, seen);
                assertThat(seen.get(old.toString())).as("the forgotten conversation in a later poll").isNotNull();
                assertThat(seen.get(old.toString()).getValue("residentName")).isNull();
            });
        } finally {
            other.close().await().indefinitely();
        }
    }

    /** Reads the feed to its end, keeping the last sighting of each conversation; the last updatedAt seen, or {@code from}. */
    private static String read(String token, String topic, String from, Map<String, JsonObject> seen) {
        String cursor = null;
        String last = from;
        do {
            var request = given().auth().oauth2(token).queryParam("topic", topic);
            if (from != null) {
                request.queryParam("updatedSince", from);
            }
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonObject page = new JsonObject(request.get("/api/v1/conversations").then().statusCode(200).extract().asString());
            for (Object o : page.getJsonArray("items")) {
                JsonObject item = (JsonObject) o;
                seen.put(item.getString("id"), item);
                last = item.getString("updatedAt");
            }
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        return last;
    }
}
