package nl.loket.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.logging.Log;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.List;
import java.util.stream.Collectors;

/** Every REST error leaves as problem+json. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response loket(LoketException e) {
        return Problem.of(e.status(), e.code().replace('_', '-'), e.getMessage(), e.getMessage()).response();
    }

    @ServerExceptionMapper
    public Response validation(ValidationException e) {
        return Problem.validation(e.errors()).response();
    }

    @ServerExceptionMapper
    public Response constraints(ConstraintViolationException e) {
        List<Problem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new Problem.FieldError(field(v.getPropertyPath().toString()), v.getMessage()))
                .sorted((a, b) -> a.field().compareTo(b.field()))
                .collect(Collectors.toList());
        return Problem.validation(errors).response();
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
        String message = e instanceof InvalidFormatException ? "heeft het verkeerde type / has the wrong type"
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
        return Problem.of(status, "http-" + status, e.getResponse().getStatusInfo().getReasonPhrase(), null).response();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        Log.error("Unexpected error", e);
        return Problem.of(500, "internal", "Er ging iets mis / Something went wrong", null).response();
    }
}
