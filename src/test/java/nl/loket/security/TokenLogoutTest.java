package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.CloseReason;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.ClusterListener;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.platform.Signal;
import nl.loket.platform.Signals;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * "Uitloggen" ends the session on the server: POST /api/v1/auth/logout revokes the token it is
 * sent with (that one only), on every node; its sockets close; a node that missed the signal,
 * or starts afresh, still refuses it (the database decides).
 */
@QuarkusTest
class TokenLogoutTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Signals signals;

    @Inject
    ClusterListener listener;

    @Inject
    Failures failures;

    private static void refused(String token, String path) {
        given().auth().oauth2(token).get(path).then().statusCode(401)
                .contentType(startsWith("application/problem+json")).body("status", equalTo(401));
    }

    private static JsonObject claims(String token) {
        return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void aLoggedOutTokenIsRefusedAndItsSocketClosedWhileTheSameUsersOtherLoginGoesOn() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Lotte", List.of(topic), 3);
        String otherWorkstation = Api.login(agent.username(), "password-" + agent.username());
        // every token Loket issues has an id of its own: the logout revokes by it
        assertThat(claims(agent.token()).getString("jti")).isNotBlank().isNotEqualTo(claims(otherWorkstation).getString("jti"));
        given().auth().oauth2(agent.token()).get("/api/v1/queue").then().statusCode(200);

        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token());
             WsClient other = WsClient.connect(base, "/ws/agent", otherWorkstation)) {
            ws.next("hello");
            other.next("hello");

            given().auth().oauth2(agent.token()).post("/api/v1/auth/logout").then().statusCode(204);

            refused(agent.token(), "/api/v1/queue");
            CloseReason closed = ws.awaitClosed();
            assertThat(closed.getCode()).isEqualTo(1008);
            assertThat(closed.getMessage()).isEqualTo("logged out");
            assertThat(WsClient.upgradeStatus(base, "/ws/agent", agent.token(), null)).isEqualTo(401);
            // a second logout with the same token: the token is no longer accepted at all
            given().auth().oauth2(agent.token()).post("/api/v1/auth/logout").then().statusCode(401);

            // the same account's other session is untouched
            given().auth().oauth2(otherWorkstation).get("/api/v1/queue").then().statusCode(200);
            // the Logout reached the account's every connection on this node before the first one closed
            assertThat(other.isOpen()).isTrue();
        }
        try (WsClient again = WsClient.connect(base, "/ws/agent", otherWorkstation)) {
            again.next("hello");
        }
    }

    @Test
    void aNodeThatMissedTheLogoutOrStartsAfreshStillRefusesTheToken() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Mees", List.of(topic), 3);
        JsonObject claims = claims(agent.token());
        String tokenId = claims.getString("jti");
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");

            // another node's logout whose notification this node never heard: the row alone, its trigger not fired
            db.tx(tx -> tx.query("set local session_replication_role = replica", Tuple.tuple())
                    .chain(() -> tx.query("insert into revoked_token (token_id, user_id, expires_at) values ($1, $2, $3)",
                            Tuple.of(tokenId, UUID.fromString(agent.id()),
                                    Instant.ofEpochSecond(claims.getLong("exp")).atOffset(ZoneOffset.UTC))))).await().atMost(Duration.ofSeconds(10));

            // a node that has just started knows nothing yet in memory: it asks the database
            RevokedTokens fresh = new RevokedTokens(db, listener, failures);
            assertThat(fresh.isRevoked(tokenId).await().atMost(Duration.ofSeconds(10))).isTrue();
            assertThat(fresh.isRevoked(UUID.randomUUID().toString()).await().atMost(Duration.ofSeconds(10))).isFalse();

            // the listener (re)subscribes: the node reads the revoked tokens again and closes what it missed
            signals.deliver(new Signal.Resync());
            CloseReason closed = ws.awaitClosed();
            assertThat(closed.getCode()).isEqualTo(1008);
            assertThat(closed.getMessage()).isEqualTo("logged out");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> refused(agent.token(), "/api/v1/queue"));
        }
    }

    @Test
    void aLogoutStoredByAnotherNodeReachesThisOneThroughTheTablesNotification() {
        String topic = TestTopics.create();
        Api.Agent agent = Api.agent("Noor", List.of(topic), 3);
        JsonObject claims = claims(agent.token());
        try (WsClient ws = WsClient.connect(base, "/ws/agent", agent.token())) {
            ws.next("hello");
            // as another node's logout does it: no code of this node runs, only the trigger and its NOTIFY
            db.query("insert into revoked_token (token_id, user_id, expires_at) values ($1, $2, $3)",
                    Tuple.of(claims.getString("jti"), UUID.fromString(agent.id()),
                            Instant.ofEpochSecond(claims.getLong("exp")).atOffset(ZoneOffset.UTC))).await().atMost(Duration.ofSeconds(10));
            CloseReason closed = ws.awaitClosed();
            assertThat(closed.getCode()).isEqualTo(1008);
            assertThat(closed.getMessage()).isEqualTo("logged out");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> refused(agent.token(), "/api/v1/queue"));
        }
    }

    @Test
    void aResidentTokenCannotLogOutAndExpiredIdsArePurged() {
        String topic = TestTopics.create();
        JsonObject started = Api.start(topic, "Ans");
        given().auth().oauth2(started.getString("token")).post("/api/v1/auth/logout").then().statusCode(403);
        given().post("/api/v1/auth/logout").then().statusCode(401);

        String id = "purge-" + UUID.randomUUID();
        db.query("insert into revoked_token (token_id, user_id, expires_at) values ($1, $2, now() - interval '1 hour')",
                Tuple.of(id, UUID.randomUUID())).await().atMost(Duration.ofSeconds(10));
        RevokedTokens fresh = new RevokedTokens(db, listener, failures);
        assertThat(fresh.purge(Instant.now()).await().atMost(Duration.ofSeconds(10))).isGreaterThanOrEqualTo(1);
        assertThat(db.query("select 1 from revoked_token where token_id = $1", Tuple.of(id)).await().atMost(Duration.ofSeconds(10))
                .size()).isZero();
    }
}
