package nl.loket.platform;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.ws.rs.core.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An RFC 9457 problem. {@code type} ends in a stable code ({@code /problems/unknown-topic});
 * validation failures list every field that is wrong.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<FieldError> errors,
                      @com.fasterxml.jackson.annotation.JsonIgnore Map<String, Object> extra) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public record FieldError(String field, String message) {
    }

    public static Problem of(int status, String code, String title, String detail) {
        return new Problem("/problems/" + code, title, status, detail, null, Map.of());
    }

    public static Problem validation(List<FieldError> errors) {
        return new Problem("/problems/validation", "Ongeldige invoer / Invalid input", 400,
                "Controleer de gemarkeerde velden. / Check the listed fields.", errors, Map.of());
    }

    public Problem with(String key, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extra);
        more.put(key, value);
        return new Problem(type, title, status, detail, errors, more);
    }

    @JsonAnyGetter
    public Map<String, Object> extensions() {
        return extra;
    }

    public Response response() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}
