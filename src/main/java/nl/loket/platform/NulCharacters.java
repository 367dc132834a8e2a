package nl.loket.platform;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.vertx.pgclient.PgException;

/**
 * PostgreSQL cannot store the NUL character (U+0000) in text: a statement given one fails. Input
 * with one is bad input, answered 400 (or a socket's {@code bad_request}) with {@link #MESSAGE},
 * never {@code internal}, and not counted as a failure of the service. Refused where input enters:
 * every string Jackson reads ({@link NulRefusingStrings}), every query and path parameter
 * ({@link NulParameterFilter}); and, for whatever gets past those to a statement, recognised in
 * PostgreSQL's refusal ({@link #refusedByDatabase}).
 */
public final class NulCharacters {

    public static final String MESSAGE = "Tekst mag geen NUL-teken (U+0000) bevatten. / Text may not contain a NUL character (U+0000).";

    /**
     * A reader attribute: the set of field names whose NUL the reader lets through because the
     * handler answers it better itself (a socket's message text is {@code invalid_message}, a
     * claim of such a topic {@code topic_not_allowed}).
     */
    public static final String CHECKED_BY_HANDLER = "loket.nul.checked-by-handler";

    private NulCharacters() {
    }

    public static boolean in(String text) {
        return text != null && text.indexOf('\u0000') >= 0;
    }

    /**
     * Whether the failure, or one it was caused by, is PostgreSQL refusing a NUL in text:
     * SQLSTATE 22021 "invalid byte sequence for encoding "UTF8": 0x00" (a Java string, encoded as
     * UTF-8, has no other invalid byte sequence).
     */
    public static boolean refusedByDatabase(Throwable e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
            if (t instanceof PgException pg && "22021".equals(pg.getSqlState())) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** A string with a NUL in JSON; its path names the field, as any other field error. */
    public static final class Refused extends MismatchedInputException {
        Refused(JsonParser parser) {
            super(parser, MESSAGE, String.class);
        }
    }
}
