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
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A callback offer whose reason stopped holding is withdrawn (docs/protocol.md §4): a resident
 * offered a callback because nobody was on duty is not left reading "no agent available" next
 * to "you are next" once an agent is there. What the widget makes of it is tested in the widget.
 */
@QuarkusTest
class OfferWithdrawnTest {

    /** The offer stays at least OfferTold.MIN_SHOWN (10 s), then the next place (at most 5 s later) withdraws it. */
    static final Duration WITHDRAWN_WITHIN = Duration.ofSeconds(30);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Test
    void anAgentComingOnDutyWithdrawsTheNoAgentsOffer() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, null);
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            assertThat(resident.next("state").getValue("estimatedWaitSeconds")).isNull();
            assertThat(resident.next("callback_offer").getString("reason")).isEqualTo("no_agents");

            try (WsClient agent = WsClient.connect(base, "/ws/agent", Api.agent("Noor", List.of(topic), 2).token())) {
                agent.next("hello");
                // the wait is known now (a free slot: nothing to wait for), and the reason for the offer is gone
                resident.next(f -> "state".equals(f.getString("type")) && Integer.valueOf(0).equals(f.getInteger("estimatedWaitSeconds")));
                JsonObject withdrawn = resident.next(WsClient.type("callback_offer_withdrawn"), WITHDRAWN_WITHIN);
                assertThat(withdrawn.getString("reason")).isEqualTo("no_agents");
                assertThat(resident.frames("callback_offer")).hasSize(1);
            }
        }
    }

    @Test
    void aResidentWhoReconnectsWhenNoReasonHoldsHearsThatNoOfferStands() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, null);
        String path = "/ws/resident/" + started.getString("id");
        try (WsClient resident = WsClient.connect(base, path, started.getString("token"))) {
            resident.next("state");
            assertThat(resident.next("callback_offer").getString("reason")).isEqualTo("no_agents");
        }
        // while the resident's connection is down (a tunnel), an agent comes on duty
        try (WsClient agent = WsClient.connect(base, "/ws/agent", Api.agent("Ruben", List.of(topic), 2).token())) {
            agent.next("hello");
            try (WsClient again = WsClient.connect(base, path, started.getString("token"))) {
                JsonObject state = again.next("state");
                assertThat(state.getInteger("estimatedWaitSeconds")).isEqualTo(0);
                // right after the state: the offer the widget still shows from before the drop no longer stands
                JsonObject none = again.next("callback_offer_withdrawn");
                assertThat(again.frames().indexOf(none)).isEqualTo(again.frames().indexOf(state) + 1);
                assertThat(none.containsKey("reason")).isFalse();
                assertThat(again.frames("callback_offer")).isEmpty();
            }
        }
    }
}
