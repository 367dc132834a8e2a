package nl.loket.resident;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.WebSocketConnection;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import nl.loket.TestTopics;
import nl.loket.conversation.Conversations;
import nl.loket.platform.Failures;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A resident's socket that closes while its first read runs: the close has taken it out of the
 * waiting room before the read puts it in. It must not stay there (found in review: every tick
 * then went on placing a socket that was gone, and the room kept it until the node stopped).
 */
@QuarkusTest
class ClosedWhileReadTest {

    @Inject
    WaitingRoom room;

    @Inject
    Conversations conversations;

    @Inject
    ObjectMapper mapper;

    @Inject
    Vertx vertx;

    @Inject
    Failures failures;

    @Inject
    nl.loket.privacy.EndedReads endedReads;

    @Inject
    nl.loket.security.TokenService tokens;

    @Test
    void aSocketClosedBeforeItsPlaceWasReadIsNotSeated() {
        // a connection that has closed already, as the read finds it when it ends
        WebSocketConnection closed = (WebSocketConnection) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{WebSocketConnection.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "isOpen" -> false;
                    case "isClosed" -> true;
                    case "id" -> "closed-" + UUID.randomUUID();
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    case "toString" -> "closed connection";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        ResidentSession session = new ResidentSession(closed, UUID.randomUUID(), 0, conversations, room, mapper, vertx, failures,
                endedReads, tokens);
        int before = room.waitingHere();
        room.left(session); // its close, first
        room.place(session, TestTopics.create(), 3, room.changes()).await().atMost(Duration.ofSeconds(10));
        assertThat(room.waitingHere()).isEqualTo(before);
    }
}
