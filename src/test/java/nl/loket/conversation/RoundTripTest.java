package nl.loket.conversation;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Storing a resident's message costs one round trip to PostgreSQL, and delivering it to the
 * agent on the same node costs none: counted with the statement counter around the database
 * client, with the timers switched off so nothing else talks to the database meanwhile.
 */
@QuarkusTest
@TestProfile(RoundTripTest.NoTimers.class)
class RoundTripTest {

    public static class NoTimers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.scheduler.enabled", "false");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void aResidentMessageCostsOneStatementAndItsDeliveryToTheAgentNone() throws Exception {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chatAgentFirst(base, topic, "Anne", 3, "Jan");
        String id = chat.id();
        try (WsClient agent = chat.console(); WsClient resident = chat.resident()) {
            agent.send(frame("claim", "topic", topic));
            agent.next("assigned");
            resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));
            settle();

            int messages = 20;
            long before = db.statements();
            for (int i = 1; i <= messages; i++) {
                resident.send(frame("message", "clientMsgId", "m-" + i, "text", "bericht " + i));
                // the sender's acknowledgement and the agent's copy, both from memory
                String cid = "m-" + i;
                resident.next(f -> "message".equals(f.getString("type")) && cid.equals(f.getString("clientMsgId")));
                agent.next(f -> "message".equals(f.getString("type")) && cid.equals(f.getString("clientMsgId")));
            }
            settle();
            long used = db.statements() - before;

            assertThat(used).as("statements for %d resident messages, delivered to the agent", messages)
                    .isLessThanOrEqualTo(2L * messages)
                    .isEqualTo(messages);
        }
    }

    /** Lets connect-time work (presence, boards) finish before counting. */
    private void settle() throws InterruptedException {
        long last = -1;
        while (last != db.statements()) {
            last = db.statements();
            Thread.sleep(500);
        }
    }
}
