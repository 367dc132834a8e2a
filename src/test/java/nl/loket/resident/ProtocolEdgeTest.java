package nl.loket.resident;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Frames at the edge of the protocol: null, oversized, odd query parameters. Nothing is lost or misread. */
@QuarkusTest
class ProtocolEdgeTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void aNullFrameIsABadRequestAndDoesNotLeaveTheQueue() {
        JsonObject started = Api.start(TestTopics.create(db), "Els");
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            assertThat(resident.next("state").getString("state")).isEqualTo("queued");
            List<String> refused = List.of("null", "[]", "42",
                    // a frame is an object: the type-in-an-array form a JSON library may also read is refused
                    "[\"leave\", {}]",
                    "[\"message\", {\"clientMsgId\": \"a1\", \"text\": \"hallo\"}]",
                    // a key given twice is refused, not read as whichever of the two a parser keeps
                    "{\"type\": \"leave\", \"type\": \"message\", \"clientMsgId\": \"a2\", \"text\": \"hallo\"}");
            for (String frame : refused) {
                resident.sendRaw(frame);
                assertThat(resident.next("error").getString("code")).as(frame).isEqualTo("bad_request");
            }
            assertThat(state(started.getString("id"))).isEqualTo("queued");
            assertThat(resident.isOpen()).isTrue();
        }
    }

    @Test
    void aNullAgentFrameIsABadRequestAndTheConnectionStays() {
        Api.Agent agent = Api.agent("Ria", List.of(TestTopics.create(db)), 2);
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            ws.sendRaw("null");
            assertThat(ws.next("error").getString("code")).isEqualTo("bad_request");
            ws.sendRaw("{\"type\":\"claim\",\"ref\":7}");
            JsonObject error = ws.next("error");
            assertThat(error.getString("code")).isEqualTo("nothing_waiting");
            assertThat(error.getString("ref")).isEqualTo("7");
            assertThat(ws.isOpen()).isTrue();
        }
    }

    @Test
    void aFrameOverTheTransportLimitClosesWith1009NotAnInternalError() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            resident.sendRaw("{\"type\":\"message\",\"clientMsgId\":\"huge\",\"text\":\"" + "z".repeat(70_000) + "\"}");
            assertThat(resident.awaitClosed().getCode()).isEqualTo(1009);
            assertThat(resident.frames("error")).noneMatch(f -> "internal".equals(f.getString("code")));
        }
    }

    @Test
    void afterMustBeAPlainNumberAndIsReadOnce() {
        JsonObject started = Api.start(TestTopics.create(db), null);
        String path = "/ws/resident/" + started.getString("id");
        String token = started.getString("token");
        assertThat(WsClient.upgradeStatus(base, path + "?after=%2B5", token, null)).isEqualTo(400);
        assertThat(WsClient.upgradeStatus(base, path + "?after=-1", token, null)).isEqualTo(400);
        assertThat(WsClient.upgradeStatus(base, path + "?after=1&after=2", token, null)).isEqualTo(400);
        assertThat(WsClient.upgradeStatus(base, path + "?after=0", token, null)).isEqualTo(101);
    }

    @Test
    void anAfterBeyondTheConversationsMessagesHoldsNothingBack() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Ria", List.of(topic), 2);
        JsonObject started = Api.start(topic, null);
        String id = started.getString("id");
        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + id + "?after=50", started.getString("token"))) {
            console.next("hello");
            resident.next("state");
            console.send(frame("claim", "conversationId", id));
            console.next("assigned");
            console.send(frame("message", "conversationId", id, "clientMsgId", "a-1", "text", "Goedemorgen"));
            // seq 1, far below 50: held back as already seen before
            assertThat(resident.next("message").getInteger("seq")).isEqualTo(1);
        }
    }

    @Test
    void theParserAcceptsDigitsOnly() {
        assertThat(After.parse(null)).isEmpty();
        assertThat(After.parse("x=1")).isEmpty();
        assertThat(After.parse("after=12")).contains(12);
        assertThatThrownBy(() -> After.parse("after=%2B5")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> After.parse("after=1e3")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> After.parse("after=")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> After.parse("after=9999999999")).isInstanceOf(IllegalArgumentException.class);
    }

    private String state(String id) {
        return db.query("select state from conversation where id = $1::uuid", io.vertx.mutiny.sqlclient.Tuple.of(id))
                .map(r -> r.iterator().next().getString("state")).await().indefinitely();
    }
}
