package nl.loket;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/** Two agents racing: one wins, the other hears so; nobody gets a conversation twice, none is lost. */
@QuarkusTest
class ClaimRaceTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void twoAgentsRacingForOneConversationNeverBothGetIt() {
        String topic = TestTopics.create(db);
        Api.Agent a = Api.agent("Ada", List.of(topic), 3);
        Api.Agent b = Api.agent("Bob", List.of(topic), 3);
        try (WsClient wa = WsClient.connect(base, "/ws/agent", a.token()); WsClient wb = WsClient.connect(base, "/ws/agent", b.token())) {
            wa.next("hello");
            wb.next("hello");
            int rounds = 40;
            for (int i = 0; i < rounds; i++) {
                String id = Api.start(topic, null).getString("id");
                wa.send(frame("claim", "conversationId", id, "ref", "a" + i));
                wb.send(frame("claim", "conversationId", id, "ref", "b" + i));
                String ref = "" + i;
                JsonObject ra = wa.next(f -> ("assigned".equals(f.getString("type")) && id.equals(f.getJsonObject("conversation").getString("id")))
                        || ("error".equals(f.getString("type")) && ("a" + ref).equals(f.getString("ref"))));
                JsonObject rb = wb.next(f -> ("assigned".equals(f.getString("type")) && id.equals(f.getJsonObject("conversation").getString("id")))
                        || ("error".equals(f.getString("type")) && ("b" + ref).equals(f.getString("ref"))));
                List<String> outcomes = List.of(ra.getString("type"), rb.getString("type"));
                assertThat(outcomes).containsExactlyInAnyOrder("assigned", "error");
                JsonObject loser = "error".equals(ra.getString("type")) ? ra : rb;
                assertThat(loser.getString("code")).isEqualTo("already_claimed");
                WsClient winner = loser == ra ? wb : wa;
                winner.send(frame("close", "conversationId", id, "outcome", "answered"));
                winner.next(f -> "ended".equals(f.getString("type")) && id.equals(f.getString("conversationId")));
            }
            assertThat(assignments(topic)).isEqualTo(rounds);
        }
    }

    @Test
    void twoAgentsTakingTheNextOneSplitTheQueueWithoutDoubles() {
        String topic = TestTopics.create(db);
        Api.Agent a = Api.agent("Cor", List.of(topic), 20);
        Api.Agent b = Api.agent("Dirk", List.of(topic), 20);
        int waiting = 30;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < waiting; i++) {
            ids.add(Api.start(topic, null).getString("id"));
        }
        try (WsClient wa = WsClient.connect(base, "/ws/agent", a.token()); WsClient wb = WsClient.connect(base, "/ws/agent", b.token())) {
            wa.next("hello");
            wb.next("hello");
            // each agent asks for half, interleaved, so they race for the same head of the queue
            for (int i = 0; i < waiting / 2; i++) {
                wa.send(frame("claim", "topic", topic, "ref", "a" + i));
                wb.send(frame("claim", "topic", topic, "ref", "b" + i));
            }
            List<String> got = new ArrayList<>();
            int errors = 0;
            for (WsClient ws : List.of(wa, wb)) {
                for (int i = 0; i < waiting / 2; i++) {
                    JsonObject f = ws.next(x -> "assigned".equals(x.getString("type")) || "error".equals(x.getString("type")));
                    if ("assigned".equals(f.getString("type"))) {
                        got.add(f.getJsonObject("conversation").getString("id"));
                    } else {
                        errors++;
                    }
                }
            }
            assertThat(got).doesNotHaveDuplicates();
            assertThat(new HashSet<>(got)).isEqualTo(ids);
            // a claim for "the next one" fails only when nothing is waiting, and here something always was
            assertThat(errors).isZero();
        }
    }

    private long assignments(String topic) {
        return db.query("select count(*) as n from assignment a join conversation c on c.id = a.conversation_id where c.topic = $1",
                Tuple.of(topic)).map(r -> r.iterator().next().getLong("n")).await().indefinitely();
    }
}
