package nl.loket.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

/** Sends a protocol frame as JSON; a closed connection takes nothing (its client resumes later). */
public final class Frames {

    private Frames() {
    }

    public static Uni<Void> send(WebSocketConnection connection, ObjectMapper mapper, Object frame) {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        try {
            // a connection that closed meanwhile takes nothing: not a failure, its client resumes
            return connection.sendText(mapper.writeValueAsString(frame)).onFailure(e -> !connection.isOpen()).recoverWithNull();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }
}
