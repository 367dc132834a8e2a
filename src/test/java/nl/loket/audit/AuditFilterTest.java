package nl.loket.audit;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

/** The administrator filters the audit log by actor, action and period (issue 12). */
@QuarkusTest
class AuditFilterTest {

    @Inject
    Db db;

    @Test
    void byActorActionAndPeriod() {
        String actor = "auditor-" + UUID.randomUUID().toString().substring(0, 8);
        UUID c = UUID.randomUUID();
        entry(actor, "read_transcript", "2026-11-30T08:00:00Z", c);
        entry(actor, "read_klantcontact", "2026-11-30T12:00:00Z", c);
        entry(actor, "read_transcript", "2026-12-01T08:00:00Z", null);
        entry("someone-else", "read_transcript", "2026-11-30T09:00:00Z", c);

        String admin = Api.adminToken();
        String audit = "/api/v1/admin/audit";
        given().auth().oauth2(admin).queryParam("actor", actor).get(audit).then().statusCode(200)
                .body("items.size()", equalTo(3)).body("items.actor", everyItem(equalTo(actor)));
        given().auth().oauth2(admin).queryParam("actor", actor).queryParam("action", "read_transcript").get(audit).then()
                .body("items.at", contains("2026-12-01T08:00:00Z", "2026-11-30T08:00:00Z"));
        // a period: from inclusive, to exclusive
        given().auth().oauth2(admin).queryParam("actor", actor).queryParam("from", "2026-11-30T00:00:00Z")
                .queryParam("to", "2026-11-30T12:00:00Z").get(audit).then()
                .body("items.action", contains("read_transcript")).body("items.conversationId", contains(c.toString()));
        given().auth().oauth2(admin).queryParam("actor", actor).queryParam("from", "2026-11-30T10:00:00Z").get(audit).then()
                .body("items.action", contains("read_transcript", "read_klantcontact"));
        given().auth().oauth2(admin).queryParam("conversationId", c.toString()).get(audit).then()
                .body("items.actor", hasItems(actor, "someone-else")).body("items.size()", equalTo(3));
        given().auth().oauth2(admin).queryParam("actor", actor).queryParam("limit", 1).get(audit).then().body("items.size()", equalTo(1));

        given().auth().oauth2(admin).queryParam("from", "gisteren").queryParam("to", "2026-11-30T00:00:00Z")
                .queryParam("conversationId", "geen-id").queryParam("limit", "alles").get(audit).then().statusCode(400)
                .body("errors.field", hasItems("from", "conversationId", "limit"))
                // in the words of the field's label in the console (Gesprek-id / Conversation id)
                .body("errors.find { it.field == 'conversationId' }.message", equalTo("geen gesprek-id / not a conversation id"));
        given().auth().oauth2(admin).queryParam("from", "2026-11-30T10:00:00Z").queryParam("to", "2026-11-30T09:00:00Z")
                .get(audit).then().statusCode(400).body("errors.field", hasItem("to"));
    }

    private void entry(String actor, String action, String at, UUID conversationId) {
        db.query("insert into audit (at, actor, role, action, conversation_id, detail) values ($1, $2, 'supervisor', $3, $4, $5)",
                Tuple.of(OffsetDateTime.parse(at), actor, action, conversationId, new JsonObject())).await().indefinitely();
    }
}
