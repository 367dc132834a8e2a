package nl.loket.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

import java.io.IOException;
import java.util.List;

/** Sends a protocol frame as JSON; a closed connection takes nothing (its client resumes later). */
public final class Frames {

    private Frames() {
    }

    public static Uni<Void> send(WebSocketConnection connection, ObjectMapper mapper, Object frame) {
        if (!connection.isOpen()) {
            return Uni.createFrom().voidItem();
        }
        try {
            // a connection that closed meanwhile takes nothing: not a failure, its client resumes. A write the
            // network refused (the client reset the connection, or it closed under the write) says the same before the
            // connection itself does: Netty fails the write first and marks the connection closed a moment later
            return connection.sendText(mapper.writeValueAsString(frame))
                    .onFailure(e -> e instanceof IOException || !connection.isOpen()).recoverWithNull();
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
    }

    /**
     * Sends the frames one after another, each once the one before has gone (a session's run: the
     * frames leave in the order the run put them in).
     */
    public static Uni<Void> sendAll(WebSocketConnection connection, ObjectMapper mapper, List<?> frames) {
        // most runs send one frame (a message, a new place) or none: no chain to build for them
        if (frames.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        if (frames.size() == 1) {
            return send(connection, mapper, frames.get(0));
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Object f : frames) {
            chain = chain.chain(() -> send(connection, mapper, f));
        }
        return chain;
    }
}
