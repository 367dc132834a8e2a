package nl.loket.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.impl.NoStackTraceThrowable;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.SimpleResourceInfo;

import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Every REST error leaves as problem+json. A failure nobody expected (a bug, or the database gone)
 * is logged at WARN without the request's query string and counted in
 * {@code loket_failures_total{where="rest"}} ({@link #unexpected}).
 */
public class ProblemMappers {

    /**
     * How long a client is asked to wait after a 503 {@code unavailable}: a database restart or
     * failover takes seconds, and a surge's line for a connection empties within them.
     */
    public static final int RETRY_AFTER_SECONDS = 10;

    private final Failures failures;
    /** The 503s' log lines, per resource method: in an outage every request fails, thousands a second in a surge. */
    private final ConcurrentHashMap<String, Failures.Streak> unavailable = new ConcurrentHashMap<>();
    /** The 503s for a lock waited for too long, per resource method: every request into a held row fails so. */
    private final ConcurrentHashMap<String, Failures.Streak> heldUp = new ConcurrentHashMap<>();

    public ProblemMappers(Failures failures) {
        this.failures = failures;
    }

    @ServerExceptionMapper
    public Response loket(LoketException e) {
        Problem problem = Problem.of(e.status(), e.code().replace('_', '-'), e.getMessage(), e.getMessage());
        if (!e.errors().isEmpty()) {
            problem = new Problem(problem.type(), problem.title(), problem.status(), problem.detail(), e.errors(), problem.extra());
        }
        return problem.response();
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e) {
        return Problem.validation(e.errors()).response();
    }

    @ServerExceptionMapper
    public Response constraints(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(jsonName(v, field(v.getPropertyPath().toString())), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .collect(Collectors.toList());
        return Problem.validation(errors).response();
    }

    /**
     * The field as the client wrote it: a record component named otherwise in JSON
     * ({@code @JsonProperty("short") Boolean isShort}) is named by its JSON name, not the Java one
     * ("isShort" was answered for a missing "short").
     */
    private static String jsonName(jakarta.validation.ConstraintViolation<?> v, String field) {
        Object bean = v.getLeafBean();
        String leaf = null;
        for (jakarta.validation.Path.Node node : v.getPropertyPath()) {
            leaf = node.getName();
        }
        if (bean == null || leaf == null || !field.endsWith(leaf)) {
            return field;
        }
        for (Class<?> c = bean.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                com.fasterxml.jackson.annotation.JsonProperty json =
                        c.getDeclaredField(leaf).getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
                if (json != null && !json.value().isEmpty()) {
                    return field.substring(0, field.length() - leaf.length()) + json.value();
                }
                return field;
            } catch (NoSuchFieldException e) {
                // declared higher up, or a method's parameter: its own name
            }
        }
        return field;
    }

    /** "create.request.topic" → "topic": the client knows its own JSON, not our method names. */
    private static String field(String path) {
        String[] parts = path.split("\\.");
        return parts.length <= 2 ? parts[parts.length - 1] : String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length));
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        String field = e instanceof MismatchedInputException m && !m.getPath().isEmpty()
                ? m.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : r.getFieldName())
                .collect(Collectors.joining("."))
                : "body";
        String message = e instanceof NulCharacters.Refused ? NulCharacters.MESSAGE
                : e instanceof InvalidFormatException ? "heeft het verkeerde type / has the wrong type"
                : "is geen geldige JSON / is not valid JSON";
        return Problem.validation(List.of(new Problem.FieldError(field, message))).response();
    }

    /**
     * A value of the wrong type ("from": "morgen"): a field error like any other. Without this the
     * framework's own mapper for these answers a bare JSON object instead of problem+json.
     */
    @ServerExceptionMapper
    public Response mismatched(MismatchedInputException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response invalidFormat(InvalidFormatException e) {
        return json(e);
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return Problem.of(401, "unauthorized", "Niet ingelogd / Not authenticated", "Een geldig token is nodig. / A valid token is required.").response();
    }

    @ServerExceptionMapper
    public Response authFailed(AuthenticationFailedException e) {
        return unauthorized(null);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return Problem.of(403, "forbidden", "Geen toegang / Forbidden", "Uw rol geeft hier geen toegang toe. / Your role does not allow this.").response();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return Problem.of(404, "not-found", "Niet gevonden / Not found", "Deze bron bestaat niet. / This resource does not exist.").response();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return Problem.of(405, "method-not-allowed", "Methode niet toegestaan / Method not allowed", null).response();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return json(json);
        }
        int status = e.getResponse().getStatus();
        // an integrator's script sending or asking for XML: say what would do, Dutch first like every other problem
        if (status == 415) {
            return Problem.of(415, "unsupported-media-type", "Dit formaat wordt niet ondersteund / Unsupported media type",
                    "Stuur JSON (Content-Type: application/json). / Send JSON (Content-Type: application/json).").response();
        }
        if (status == 406) {
            return Problem.of(406, "not-acceptable", "Dit formaat kan niet worden geleverd / Not acceptable",
                    "Vraag om JSON (Accept: application/json); een transcript ook als tekst (text/plain), beoordelingen ook als CSV (text/csv). "
                            + "/ Ask for JSON (Accept: application/json); a transcript also as text (text/plain), ratings also as CSV (text/csv).")
                    .response();
        }
        return Problem.of(status, "http-" + status, e.getResponse().getStatusInfo().getReasonPhrase(), null).response();
    }

    /**
     * Anything no other mapper took, checked exceptions and errors included (without this the
     * reactive client's failures, which are not RuntimeExceptions, were a 500 text/plain logged
     * at DEBUG only). When the database cannot be reached or has no connection free in time, or a
     * statement gave up waiting for a lock another transaction holds ({@code loket.db.lock-timeout},
     * {@link #lockWaitedTooLong}), a 503 {@code unavailable} with Retry-After: trying again soon
     * may well work. Otherwise a 500. The log names the request by method and path only: the
     * query string may carry a phone number, and a body is never logged.
     */
    @ServerExceptionMapper
    public Response unexpected(Throwable e, HttpServerRequest request, SimpleResourceInfo resource) {
        if (NulCharacters.refusedByDatabase(e)) {
            // input with a NUL that no guard before caught (a header, say): bad input, not a failure
            return Problem.of(400, "nul-character", "Ongeldige invoer / Invalid input", NulCharacters.MESSAGE).response();
        }
        String what = request.method() + " " + request.path();
        boolean away = unavailable(e);
        if (away || lockWaitedTooLong(e)) {
            // per endpoint, not per path: paths carry ids, and the map must stay small
            String key = resource == null || resource.getResourceClass() == null ? "(no endpoint)"
                    : resource.getResourceClass().getName() + "#" + resource.getMethodName();
            if (away) {
                unavailable.computeIfAbsent(key, k -> failures.streak("rest"))
                        .failed(e, "Request %s answered 503: the database cannot be reached or had no connection free in time", what);
            } else {
                // a row held by a transaction that does not end fails every request that needs it: one streak
                heldUp.computeIfAbsent(key, k -> failures.streak("rest"))
                        .failed(e, "Request %s answered 503: a statement waited for a lock longer than its bound "
                                + "(a transaction elsewhere holds its rows?)", what);
            }
            return Response.fromResponse(Problem.of(503, "unavailable", "Tijdelijk niet beschikbaar / Temporarily unavailable",
                            "Probeer het over een paar seconden opnieuw. / Try again in a few seconds.").response())
                    .header("Retry-After", RETRY_AFTER_SECONDS).build();
        }
        failures.record("rest", e, "Request %s failed; answered 500", what);
        return Problem.of(500, "internal", "Er ging iets mis / Something went wrong", null).response();
    }

    /**
     * Whether the failure, or one it was caused by, says the database cannot be reached or is
     * too busy now: a refused or unreachable connection, the pool's wait for a connection run
     * out (a bare "Timeout"), a connection closed or reset under a statement (a crash of the
     * server resets its connections: "Connection reset"), or PostgreSQL refusing
     * work for the moment (SQLSTATE classes 08 and 53, and 57P01–57P05: shutting down, starting up).
     */
    static boolean unavailable(Throwable e) {
        return anyCause(e, t -> {
            // SocketException: ConnectException and NoRouteToHostException among them
            if (t instanceof SocketException || t instanceof UnknownHostException
                    || t instanceof ConnectionPoolTooBusyException || t instanceof ClosedConnectionException) {
                return true;
            }
            if (t instanceof NoStackTraceThrowable && "Timeout".equals(t.getMessage())
                    || "Timeout waiting for connection".equals(t.getMessage())) {
                return true;
            }
            return t instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || pg.getSqlState().startsWith("53") || pg.getSqlState().startsWith("57P0"));
        });
    }

    /**
     * Whether the failure, or one it was caused by, is PostgreSQL cancelling a statement that
     * waited for a lock or ran longer than its bound (SQLSTATE 55P03 lock_not_available, 57014
     * query_canceled): the chat connections' {@code lock_timeout} and {@code statement_timeout},
     * the shared pool's {@code lock_timeout} ({@link Db}). Nothing of the statement was stored,
     * and once the lock has gone the same statement succeeds. The sockets answer both as
     * {@code unavailable}; REST only the lock wait ({@link #lockWaitedTooLong}).
     */
    static boolean heldUp(Throwable e) {
        return sqlState(e, "55P03", "57014");
    }

    /**
     * Whether the failure, or one it was caused by, is a statement cancelled after waiting for a
     * lock longer than {@code lock_timeout} (55P03): REST's 503. A 57014 stays a 500 there: the
     * shared pool has no {@code statement_timeout}, so it is someone cancelling the statement on
     * purpose ({@code pg_cancel_backend}) or a {@code statement_timeout} set on the role or the
     * database, to be seen in the log with its stack trace, not passed off as a moment's outage.
     */
    static boolean lockWaitedTooLong(Throwable e) {
        return sqlState(e, "55P03");
    }

    /** Whether the failure, or one it was caused by, is PostgreSQL's error with one of these SQLSTATEs. */
    private static boolean sqlState(Throwable e, String... states) {
        List<String> wanted = List.of(states);
        return anyCause(e, t -> t instanceof PgException pg && pg.getSqlState() != null && wanted.contains(pg.getSqlState()));
    }

    /** Whether the failure or one it was caused by (ten deep at most, a cause that is itself ending the walk) is such. */
    private static boolean anyCause(Throwable e, Predicate<Throwable> such) {
        int depth = 0;
        for (Throwable t = e; t != null && depth < 10; t = t.getCause(), depth++) {
            if (such.test(t)) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }
}
