package nl.loket.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.json.JsonObject;
import nl.loket.LogCapture;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * While PostgreSQL restarts, every message of every connected resident fails alike. Each sender
 * gets its {@code error} frame and each failure is counted, but the log gets one line for the
 * outage, not one with a stack trace per message (PostgresRestartIT saw about 250 per node in a
 * 4 s outage). A failure of another kind is still logged each time. The error frame says
 * {@code unavailable}, which the widget and the console take as "send it again by itself".
 */
class InboundOutageTest {

    record Frame(String type, String clientMsgId) {
    }

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Test
    void messagesFailingWhileTheDatabaseIsAwayAreAnsweredAndCountedEachAndLoggedOnce() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Failures failures = new Failures(registry);
        Inbound<Frame> inbound = inbound(failures);
        FrameLimiter limiter = new FrameLimiter(1000, Duration.ofSeconds(10));
        try (LogCapture logs = new LogCapture()) {
            for (int i = 0; i < 50; i++) {
                inbound.handle(connection("c-" + i), limiter, "{\"type\":\"message\",\"clientMsgId\":\"m-" + i + "\"}",
                        f -> Uni.createFrom().failure(new ConnectException("Connection refused"))).await().indefinitely();
            }
            // the sender hears the chat is briefly away and the message goes again by itself, not "something went wrong"
            assertThat(sent).hasSize(50).allSatisfy(text -> {
                assertThat(new JsonObject(text).getString("code")).isEqualTo("unavailable");
                assertThat(new JsonObject(text).getString("message")).isEqualTo(
                        "De chat is even niet bereikbaar; uw bericht wordt zo vanzelf opnieuw verstuurd. / "
                                + "The chat is briefly unavailable; your message will be sent again shortly.");
            });
            assertThat(new JsonObject(sent.get(49)).getString("ref")).isEqualTo("m-49");
            assertThat(failures.counter("resident-socket").count()).isEqualTo(50);
            assertThat(logs.loket(Level.WARNING, "resident-socket")).as(logs.all()).hasSize(1);

            // a failure that is not the database's absence: logged as before, each time
            inbound.handle(connection("c-x"), limiter, "{\"type\":\"message\",\"clientMsgId\":\"m-x\"}",
                    f -> Uni.createFrom().failure(new IllegalStateException("a bug"))).await().indefinitely();
            inbound.handle(connection("c-y"), limiter, "{\"type\":\"message\",\"clientMsgId\":\"m-y\"}",
                    f -> Uni.createFrom().failure(new IllegalStateException("a bug"))).await().indefinitely();
            assertThat(logs.loket(Level.WARNING, "resident-socket")).as(logs.all()).hasSize(3);
            assertThat(failures.counter("resident-socket").count()).isEqualTo(52);
            assertThat(sent.subList(50, 52)).allSatisfy(text -> assertThat(new JsonObject(text).getString("code")).isEqualTo("internal"));
        }
    }

    /**
     * Only a message or a note is sent again by the widget and the console by themselves; any other
     * frame failing in an outage (a claim, a callback request) is the user's to try again, and its
     * error must not promise otherwise.
     */
    @Test
    void anActionOtherThanAMessageFailingWhileTheDatabaseIsAwayAsksTheUserToTryAgain() {
        Inbound<Frame> inbound = inbound(new Failures(new SimpleMeterRegistry()));
        FrameLimiter limiter = new FrameLimiter(1000, Duration.ofSeconds(10));
        try (LogCapture logs = new LogCapture()) {
            for (String type : List.of("request_callback", "note")) {
                inbound.handle(connection("c-" + type), limiter, "{\"type\":\"" + type + "\",\"clientMsgId\":\"r-" + type + "\"}",
                        f -> Uni.createFrom().failure(new ConnectException("Connection refused"))).await().indefinitely();
            }
        }
        assertThat(sent).hasSize(2).allSatisfy(text -> assertThat(new JsonObject(text).getString("code")).isEqualTo("unavailable"));
        assertThat(new JsonObject(sent.get(0)).getString("message")).isEqualTo(
                "De chat is even niet bereikbaar; probeer het over een paar seconden opnieuw. / "
                        + "The chat is briefly unavailable; please try again in a few seconds.");
        assertThat(new JsonObject(sent.get(0)).getString("ref")).isEqualTo("r-request_callback");
        assertThat(new JsonObject(sent.get(1)).getString("message")).startsWith("De chat is even niet bereikbaar; uw bericht wordt zo vanzelf");
    }

    /**
     * A resident or agent typing while PostgreSQL restarts: the typing signal (a NOTIFY) fails like
     * everything else, but nobody asked for anything, so nobody is told. Answered, the widget showed
     * "De chat is even niet bereikbaar; probeer het over een paar seconden opnieuw." under the
     * message box, and it stayed there after the database was back and every message had gone
     * (walked in the browser). Each failure is still counted, and the outage logged once.
     */
    @Test
    void typingFailingWhileTheDatabaseIsAwayIsAnsweredWithNothingButCounted() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Failures failures = new Failures(registry);
        Inbound<Frame> inbound = inbound(failures);
        FrameLimiter limiter = new FrameLimiter(1000, Duration.ofSeconds(10));
        try (LogCapture logs = new LogCapture()) {
            for (String type : List.of("typing", "typing_stopped", "typing")) {
                inbound.handle(connection("c-" + type), limiter, "{\"type\":\"" + type + "\"}",
                        f -> Uni.createFrom().failure(new ConnectException("Connection refused"))).await().indefinitely();
            }
            // held up by a lock, or failing for another reason: no "probeer het opnieuw" for typing either
            inbound.handle(connection("c-held"), limiter, "{\"type\":\"typing\"}",
                    f -> Uni.createFrom().failure(new io.vertx.pgclient.PgException("canceling statement", "ERROR", "55P03", null)))
                    .await().indefinitely();
            inbound.handle(connection("c-bug"), limiter, "{\"type\":\"typing\"}",
                    f -> Uni.createFrom().failure(new IllegalStateException("a bug"))).await().indefinitely();
            assertThat(sent).as("frames sent for typing").isEmpty();
            assertThat(failures.counter("resident-socket").count()).isEqualTo(5);
            assertThat(logs.loket(Level.WARNING, "resident-socket")).as(logs.all()).hasSize(3);
        }
    }

    /**
     * A chat statement that PostgreSQL cancelled after waiting for a lock (55P03) or running
     * (57014) longer than its bound: a transaction elsewhere holds the conversation's row. The
     * sender hears the chat is briefly away, as in an outage, and the widget sends it again; each
     * is counted, and the log gets one line for the streak.
     */
    @Test
    void aStatementCancelledAfterItsBoundIsAnsweredUnavailableCountedEachAndLoggedOnce() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Failures failures = new Failures(registry);
        Inbound<Frame> inbound = inbound(failures);
        FrameLimiter limiter = new FrameLimiter(1000, Duration.ofSeconds(10));
        try (LogCapture logs = new LogCapture()) {
            for (String sqlState : List.of("55P03", "57014", "55P03")) {
                inbound.handle(connection("c-" + sqlState), limiter, "{\"type\":\"message\",\"clientMsgId\":\"m-" + sqlState + "\"}",
                        f -> Uni.createFrom().failure(new io.vertx.pgclient.PgException("canceling statement", "ERROR", sqlState, null)))
                        .await().indefinitely();
            }
            assertThat(sent).hasSize(3).allSatisfy(text -> {
                assertThat(new JsonObject(text).getString("code")).isEqualTo("unavailable");
                assertThat(new JsonObject(text).getString("message")).startsWith("De chat is even niet bereikbaar; uw bericht wordt zo vanzelf");
            });
            assertThat(new JsonObject(sent.get(1)).getString("ref")).isEqualTo("m-57014");
            assertThat(failures.counter("resident-socket").count()).isEqualTo(3);
            assertThat(logs.loket(Level.WARNING, "resident-socket")).as(logs.all()).hasSize(1);
        }
    }

    private static Inbound<Frame> inbound(Failures failures) {
        return new Inbound<>("resident-socket", Frame.class, "clientMsgId", new ObjectMapper(),
                (code, message, ref) -> Map.of("type", "error", "code", code, "message", message, "ref", ref == null ? "" : ref), failures);
    }

    /** A connection that is open and keeps what is sent on it; nothing else of it is used. */
    private WebSocketConnection connection(String id) {
        return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {WebSocketConnection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> true;
                    case "id" -> id;
                    case "sendText" -> {
                        sent.add(String.valueOf(args[0]));
                        yield Uni.createFrom().voidItem();
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "connection " + id;
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
