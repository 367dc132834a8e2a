package nl.loket.platform;

import java.util.List;

/**
 * A refusal the user must hear about: becomes an {@code error} frame on a WebSocket and a
 * problem+json response over REST. {@code code} is the stable machine-readable part.
 */
public class LoketException extends RuntimeException {

    private final String code;
    private final int status;
    /** The fields the refusal is about, for a form to show it beside them (a name already taken); mostly none. */
    private final List<Problem.FieldError> errors;

    public LoketException(String code, int status, String message) {
        this(code, status, message, List.of());
    }

    public LoketException(String code, int status, String message, List<Problem.FieldError> errors) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static LoketException of(String code, String message) {
        return new LoketException(code, 409, message);
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }
}
