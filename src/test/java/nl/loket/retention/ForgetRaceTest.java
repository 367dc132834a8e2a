package nl.loket.retention;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A request to be forgotten that meets a message on its way into the conversation. Was a bug: the
 * request's one statement took its snapshot before it waited for the conversation's row, so a
 * message committed while it waited kept its text; when the chat was closed in that wait too, the
 * request marked it purged, and no retention run ever took the text.
 */
@QuarkusTest
class ForgetRaceTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    AgroalDataSource jdbc;

    @Inject
    Retention retention;

    @Test
    void aMessageCommittedWhileTheRequestWaitsIsRemovedWithIt() throws Exception {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Fenna", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Eva de Vries");
        String id = started.getString("id");
        String admin = Api.adminToken();
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            ws.send(frame("claim"));
            ws.next("assigned");
            try (Connection post = jdbc.getConnection()) {
                post.setAutoCommit(false);
                // the resident's message, stored by the message path's own statement and not yet committed: it holds the row
                try (PreparedStatement s = post.prepareStatement(
                        "select outcome from loket_post(?::uuid, 'resident', 'resident', null, null, 'r1', ?, null, null, ?)")) {
                    s.setString(1, id);
                    s.setString(2, "Ik woon op Dorpsstraat 12 in Ons Dorp");
                    s.setString(3, db.node());
                    s.executeQuery();
                }
                // the agent closes the chat: the close waits for the row
                ws.send(frame("close", "conversationId", id, "outcome", "answered"));
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(this::waitingForAConversation, n -> n >= 1);
                // the request to be forgotten comes in after it, and waits as well
                CompletableFuture<Response> forget = CompletableFuture.supplyAsync(() -> given().auth().oauth2(admin)
                        .delete("/api/v1/admin/conversations/" + id + "/personal-data").then().extract().response());
                await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20)).until(this::waitingForAConversation, n -> n >= 2);
                post.commit();
                ws.next("ended");
                assertThat(forget.get().statusCode()).isEqualTo(204);
            }
        }
        // written before the request was carried out: gone now
        assertThat(texts(id)).noneMatch(t -> t != null && t.contains("Dorpsstraat"));
        // and not left for a retention run that would skip a conversation marked purged
        retention.purge(Instant.now().plus(Duration.ofDays(29))).await().indefinitely();
        assertThat(texts(id)).noneMatch(t -> t != null && t.contains("Dorpsstraat"));
    }

    /** Statements that wait for a lock on a conversation row now. */
    private long waitingForAConversation() {
        return db.query("select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and query like '%conversation%'")
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    private List<String> texts(String id) {
        return db.query("select text from message where conversation_id = $1::uuid order by seq", Tuple.of(UUID.fromString(id)))
                .map(rows -> {
                    List<String> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(r.getString("text"));
                    }
                    return list;
                }).await().indefinitely();
    }
}
