package nl.loket.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.quarkus.websockets.next.CloseReason;
import io.quarkus.websockets.next.WebSocketConnection;
import io.smallrye.mutiny.Uni;

import java.util.Set;
import java.util.function.Function;

/**
 * The one skeleton both sockets handle a client frame with: the frame budget and size limit
 * (close 1008 / 1009), parsing into the socket's sealed {@code In} type (anything unknown,
 * malformed or {@code null} gets a {@code bad_request} error frame and the connection stays
 * open), the refusals a user must hear ({@link LoketException} → an {@code error} frame), and
 * unexpected failures (logged at WARN with the connection id, counted, answered with
 * {@code internal}, or {@code unavailable} when the database cannot be reached or a chat
 * statement gave up waiting for a lock, {@link Db}). Never logs frame contents.
 *
 * @param <I> the socket's inbound frame type
 */
public final class Inbound<I> {

    /** RFC 6455 §7.4.1, IANA registry: the server cannot serve the connection now; the client may come back later. */
    public static final int TRY_AGAIN_LATER = 1013;

    /** Builds the socket's own error frame: code, message and the client's reference (ref or clientMsgId). */
    public interface ErrorFrame {
        Object of(String code, String message, String ref);
    }

    /**
     * Frame types the widget and the console send again by themselves, with back-off, when they
     * are answered {@code unavailable}; their error says so. Anything else (a claim, a callback
     * request) waits for the user, and its error asks them to try again.
     */
    private static final Set<String> RESENT = Set.of("message", "note");
    /**
     * Frame types nobody waits for an answer to: a typing hint. When one fails (its NOTIFY in a
     * restart of PostgreSQL) the failure is counted and logged as any other, but no error frame
     * goes back: the widget showed "De chat is even niet bereikbaar; probeer het over een paar
     * seconden opnieuw." under the message box of a resident who had only typed, and it stayed
     * after the database was back. A lost typing indicator is harmless.
     */
    private static final Set<String> UNANSWERED = Set.of("typing", "typing_stopped");
    private static final String UNAVAILABLE_RESENT = "De chat is even niet bereikbaar; uw bericht wordt zo vanzelf opnieuw verstuurd. / "
            + "The chat is briefly unavailable; your message will be sent again shortly.";
    private static final String UNAVAILABLE = "De chat is even niet bereikbaar; probeer het over een paar seconden opnieuw. / "
            + "The chat is briefly unavailable; please try again in a few seconds.";

    /**
     * Fields whose NUL character the handler answers better than the parse would: a message's
     * text is {@code invalid_message}, a claim of such a topic {@code topic_not_allowed}, a
     * transfer to one {@code not_found}, a clientMsgId {@code bad_request} naming it. Any other
     * string with a NUL is refused while parsing ({@link NulRefusingStrings}).
     */
    private static final Set<String> CHECKED_BY_HANDLER = Set.of("text", "clientMsgId", "topic");

    private final String where;
    private final ObjectMapper mapper;
    /**
     * Reads a frame straight into {@code I}. A key given twice is refused: read as a stream, the
     * first {@code type} would win, where a reader of the whole object takes the last.
     */
    private final ObjectReader reader;
    private final ErrorFrame errors;
    private final Failures failures;
    private final String refField;
    /**
     * Failures because the database is away (a restart): they come in a crowd, every frame and
     * opening of every connection alike, and are logged as one streak, each still counted.
     */
    private final Failures.Streak outage;
    /**
     * Failures because a chat statement waited for a lock, or ran, longer than its bound
     * ({@link Db}): a transaction elsewhere holds a conversation's row. Every frame into that
     * conversation fails so until it ends; logged as one streak as well, each counted.
     */
    private final Failures.Streak heldUp;

    /**
     * @param where    the socket's name in logs and the failure metric ("resident-socket")
     * @param refField the field of a client frame that errors echo ("ref", "clientMsgId")
     */
    public Inbound(String where, Class<I> type, String refField, ObjectMapper mapper, ErrorFrame errors, Failures failures) {
        this.where = where;
        this.refField = refField;
        this.mapper = mapper;
        this.reader = mapper.readerFor(type).with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .withAttribute(NulCharacters.CHECKED_BY_HANDLER, CHECKED_BY_HANDLER);
        this.errors = errors;
        this.failures = failures;
        this.outage = failures.streak(where);
        this.heldUp = failures.streak(where);
    }

    /** Handles one text frame of a connection with the given budget; {@code handler} gets a parsed, non-null frame. */
    public Uni<Void> handle(WebSocketConnection connection, FrameLimiter limiter, String text, Function<I, Uni<Void>> handler) {
        CloseReason refused = limiter.refuse(text);
        if (refused != null) {
            return connection.close(refused);
        }
        // one parse straight into the frame type; the client's reference (for an error frame) is
        // read from the text again only when there is an error to answer
        I frame;
        try {
            // an object only: Jackson would also take a type in an array (["message", {…}])
            frame = isObject(text) ? reader.readValue(text) : null;
        } catch (NulCharacters.Refused e) {
            return error(connection, "bad_request", NulCharacters.MESSAGE, refOf(text));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            frame = null;
        }
        if (frame == null) {
            return error(connection, "bad_request", "Onbekend of ongeldig bericht. / Unknown or malformed frame.", refOf(text));
        }
        Uni<Void> work;
        try {
            work = handler.apply(frame);
        } catch (RuntimeException e) {
            work = Uni.createFrom().failure(e);
        }
        return work.onFailure().recoverWithUni(e -> {
            // the text is read again only now, once, for what the error frame needs
            JsonNode node = tree(text);
            String ref = field(node, refField);
            if (e instanceof LoketException refusal) {
                return error(connection, refusal.code(), refusal.getMessage(), ref);
            }
            boolean unanswered = UNANSWERED.contains(field(node, "type"));
            if (NulCharacters.refusedByDatabase(e)) {
                // a NUL no check before caught reached a statement: bad input, not a failure of the service
                return unanswered ? Uni.createFrom().voidItem() : error(connection, "bad_request", NulCharacters.MESSAGE, ref);
            }
            boolean away = ProblemMappers.unavailable(e);
            if (away || ProblemMappers.heldUp(e)) {
                // one line per outage, not one (with its stack trace) per message of every resident
                if (away) {
                    outage.failed(e, "Handling frames on %s connections fails: the database cannot be reached (connection %s)",
                            where, connection.id());
                } else {
                    heldUp.failed(e, "Handling frames on %s connections fails: a statement waited for a lock, or ran, longer than "
                            + "its bound (a transaction elsewhere holds its rows?) (connection %s)", where, connection.id());
                }
                if (unanswered) {
                    return Uni.createFrom().voidItem();
                }
                // as REST's 503 "unavailable": it passes within seconds, so the client may send the
                // frame again (a message with its clientMsgId is stored once; nothing of a cancelled
                // statement was)
                return error(connection, "unavailable", RESENT.contains(field(node, "type")) ? UNAVAILABLE_RESENT : UNAVAILABLE, ref);
            }
            failures.record(where, e, "Handling a frame on %s connection %s failed", where, connection.id());
            if (unanswered) {
                return Uni.createFrom().voidItem();
            }
            return error(connection, "internal", "Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.", ref);
        });
    }

    private static boolean isObject(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                return c == '{';
            }
        }
        return false;
    }

    /** The frame's {@code refField} when the text is a JSON object that has one, else null. */
    private String refOf(String text) {
        return field(tree(text), refField);
    }

    /** The text as JSON, null when it is none. */
    private JsonNode tree(String text) {
        try {
            return mapper.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** A field of a JSON object as text, null when the node is no object or has no such field. */
    private static String field(JsonNode node, String name) {
        return node != null && node.isObject() && node.hasNonNull(name) ? node.get(name).asText() : null;
    }

    /**
     * A failure the socket's {@code @OnError} received: logged and counted; a frame over the
     * transport's size limit closes the connection with 1009, anything else gets {@code internal}.
     */
    public Uni<Void> failed(WebSocketConnection connection, Throwable failure, String subject) {
        if (tooBig(failure)) {
            return connection.close(new CloseReason(1009, "frame larger than " + FrameLimiter.MAX_FRAME_BYTES / 1024 + " KiB"));
        }
        if (peerGone(failure)) {
            // the other side went away (a phone losing its signal, a closed tab): the close handler
            // cleans up, and there is nobody left to tell
            return Uni.createFrom().voidItem();
        }
        failures.record(where, failure, "Unexpected failure on %s connection %s (%s)", where, connection.id(), subject);
        return error(connection, "internal", "Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.", null);
    }

    /**
     * The socket's {@code @OnOpen} failed (its connection could not be recorded: the database is
     * away, a restart, say). Left open, the socket would carry nothing: no session, no frames, a
     * message sent on it unanswered, and its resident or agent counted as gone. So it is closed
     * with 1013, and the widget and the console come back after their back-off, to any node.
     */
    public Uni<Void> notOpened(WebSocketConnection connection, Throwable failure) {
        outage.failed(failure, "Opening %s connection %s failed; closed with %d for its client to come back", where, connection.id(),
                TRY_AGAIN_LATER);
        return connection.close(new CloseReason(TRY_AGAIN_LATER, "Probeer het zo opnieuw / Try again later")).onFailure().recoverWithNull();
    }

    public Uni<Void> error(WebSocketConnection connection, String code, String message, String ref) {
        return Frames.send(connection, mapper, errors.of(code, message, ref));
    }

    private static boolean peerGone(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof io.vertx.core.http.HttpClosedException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Vert.x reports a message over max-message-size as an IllegalStateException whose text says
     * so ("… overflow max message size …"); there is no dedicated type.
     */
    private static boolean tooBig(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String name = t.getClass().getSimpleName();
            String message = String.valueOf(t.getMessage()).toLowerCase();
            if (name.contains("TooLongFrame") || name.contains("CorruptedWebSocketFrame")
                    || message.contains("max message size") || message.contains("too long") || message.contains("too big")) {
                return true;
            }
        }
        return false;
    }
}
