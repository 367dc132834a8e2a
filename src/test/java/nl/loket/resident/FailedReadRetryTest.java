package nl.loket.resident;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.Metrics;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.platform.Signal;
import nl.loket.platform.Signals;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.UUID;
import java.util.function.Predicate;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The read a resync asks for fails once (the database is not quite back): it is read again, so
 * the messages whose notifications were lost reach both sides although nothing else happens in
 * the conversation. Before, the flag that asked for the read was gone with the failure, and they
 * waited for the conversation's next change.
 */
@QuarkusTest
class FailedReadRetryTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Signals signals;

    @Inject
    MeterRegistry registry;

    private double deliveryFailures() {
        return Metrics.failures(registry, "delivery");
    }

    @Test
    void aResyncWhoseReadFailsIsReadAgain() {
        try (Chat chat = chat()) {
            String id = chat.id();
            WsClient console = chat.console();
            WsClient resident = chat.resident();

            // stored as if by another node whose notifications this node missed (its listener was down): stored
            // under this node's own id, nothing reaches this node's connections
            post(id, "agent", chat.agent().id(), UUID.fromString(chat.agent().id()), "Ria", "lost-agent", "Bent u er nog?");
            post(id, "resident", "resident", null, null, "lost-resident", "Ja, ik ben er nog");

            // the listener is back and asks for a resync; the database still refuses the reads
            db.query("alter table message rename to message_away").await().atMost(Duration.ofSeconds(5));
            try {
                double failed = deliveryFailures();
                signals.deliver(new Signal.Resync());
                // both connections' reads failed (the resident's and the agent's) before the table is back
                await().atMost(Duration.ofSeconds(10)).until(() -> deliveryFailures() >= failed + 2);
            } finally {
                db.query("alter table message_away rename to message").await().atMost(Duration.ofSeconds(5));
            }
            // nothing else happens in the conversation
            resident.next(message("lost-agent"));
            resident.next(message("lost-resident"));
            console.next(message("lost-resident"));
            assertThat(console.frames("message")).extracting(f -> f.getString("clientMsgId")).containsOnlyOnce("lost-agent", "lost-resident");
        }
    }

    /**
     * A message whose statement committed but whose outcome was lost with its connection: the
     * sender heard a failure, nobody here delivered it, and a lone node notifies nobody. When the
     * sender sends it again (found stored: a duplicate), the conversation's connections read it.
     */
    @Test
    void aMessageStoredButNeverDeliveredArrivesWhenItsSenderSendsItAgain() {
        try (Chat chat = chat()) {
            String id = chat.id();
            WsClient console = chat.console();
            WsClient resident = chat.resident();

            post(id, "resident", "resident", null, null, "unknown-outcome", "Is mijn bericht aangekomen?");
            resident.send(frame("message", "clientMsgId", "unknown-outcome", "text", "Is mijn bericht aangekomen?"));
            console.next(message("unknown-outcome"));
            resident.next(message("unknown-outcome"));
        }
    }

    /** A conversation claimed by agent Ria, with her console and the resident's socket open. */
    private record Chat(String id, Api.Agent agent, WsClient console, WsClient resident) implements AutoCloseable {
        @Override
        public void close() {
            console.close();
            resident.close();
        }
    }

    private Chat chat() {
        String topic = TestTopics.create(db);
        Api.Chat chat = Api.chatAgentFirst(base, topic, "Ria", 2, "Els");
        Api.Agent agent = chat.agent();
        String id = chat.id();
        WsClient console = chat.console();
        WsClient resident = chat.resident();
        console.send(frame("claim", "conversationId", id));
        console.next("assigned");
        resident.next(f -> "state".equals(f.getString("type")) && "active".equals(f.getString("state")));
        return new Chat(id, agent, console, resident);
    }

    private static Predicate<JsonObject> message(String clientMsgId) {
        return f -> "message".equals(f.getString("type")) && clientMsgId.equals(f.getString("clientMsgId"));
    }

    private void post(String conversation, String from, String senderKey, UUID agentId, String agentName, String clientMsgId, String text) {
        db.query("select outcome from loket_post($1, $2, $3, $4, $5, $6, $7, null, null, $8)",
                        Tuple.tuple(Arrays.asList(UUID.fromString(conversation), from, senderKey, agentId, agentName, clientMsgId, text, db.node())))
                .await().atMost(Duration.ofSeconds(5));
    }
}
