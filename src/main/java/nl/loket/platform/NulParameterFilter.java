package nl.loket.platform;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import java.util.List;
import java.util.Map;

/**
 * A query or path parameter with a NUL character (decoded from %00) is refused before any
 * resource sees it: 400 problem+json naming the parameter ({@link NulCharacters}). Without this
 * such a parameter reached a statement, and PostgreSQL's refusal was a 500 counted as a failure.
 */
public class NulParameterFilter {

    @ServerRequestFilter
    public Response refuse(ContainerRequestContext request) {
        String field = withNul(request.getUriInfo().getPathParameters());
        if (field == null) {
            field = withNul(request.getUriInfo().getQueryParameters());
        }
        return field == null ? null
                : Problem.validation(List.of(new Problem.FieldError(field, NulCharacters.MESSAGE))).response();
    }

    /** The first parameter with a NUL in its name or a value, null when none has one. */
    private static String withNul(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> parameter : parameters.entrySet()) {
            if (NulCharacters.in(parameter.getKey()) || parameter.getValue().stream().anyMatch(NulCharacters::in)) {
                return NulCharacters.in(parameter.getKey()) ? "query" : parameter.getKey();
            }
        }
        return null;
    }
}
