package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/** The team lead looks up past conversations (issue 12) and opens one read-only; both are audited. */
@QuarkusTest
class ConversationSearchTest {

    @Inject
    Db db;

    @Test
    void byDayTopicOutcomeStateAndAgentNewestFirstAPageAtATime() {
        String topic = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent bram = Api.agent("Bram", List.of(topic), 3);
        Api.Agent sara = Api.user("Sara", List.of("supervisor"), List.of(topic), 3);
        // 23:30 Amsterdam on 1 December 2026 (CET) is 22:30 UTC: it belongs to the 1st
        UUID kees = conversation(topic, "Kees", "2026-12-01T22:30:00Z", "closed", "answered", anne.id());
        UUID lies = conversation(topic, "Lies", "2026-12-02T09:00:00Z", "closed", "referred", bram.id());
        UUID mo = conversation(topic, "Mo", "2026-12-02T10:00:00Z", "abandoned", null, null);
        UUID noor = conversation(topic, "Noor", "2026-12-02T23:30:00Z", "closed", "answered", anne.id()); // the 3rd

        String search = "/api/v1/conversations/search";
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-02").queryParam("topic", topic)
                .get(search).then().statusCode(200)
                .body("total", equalTo(3))
                .body("items.id", contains(mo.toString(), lies.toString(), kees.toString()))
                .body("items[2].residentName", equalTo("Kees"))
                .body("items[2].agent.name", equalTo("Anne"))
                .body("items[2].outcome", equalTo("answered"));
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03").queryParam("topic", topic)
                .queryParam("outcome", "answered").get(search).then().statusCode(200)
                .body("total", equalTo(2)).body("items.id", contains(noor.toString(), kees.toString()));
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03").queryParam("topic", topic)
                .queryParam("agentId", bram.id()).get(search).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(lies.toString()));
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03").queryParam("topic", topic)
                .queryParam("state", "abandoned").get(search).then().statusCode(200)
                .body("total", equalTo(1)).body("items[0].id", equalTo(mo.toString()));
        // pages: total stays, items are the page
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03").queryParam("topic", topic)
                .queryParam("limit", 2).queryParam("offset", 2).get(search).then().statusCode(200)
                .body("total", equalTo(4)).body("items.id", contains(lies.toString(), kees.toString()));

        // opening one read-only is the audited transcript read
        given().auth().oauth2(sara.token()).get("/api/v1/conversations/" + kees + "/transcript").then().statusCode(200)
                .body("conversation.residentName", equalTo("Kees"));
        given().auth().oauth2(Api.adminToken()).queryParam("actor", sara.username()).get("/api/v1/admin/audit").then().statusCode(200)
                .body("items.action", hasItems("search_conversations", "read_transcript"));
        // administrators may search and read too
        given().auth().oauth2(Api.adminToken()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-01").queryParam("topic", topic)
                .get(search).then().statusCode(200).body("total", equalTo(1));
        given().auth().oauth2(Api.adminToken()).get("/api/v1/conversations/" + kees + "/transcript").then().statusCode(200);
    }

    @Test
    void byExactConversationIdWhateverItsDayAndByAPartOfTheResidentsNameAuditedWithoutTheName() {
        String topic = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        Api.Agent sara = Api.user("Sara", List.of("supervisor"), List.of(topic), 3);
        UUID kees = conversation(topic, "Kees van Dam", "2025-03-04T10:00:00Z", "closed", "answered", anne.id());
        UUID keesje = conversation(topic, "Keesje", "2026-12-02T09:00:00Z", "closed", "referred", anne.id());
        conversation(topic, "Lies", "2026-12-02T10:00:00Z", "abandoned", null, null);
        // a name with the pattern signs of LIKE: they are letters, not wildcards
        UUID percent = conversation(topic, "100% Ria_", "2026-12-02T11:00:00Z", "abandoned", null, null);
        String search = "/api/v1/conversations/search";

        // the id from a CRM record finds its conversation without knowing the day it started
        given().auth().oauth2(sara.token()).queryParam("conversationId", kees.toString()).get(search).then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", contains(kees.toString()))
                .body("items[0].residentName", equalTo("Kees van Dam"));
        // in capitals, with spaces around it (pasted from a CRM): the same
        given().auth().oauth2(sara.token()).queryParam("conversationId", " " + kees.toString().toUpperCase() + " ").get(search).then()
                .statusCode(200).body("items.id", contains(kees.toString()));
        // an id nobody has: nothing found; not an id at all: a field error
        given().auth().oauth2(sara.token()).queryParam("conversationId", UUID.randomUUID().toString()).get(search).then().statusCode(200)
                .body("total", equalTo(0));
        given().auth().oauth2(sara.token()).queryParam("conversationId", "12345").get(search).then().statusCode(400)
                .body("errors.field", hasItem("conversationId"))
                // in the words of the field's label in the console (Gesprek-id / Conversation id)
                .body("errors.find { it.field == 'conversationId' }.message", equalTo("geen gesprek-id / not a conversation id"));
        // with a period as well, the period still counts
        given().auth().oauth2(sara.token()).queryParam("conversationId", kees.toString()).queryParam("from", "2026-12-01")
                .queryParam("to", "2026-12-02").get(search).then().statusCode(200).body("total", equalTo(0));

        // part of the name, in any case, within the period
        given().auth().oauth2(sara.token()).queryParam("from", "2025-01-01").queryParam("to", "2025-12-31").queryParam("topic", topic)
                .queryParam("residentName", "kees").get(search).then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", contains(kees.toString()));
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03").queryParam("topic", topic)
                .queryParam("residentName", "KEES").get(search).then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", contains(keesje.toString()));
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03").queryParam("topic", topic)
                .queryParam("residentName", "%").get(search).then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", contains(percent.toString()));
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03").queryParam("topic", topic)
                .queryParam("residentName", "_").get(search).then().statusCode(200)
                .body("total", equalTo(1)).body("items.id", contains(percent.toString()));
        given().auth().oauth2(sara.token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-03")
                .queryParam("residentName", "x".repeat(101)).get(search).then().statusCode(400).body("errors.field", hasItem("residentName"));

        // both searches are audited; the id is kept as the entry's conversation, a name is not kept at all
        String audit = given().auth().oauth2(Api.adminToken()).queryParam("actor", sara.username())
                .queryParam("action", "search_conversations").get("/api/v1/admin/audit").then().statusCode(200)
                .body("items.conversationId", hasItem(kees.toString()))
                .body("items.detail.residentName", hasItem(true))
                .extract().asString();
        org.assertj.core.api.Assertions.assertThat(audit).doesNotContainIgnoringCase("kees\"").doesNotContain("KEES");
    }

    @Test
    void pageSizeIsCappedAndFiltersChecked() {
        String sara = Api.user("Sara", List.of("supervisor"), List.of(), 3).token();
        String search = "/api/v1/conversations/search";
        given().auth().oauth2(sara).queryParam("from", "2026-12-01").queryParam("to", "2026-12-01").queryParam("limit", 101)
                .get(search).then().statusCode(400).body("errors.field", hasItem("limit"));
        given().auth().oauth2(sara).queryParam("from", "2026-12-01").queryParam("to", "2026-12-01").queryParam("outcome", "weet niet")
                .queryParam("agentId", "anne").queryParam("offset", -1).get(search).then().statusCode(400)
                .body("errors.field", hasItems("outcome", "agentId", "offset"));
        // an unknown topic is a bad filter like an unknown agent, not "0 conversations found"
        given().auth().oauth2(sara).queryParam("from", "2026-12-01").queryParam("to", "2026-12-01").queryParam("topic", "paspoort")
                .get(search).then().statusCode(400).body("errors.field", hasItem("topic"))
                .body("errors.message", hasItem("onbekend onderwerp / unknown topic"));
        given().auth().oauth2(sara).queryParam("to", "2026-12-01").get(search).then().statusCode(400).body("errors.field", hasItem("from"));
        // no whole number, or a day PostgreSQL cannot hold: a field error, not a 404 or a 500
        given().auth().oauth2(sara).queryParam("from", "2026-12-01").queryParam("to", "2026-12-01").queryParam("offset", "x")
                .queryParam("limit", "99999999999").get(search).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItems("offset", "limit"));
        given().auth().oauth2(sara).queryParam("from", "+300000-01-01").queryParam("to", "+300000-01-02").get(search).then()
                .statusCode(400).body("errors.field", hasItems("from", "to"));
        given().auth().oauth2(sara).queryParam("from", "-5000-01-01").queryParam("to", "2026-12-01").get(search).then()
                .statusCode(400).body("errors.field", hasItem("from"));
        given().auth().oauth2(sara).queryParam("from", "1950-01-01").queryParam("to", "1950-01-02").get(search).then().statusCode(200);
        given().auth().oauth2(Api.agent("Ed", List.of("afval"), 3).token()).queryParam("from", "2026-12-01").queryParam("to", "2026-12-01")
                .get(search).then().statusCode(403);
    }

    private UUID conversation(String topic, String name, String created, String state, String outcome, String agentId) {
        UUID id = UUID.randomUUID();
        OffsetDateTime at = OffsetDateTime.parse(created);
        db.query("""
                insert into conversation (id, topic, state, resident_name, created_at, queued_at, first_assigned_at, assigned_at,
                                          closed_at, outcome, updated_at)
                values ($1, $2, $3, $4, $5, $5, case when $6::uuid is null then null else $5 + interval '1 minute' end,
                        case when $6::uuid is null then null else $5 + interval '1 minute' end, $5 + interval '5 minutes', $7, now())""",
                Tuple.tuple(java.util.Arrays.asList(id, topic, state, name, at, agentId == null ? null : UUID.fromString(agentId), outcome)))
                .await().indefinitely();
        if (agentId != null) {
            db.query("insert into assignment (conversation_id, agent_id, assigned_at, ended_at, end_reason) values ($1, $2, $3, $3, 'closed')",
                    Tuple.of(id, UUID.fromString(agentId), at)).await().indefinitely();
        }
        return id;
    }
}
