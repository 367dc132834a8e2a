package nl.loket.platform;

/**
 * A refusal the user must hear about: becomes an {@code error} frame on a WebSocket and a
 * problem+json response over REST. {@code code} is the stable machine-readable part.
 */
public class LoketException extends RuntimeException {

    private final String code;
    private final int status;

    public LoketException(String code, int status, String message) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
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
}
