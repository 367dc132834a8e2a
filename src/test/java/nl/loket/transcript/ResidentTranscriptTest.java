package nl.loket.transcript;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resident's own transcript carries only what is theirs: never the agent's closing summary,
 * the notes (nor how many there are), the agent's id or the confidential flag. Staff and
 * integrators keep the full transcript.
 */
@QuarkusTest
class ResidentTranscriptTest {

    private static final String SUMMARY = "intern: klant boos";
    private static final String NOTE = "notitie: verwezen naar balie";

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/openapi", management = true)
    java.net.URL openapi;

    @Inject
    Db db;

    /** A conversation an agent closed with an internal summary and the confidential flag, after writing a note. */
    private record Closed(String id, String residentToken, Api.Agent agent, List<JsonObject> residentFrames) {
    }

    private Closed closedWithSummaryAndNote() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Anne", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Jan");
        String id = started.getString("id");
        String residentToken = started.getString("token");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + id, residentToken);
             WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            resident.next("state");
            ws.next("hello");
            resident.send(frame("message", "clientMsgId", "m1", "text", "Mijn paspoort is verlopen"));
            resident.next("message");
            ws.send(frame("claim"));
            ws.next("assigned");
            ws.send(frame("note", "conversationId", id, "clientMsgId", "n1", "text", NOTE));
            ws.next(f -> "message".equals(f.getString("type")) && "note".equals(f.getString("from")));
            ws.send(frame("message", "conversationId", id, "clientMsgId", "a1", "text", "U kunt langskomen."));
            resident.next(f -> "message".equals(f.getString("type")) && "agent".equals(f.getString("from")));
            ws.send(frame("close", "conversationId", id, "outcome", "referred", "summary", SUMMARY, "confidential", true));
            // the closing system message and the closed state, in whichever order they come
            await().atMost(Duration.ofSeconds(10)).until(() -> resident.frames().stream().anyMatch(f -> "closed".equals(f.getString("state")))
                    && resident.frames().stream().anyMatch(f -> "system".equals(f.getString("from"))));
            return new Closed(id, residentToken, agent, resident.frames());
        }
    }

    @Test
    void theResidentsJsonTranscriptCarriesOnlyWhatIsTheirs() {
        Closed c = closedWithSummaryAndNote();
        // what the resident's socket said: no summary, note, agent id or confidential flag either
        assertThat(c.residentFrames().toString()).doesNotContain(SUMMARY, NOTE, c.agent().id(), "confidential", "summary");
        long seen = c.residentFrames().stream().filter(f -> "message".equals(f.getString("type"))).count();
        assertThat(seen).isEqualTo(3);

        // the raw body the resident receives
        String json = given().auth().oauth2(c.residentToken()).accept(ContentType.JSON)
                .get("/api/v1/conversations/" + c.id() + "/transcript").then().statusCode(200).extract().asString();
        assertThat(json).doesNotContain(SUMMARY, NOTE, c.agent().id(), "confidential", "summary", "internal", "agentId");
        JsonObject own = new JsonObject(json);
        JsonObject conversation = own.getJsonObject("conversation");
        assertThat(conversation.fieldNames()).doesNotContain("summary", "confidential", "agent", "agentId", "updatedAt");
        assertThat(conversation.getString("id")).isEqualTo(c.id());
        assertThat(conversation.getString("topicName")).isEqualTo("Test " + conversation.getString("topic"));
        assertThat(conversation.getString("residentName")).isEqualTo("Jan");
        assertThat(conversation.getString("state")).isEqualTo("closed");
        assertThat(conversation.getString("outcome")).isEqualTo("referred");
        assertThat(conversation.getString("closeReason")).isEqualTo("closed");
        assertThat(conversation.getString("agentName")).isEqualTo("Anne");
        assertThat(conversation.getString("queuedAt")).isNotNull();
        assertThat(conversation.getString("closedAt")).isNotNull();
        JsonArray messages = own.getJsonArray("messages");
        assertThat(messages.stream().map(m -> ((JsonObject) m).getString("from")).toList())
                .containsExactly("resident", "agent", "system");
        assertThat(conversation.getInteger("messageCount")).isEqualTo(messages.size()).isEqualTo((int) seen);
    }

    @Test
    void theResidentsTextTranscriptCarriesNeitherSummaryNorNoteInEitherLanguage() {
        Closed c = closedWithSummaryAndNote();
        for (String lang : List.of("nl", "en")) {
            String text = given().auth().oauth2(c.residentToken()).accept(ContentType.TEXT).queryParam("lang", lang)
                    .get("/api/v1/conversations/" + c.id() + "/transcript").then().statusCode(200).extract().asString();
            assertThat(text).as(lang).doesNotContain(SUMMARY, NOTE, c.agent().id(), "Samenvatting", "Summary", "notitie", "note")
                    .contains("Mijn paspoort is verlopen", "U kunt langskomen.", "Anne")
                    .contains("nl".equals(lang) ? "(doorverwezen)" : "(referred)");
        }
    }

    /** Another conversation's token is refused before its query is judged: a bad lang answered 400 to it, not 403. */
    @Test
    void anotherResidentsTokenIsRefusedWhateverItAsksFor() {
        Closed c = closedWithSummaryAndNote();
        String other = Api.start(TestTopics.create(db), "Piet").getString("token");
        for (String lang : List.of("nl", "xx")) {
            for (String path : List.of("/transcript", "/transcript.txt")) {
                given().auth().oauth2(other).accept(ContentType.TEXT).queryParam("lang", lang)
                        .get("/api/v1/conversations/" + c.id() + path).then().statusCode(403)
                        .contentType("application/problem+json");
            }
        }
    }

    @Test
    void staffAndIntegratorsKeepTheFullTranscript() {
        Closed closed = closedWithSummaryAndNote();
        String integrator = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        for (String token : List.of(integrator, closed.agent().token())) {
            JsonObject full = new JsonObject(given().auth().oauth2(token).accept(ContentType.JSON)
                    .get("/api/v1/conversations/" + closed.id() + "/transcript").then().statusCode(200).extract().asString());
            JsonObject c = full.getJsonObject("conversation");
            assertThat(c.getString("summary")).isEqualTo(SUMMARY);
            assertThat(c.getBoolean("confidential")).isTrue();
            assertThat(c.getJsonObject("agent").getString("id")).isEqualTo(closed.agent().id());
            assertThat(c.getJsonObject("agent").getString("name")).isEqualTo("Anne");
            assertThat(c.fieldNames()).containsAll(Set.of("updatedAt", "locale", "closeReason", "residentName"));
            assertThat(c.fieldNames()).doesNotContain("topicName", "agentName");
            assertThat(full.getJsonArray("messages")).hasSize(4);
            assertThat(c.getInteger("messageCount")).isEqualTo(4);
            assertThat(full.getJsonArray("messages").getJsonObject(1).getString("text")).isEqualTo(NOTE);
            assertThat(full.getJsonArray("messages").getJsonObject(1).getBoolean("internal")).isTrue();
            String text = given().auth().oauth2(token).accept(ContentType.TEXT)
                    .get("/api/v1/conversations/" + closed.id() + "/transcript").then().statusCode(200).extract().asString();
            assertThat(text).contains("Samenvatting: " + SUMMARY, "Interne notitie van Anne: " + NOTE);
        }
    }

    @Test
    void theResidentsReadOfTheirOwnConversationCarriesNothingInternalEither() {
        Closed c = closedWithSummaryAndNote();
        String json = given().auth().oauth2(c.residentToken()).accept(ContentType.JSON)
                .get("/api/v1/conversations/" + c.id()).then().statusCode(200).extract().asString();
        assertThat(json).doesNotContain(SUMMARY, NOTE, c.agent().id(), "confidential", "summary", "agentId", "updatedAt");
        JsonObject own = new JsonObject(json);
        assertThat(own.getString("id")).isEqualTo(c.id());
        assertThat(own.getString("state")).isEqualTo("closed");
        assertThat(own.getString("agentName")).isEqualTo("Anne");
        assertThat(own.getInteger("messageCount")).isEqualTo(3);
        // staff read the item as before: the agent with their id, the flag, a count with the note
        JsonObject item = new JsonObject(given().auth().oauth2(c.agent().token()).accept(ContentType.JSON)
                .get("/api/v1/conversations/" + c.id()).then().statusCode(200).extract().asString());
        assertThat(item.getJsonObject("agent").getString("id")).isEqualTo(c.agent().id());
        assertThat(item.getBoolean("confidential")).isTrue();
        assertThat(item.getInteger("messageCount")).isEqualTo(4);
        assertThat(item.fieldNames()).contains("updatedAt").doesNotContain("summary", "agentName", "topicName");
    }

    @Test
    void theOpenApiDocumentDescribesTheResidentsTranscriptApartFromStaffs() {
        JsonObject doc = new JsonObject(given().accept("application/json").get(openapi).then().statusCode(200).extract().asString());
        JsonObject json = doc.getJsonObject("paths").getJsonObject("/api/v1/conversations/{id}/transcript").getJsonObject("get")
                .getJsonObject("responses").getJsonObject("200").getJsonObject("content").getJsonObject("application/json");
        JsonArray oneOf = json.getJsonObject("schema").getJsonArray("oneOf");
        assertThat(oneOf).as("the 200 is one of staff's transcript and the resident's").isNotNull();
        assertThat(oneOf.stream().map(r -> ((JsonObject) r).getString("$ref")).toList())
                .containsExactlyInAnyOrder("#/components/schemas/Transcript", "#/components/schemas/ResidentTranscript");
        JsonObject schemas = doc.getJsonObject("components").getJsonObject("schemas");
        assertThat(schemas.getJsonObject("ResidentTranscript").getString("description")).isNotBlank();
        Set<String> resident = schemas.getJsonObject("ResidentConversation").getJsonObject("properties").fieldNames();
        assertThat(resident).contains("id", "topic", "topicName", "state", "messageCount", "agentName", "closeReason")
                .doesNotContain("summary", "confidential", "agent", "agentId", "updatedAt");
        assertThat(schemas.getJsonObject("ResidentTranscriptMessage").getJsonObject("properties").fieldNames()).doesNotContain("internal");
        JsonObject one = doc.getJsonObject("paths").getJsonObject("/api/v1/conversations/{id}").getJsonObject("get")
                .getJsonObject("responses").getJsonObject("200").getJsonObject("content").getJsonObject("application/json");
        JsonArray either = one.getJsonObject("schema").getJsonArray("oneOf");
        assertThat(either).as("one conversation is staff's item or the resident's own").isNotNull();
        assertThat(either.stream().map(r -> ((JsonObject) r).getString("$ref")).toList())
                .containsExactlyInAnyOrder("#/components/schemas/ConversationItem", "#/components/schemas/ResidentConversation");
        // the staff one stays as it was
        assertThat(schemas.getJsonObject("ConversationItem").getJsonObject("properties").fieldNames())
                .contains("summary", "confidential", "agent", "messageCount", "updatedAt", "locale", "closeReason");
    }
}
