package nl.loket.resident;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** The resident's {@code leave} frame (docs/protocol.md §4): queued → abandoned, active → closed. */
@QuarkusTest
class LeaveTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void aQueuedResidentWhoLeavesIsAbandonedAndTheQueueMovesUp() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Lotte", List.of(topic), 3);
        JsonObject leaving = Api.start(topic, "Eerste");
        JsonObject staying = Api.start(topic, "Tweede");

        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient first = WsClient.connect(base, "/ws/resident/" + leaving.getString("id"), leaving.getString("token"));
             WsClient second = WsClient.connect(base, "/ws/resident/" + staying.getString("id"), staying.getString("token"))) {
            console.next("hello");
            console.next(f -> "queues".equals(f.getString("type")) && waiting(f) == 2);
            assertThat(first.next("state").getInteger("position")).isEqualTo(1);
            assertThat(second.next("state").getInteger("position")).isEqualTo(2);

            first.send(frame("leave"));

            JsonObject abandoned = first.next(f -> "state".equals(f.getString("type")) && !"queued".equals(f.getString("state")));
            assertThat(abandoned.getString("state")).isEqualTo("abandoned");
            assertThat(abandoned.getString("reason")).isEqualTo("resident_left");
            assertThat(abandoned.containsKey("position")).isFalse();
            second.next(f -> "state".equals(f.getString("type")) && Integer.valueOf(1).equals(f.getInteger("position")));
            console.next(f -> "queues".equals(f.getString("type")) && waiting(f) == 1);

            // nothing more can be said in it, and no agent can take it: the next claim gets the one who stayed
            first.send(frame("message", "clientMsgId", "m-1", "text", "Toch nog een vraag"));
            assertThat(first.next("error").getString("code")).isEqualTo("conversation_ended");
            console.send(frame("claim", "conversationId", leaving.getString("id"), "ref", "c1"));
            JsonObject refused = console.next("error");
            assertThat(refused.getString("code")).isEqualTo("already_claimed");
            assertThat(refused.getString("ref")).isEqualTo("c1");
            console.send(frame("claim", "topic", topic));
            assertThat(console.next("assigned").getJsonObject("conversation").getString("id")).isEqualTo(staying.getString("id"));

            JsonObject conversation = Api.transcript(leaving).getJsonObject("conversation");
            assertThat(conversation.getString("state")).isEqualTo("abandoned");
            assertThat(conversation.getString("closeReason")).isEqualTo("resident_left");
        }
    }

    @Test
    void anActiveResidentWhoLeavesClosesTheConversationAndTheAgentIsTold() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Mees", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Noor");
        String id = started.getString("id");

        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"))) {
            console.next("hello");
            resident.next("state");
            console.send(frame("claim"));
            console.next("assigned");
            resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));
            resident.send(frame("message", "clientMsgId", "m-1", "text", "Dank u, ik weet genoeg."));
            console.next(f -> "m-1".equals(f.getString("clientMsgId")));

            resident.send(frame("leave"));

            JsonObject closed = resident.next(f -> "state".equals(f.getString("type")) && !"active".equals(f.getString("state")));
            assertThat(closed.getString("state")).isEqualTo("closed");
            assertThat(closed.getString("reason")).isEqualTo("resident_left");
            JsonObject ended = console.next("ended");
            assertThat(ended.getString("conversationId")).isEqualTo(id);
            assertThat(ended.getString("reason")).isEqualTo("resident_left");

            // the agent can no longer write in it; a second leave changes nothing
            console.send(frame("message", "conversationId", id, "clientMsgId", "a-1", "text", "Tot ziens", "ref", "x1"));
            JsonObject refused = console.next("error");
            assertThat(refused.getString("code")).isEqualTo("not_assigned");
            assertThat(refused.getString("ref")).isEqualTo("x1");
            resident.send(frame("leave"));
            resident.send(frame("message", "clientMsgId", "m-2", "text", "Nog één ding"));
            assertThat(resident.next("error").getString("code")).isEqualTo("conversation_ended");
            assertThat(resident.frames("state")).filteredOn(f -> "closed".equals(f.getString("state"))).hasSize(1);
            assertThat(resident.frames("message")).noneMatch(f -> "a-1".equals(f.getString("clientMsgId")));

            JsonObject conversation = Api.transcript(started).getJsonObject("conversation");
            assertThat(conversation.getString("state")).isEqualTo("closed");
            assertThat(conversation.getString("closeReason")).isEqualTo("resident_left");
            // a conversation the resident left is closed like any other: they may rate it
            given().auth().oauth2(started.getString("token")).contentType(ContentType.JSON).body(Map.of("score", 4))
                    .post("/api/v1/conversations/" + id + "/rating").then().statusCode(204);
        }
    }

    private static int waiting(JsonObject queues) {
        return queues.getJsonArray("topics").getJsonObject(0).getInteger("waiting");
    }
}
