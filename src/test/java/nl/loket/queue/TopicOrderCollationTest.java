package nl.loket.queue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Topics with the same sortOrder stand in id order everywhere: the resident's topic list (sorted
 * in Java), the admin's list in the console (sorted in JavaScript) and the boards and admin list
 * the database sorts. A database made with a language's collation (a glibc nl_NL or en_US locale
 * ignores '-' at first, as ICU with alternate=shifted does) sorted "q-z…" after "qa…" where the
 * others put it before; so the database sorts topic ids by their characters ({@code collate "C"}).
 */
@QuarkusTest
@TestProfile(TopicOrderCollationTest.Uncached.class)
class TopicOrderCollationTest {

    /** The test changes the topic id's collation under the running service: no prepared statement may outlive it. */
    public static class Uncached implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.cache-prepared-statements", "false");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    nl.loket.topic.TopicCatalog catalog;

    private void sql(String statement) {
        db.query(statement).await().atMost(Duration.ofSeconds(30));
    }

    private static List<String> ids(JsonArray list, List<String> wanted) {
        return list.stream().map(t -> ((JsonObject) t).getString("id")).filter(wanted::contains).toList();
    }

    @Test
    void theBoardsAndTheAdminListAgreeWithTheResidentsListUnderALanguageCollation() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String dashed = "q-z" + suffix; // by characters first: '-' comes before 'a'
        String plain = "qa" + suffix;
        List<String> both = List.of(dashed, plain);
        // the topic ids collate as in a database initialised with a Dutch locale that ignores punctuation at first
        sql("create collation if not exists loket_test_nl_shifted (provider = icu, locale = 'nl-NL-u-ka-shifted')");
        sql("alter table topic alter column id type text collate loket_test_nl_shifted");
        try {
            for (String id : both) {
                db.query("insert into topic (id, name_nl, name_en, sort_order, opening_hours) values ($1, $2, $3, -40, '{}')",
                        Tuple.of(id, "Test " + id, "Test " + id)).await().atMost(Duration.ofSeconds(10));
            }
            catalog.invalidate();
            // what the resident's topic list shows (sorted in Java, by characters)
            List<String> residents = ids(new JsonArray(RestAssured.given().get("/api/v1/topics").then().statusCode(200)
                    .extract().asString()), both);
            assertThat(residents).containsExactly(dashed, plain);

            List<String> admin = ids(new JsonArray(RestAssured.given().auth().oauth2(Api.adminToken())
                    .get("/api/v1/admin/topics").then().statusCode(200).extract().asString()), both);
            List<String> agentBoard;
            List<String> leadBoard;
            Api.Agent anne = Api.agent("Anne", List.of(plain, dashed), 3);
            Api.Agent sara = Api.user("Sara", List.of("supervisor"), List.of(plain), 3);
            try (WsClient agent = WsClient.connect(base, "/ws/agent", anne.token());
                 WsClient lead = WsClient.connect(base, "/ws/agent", sara.token())) {
                agent.next("hello");
                agentBoard = ids(agent.next("queues").getJsonArray("topics"), both);
                lead.next("hello");
                leadBoard = ids(lead.next("queues").getJsonArray("topics"), both);
            }
            assertThat(Map.of("admin's list", admin, "agent's board", agentBoard, "team lead's board", leadBoard))
                    .allSatisfy((where, order) -> assertThat(order).as(where).containsExactlyElementsOf(residents));
        } finally {
            sql("alter table topic alter column id type text collate \"default\"");
        }
    }
}
