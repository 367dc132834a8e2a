package nl.loket.platform;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import jakarta.ws.rs.core.Response;
import nl.loket.LogCapture;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A NUL character that no guard before caught and that reached a statement (PostgreSQL's 22021
 * "invalid byte sequence for encoding "UTF8": 0x00") is bad input: REST answers 400, a socket
 * {@code bad_request}; neither logs nor counts it as a failure of the service.
 */
class NulRefusedByDatabaseTest {

    private static final PgException NUL_REFUSED =
            new PgException("invalid byte sequence for encoding \"UTF8\": 0x00", "ERROR", "22021", null);

    record Frame(String type, String clientMsgId) {
    }

    private final List<String> sent = new CopyOnWriteArrayList<>();

    @Test
    void restAnswers400AndCountsNothing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Failures failures = new Failures(registry);
        try (LogCapture logs = new LogCapture()) {
            Response response = new ProblemMappers(failures).unexpected(new RuntimeException(NUL_REFUSED), null, null);
            assertThat(response.getStatus()).isEqualTo(400);
            assertThat(((Problem) response.getEntity()).detail()).isEqualTo(NulCharacters.MESSAGE);
            assertThat(failures.counter("rest").count()).isZero();
            assertThat(logs.loket(Level.WARNING, "")).as(logs.all()).isEmpty();
        }
    }

    @Test
    void aSocketAnswersBadRequestAndCountsNothing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Failures failures = new Failures(registry);
        Inbound<Frame> inbound = new Inbound<>("resident-socket", Frame.class, "clientMsgId", new ObjectMapper(),
                (code, message, ref) -> Map.of("type", "error", "code", code, "message", message, "ref", ref == null ? "" : ref), failures);
        try (LogCapture logs = new LogCapture()) {
            inbound.handle(connection(), new FrameLimiter(1000, Duration.ofSeconds(10)), "{\"type\":\"message\",\"clientMsgId\":\"m-1\"}",
                    f -> Uni.createFrom().failure(NUL_REFUSED)).await().indefinitely();
            assertThat(sent).hasSize(1);
            JsonObject error = new JsonObject(sent.get(0));
            assertThat(error.getString("code")).isEqualTo("bad_request");
            assertThat(error.getString("message")).isEqualTo(NulCharacters.MESSAGE);
            assertThat(error.getString("ref")).isEqualTo("m-1");
            assertThat(failures.counter("resident-socket").count()).isZero();
            assertThat(logs.loket(Level.WARNING, "resident-socket")).as(logs.all()).isEmpty();
        }
    }

    /** A connection that is open and keeps what is sent on it; nothing else of it is used. */
    private WebSocketConnection connection() {
        return (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {WebSocketConnection.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> true;
                    case "id" -> "c-1";
                    case "sendText" -> {
                        sent.add(String.valueOf(args[0]));
                        yield Uni.createFrom().voidItem();
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "connection c-1";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }
}
