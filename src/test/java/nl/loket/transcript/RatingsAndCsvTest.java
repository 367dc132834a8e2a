package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import nl.loket.security.TokenService;
import nl.loket.topic.OpeningHours;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

/** Satisfaction (KCM, issue 12): the residents' comments in the team lead's view and in a CSV that is safe to open. */
@QuarkusTest
class RatingsAndCsvTest {

    static final String COMMENT = "Lang gewacht, maar goed geholpen; \"prima\"";
    static final String FORMULA = "=HYPERLINK(\"http://x\")";

    @Inject
    Db db;

    @Inject
    TokenService tokens;

    @Test
    void ratingsWithCommentsPerTopicAndPeriodAsJsonAndCsv() {
        String topic = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent sara = Api.user("Sara", List.of("supervisor"), List.of(topic), 3);

        UUID kees = closedConversation(topic, anne.id());
        UUID lies = closedConversation(topic, anne.id());
        UUID bart = closedConversation(topic, anne.id());
        // a rating counts on the day it was given: read before and after, both days if midnight came in between
        String from = LocalDate.now(OpeningHours.ZONE).toString();
        rate(kees, 2, COMMENT);
        rate(lies, 4, FORMULA);
        rate(bart, 5, null);
        String to = LocalDate.now(OpeningHours.ZONE).toString();

        String path = "/api/v1/ratings";
        given().auth().oauth2(sara.token()).queryParam("from", from).queryParam("to", to).queryParam("topic", topic)
                .get(path).then().statusCode(200)
                .body("count", equalTo(3))
                .body("average", equalTo(3.7f))
                .body("distribution.'2'", equalTo(1))
                .body("distribution.'4'", equalTo(1))
                .body("distribution.'5'", equalTo(1))
                .body("distribution.'1'", equalTo(0))
                .body("items.comment", hasItems(COMMENT, FORMULA))
                .body("items.find { it.conversationId == '" + kees + "' }.score", equalTo(2))
                .body("items.find { it.conversationId == '" + kees + "' }.topic", equalTo(topic))
                .body("items.find { it.conversationId == '" + kees + "' }.agent.name", equalTo("Anne"))
                .body("items.find { it.conversationId == '" + kees + "' }.ratedAt", notNullValue());

        String csv = given().auth().oauth2(sara.token()).accept("text/csv")
                .queryParam("from", from).queryParam("to", to).queryParam("topic", topic)
                .get(path).then().statusCode(200).contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .extract().asString();
        assertThat(csv).startsWith("conversationId,topic,score,comment,ratedAt,agentName\r\n");
        assertThat(csv).contains(kees + "," + topic + ",2,\"Lang gewacht, maar goed geholpen; \"\"prima\"\"\",");
        assertThat(csv).contains(",4,\"'=HYPERLINK(\"\"http://x\"\")\",");
        assertThat(csv).contains(bart + "," + topic + ",5,,");
        assertThat(csv.split("\r\n")).hasSize(4);

        // another period has none of them
        given().auth().oauth2(sara.token()).queryParam("from", "2020-01-01").queryParam("to", "2020-01-31").queryParam("topic", topic)
                .get(path).then().statusCode(200).body("count", equalTo(0)).body("average", org.hamcrest.Matchers.nullValue());

        // comments are residents' words: each read is in the audit log
        given().auth().oauth2(Api.adminToken()).queryParam("actor", sara.username()).queryParam("action", "read_ratings")
                .get("/api/v1/admin/audit").then().statusCode(200)
                .body("items.detail.format", hasItems("json", "csv"))
                .body("items.role", hasItem("supervisor"));
    }

    @Test
    void badPeriodsAndOtherRoles() {
        String sara = Api.user("Sara", List.of("supervisor"), List.of(), 3).token();
        given().auth().oauth2(sara).queryParam("from", "2026-10-25").queryParam("to", "2026-10-24").get("/api/v1/ratings")
                .then().statusCode(400).body("errors.field", hasItem("to"));
        given().auth().oauth2(sara).get("/api/v1/ratings").then().statusCode(400).body("errors.field", hasItems("from", "to"));
        // an unknown topic is a field error, as on /api/v1/stats/hourly, not "0 beoordelingen"
        given().auth().oauth2(sara).queryParam("from", "2026-10-24").queryParam("to", "2026-10-24").queryParam("topic", "paspoort")
                .get("/api/v1/ratings").then().statusCode(400).body("errors.field", hasItem("topic"));
        given().auth().oauth2(Api.agent("Ed", List.of("afval"), 3).token()).queryParam("from", "2026-10-24").queryParam("to", "2026-10-24")
                .get("/api/v1/ratings").then().statusCode(403);
        given().auth().oauth2(Api.adminToken()).queryParam("from", "2026-10-24").queryParam("to", "2026-10-24")
                .get("/api/v1/ratings").then().statusCode(200);
    }

    @Test
    void csvCellsAreQuotedAndDefused() {
        assertThat(Csv.cell("=1+1")).isEqualTo("'=1+1");
        assertThat(Csv.cell("+31 6")).isEqualTo("'+31 6");
        assertThat(Csv.cell("-")).isEqualTo("'-");
        assertThat(Csv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
        assertThat(Csv.cell("a,b")).isEqualTo("\"a,b\"");
        assertThat(Csv.cell("regel\nnog een")).isEqualTo("\"regel\nnog een\"");
        assertThat(Csv.cell("=\"x\"")).isEqualTo("\"'=\"\"x\"\"\"");
        assertThat(Csv.cell(null)).isEmpty();
        assertThat(Csv.row("a", null, "b")).isEqualTo("a,,b\r\n");
    }

    private UUID closedConversation(String topic, String agentId) {
        UUID id = UUID.randomUUID();
        db.query("""
                insert into conversation (id, topic, state, resident_name, created_at, queued_at, first_assigned_at, assigned_at,
                                          assigned_agent, closed_at, close_reason, outcome, updated_at)
                values ($1, $2, 'closed', 'Kees', now() - interval '10 minutes', now() - interval '10 minutes',
                        now() - interval '9 minutes', now() - interval '9 minutes', $3, now() - interval '1 minute', 'closed',
                        'answered', now())""", Tuple.of(id, topic, UUID.fromString(agentId))).await().indefinitely();
        db.query("insert into assignment (conversation_id, agent_id, assigned_at, ended_at, end_reason) "
                        + "values ($1, $2, now() - interval '9 minutes', now() - interval '1 minute', 'closed')",
                Tuple.of(id, UUID.fromString(agentId))).await().indefinitely();
        return id;
    }

    /** As the resident does it, with the token of their conversation. */
    private void rate(UUID conversation, int score, String comment) {
        given().auth().oauth2(tokens.resident(conversation)).contentType(ContentType.JSON)
                .body(comment == null ? Map.of("score", score) : Map.of("score", score, "comment", comment))
                .post("/api/v1/conversations/" + conversation + "/rating").then().statusCode(204);
    }
}
