package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.json.JsonObject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An open socket ends when its token does (found in review: with tokens of 5 s, the agent's
 * socket still claimed and both sides still chatted a minute later, while the API and a new
 * socket refused the same tokens).
 */
@QuarkusTest
@TestProfile(TokenExpiryTest.ShortTokens.class)
class TokenExpiryTest {

    public static class ShortTokens implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.tokens.staff-lifetime", "8s", "loket.tokens.resident-lifetime", "8s");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void aSocketIsClosedWhenItsTokenExpires() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Kees", List.of(topic), 2);
        JsonObject started = Api.start(topic, "Els");
        long opened = System.nanoTime();
        try (WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            console.next("hello");
            resident.next("state");
            console.send(frame("claim", "conversationId", started.getString("id")));
            console.next("assigned");

            CloseReason agentClosed = console.awaitClosed();
            CloseReason residentClosed = resident.awaitClosed();
            assertThat(agentClosed.getCode()).isEqualTo(1008);
            assertThat(agentClosed.getMessage()).isEqualTo("Authentication expired");
            assertThat(residentClosed.getCode()).isEqualTo(1008);
            // not before the token ran out
            assertThat((System.nanoTime() - opened) / 1_000_000).isGreaterThan(5_000);
        }
    }
}
