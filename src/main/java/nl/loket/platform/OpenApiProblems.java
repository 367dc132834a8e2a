package nl.loket.platform;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Documents the error responses every endpoint can give, as problem+json, so a generated
 * client knows them: 400 with field errors where there is input, 404 where a path names a
 * resource, 406 on the reads (GET) whose success has a body, when the Accept header asks for a
 * format it does not come in (XML, say), 409 for refused state changes, 429 on the rate-limited
 * public POSTs, 503 (the database unreachable or too busy) on every one. The 401 and 403 that
 * Quarkus lists by itself for a secured operation come without a body in its document, though
 * Loket answers them as problem+json too (docs/protocol.md §1): they get the Problem schema and a
 * description that says when.
 */
public class OpenApiProblems implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";

    private static final String INVALID = "Invalid input: the problem lists every field that is wrong";

    /** The descriptions Quarkus gives the security refusals it lists by itself. */
    private static final Set<String> QUARKUS_DEFAULTS = Set.of("Not Authorized", "Not Allowed", "Bad Request", "");

    /**
     * Endpoints that answer their one format whatever the Accept header says, so never 406: the
     * text transcript's own address, which a CRM fetching a bijlage link asks with any Accept.
     */
    private static final Set<String> ANY_ACCEPT = Set.of("/api/v1/conversations/{id}/transcript.txt");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents() == null ? OASFactory.createComponents() : openAPI.getComponents();
        components.addSchema("Problem", OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                .description("RFC 9457 problem; type ends in a stable code, errors lists field errors")
                .addProperty("type", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("title", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("status", OASFactory.createSchema().type(List.of(Schema.SchemaType.INTEGER)))
                .addProperty("detail", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                .addProperty("errors", OASFactory.createSchema().type(List.of(Schema.SchemaType.ARRAY))
                        .items(OASFactory.createSchema().type(List.of(Schema.SchemaType.OBJECT))
                                .addProperty("field", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)))
                                .addProperty("message", OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING))))));
        openAPI.setComponents(components);
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            for (Map.Entry<PathItem.HttpMethod, Operation> e : item.getOperations().entrySet()) {
                Operation op = e.getValue();
                boolean input = op.getRequestBody() != null || (op.getParameters() != null && !op.getParameters().isEmpty())
                        || (item.getParameters() != null && !item.getParameters().isEmpty());
                if (input) {
                    add(op, "400", INVALID);
                }
                if (path.contains("{")) {
                    add(op, "404", "Not found");
                }
                // the reads negotiate their format (OpenApiNotAcceptableTest); the writes are not listed: one that answers
                // a Response does not negotiate, and they were not checked one by one
                if (e.getKey() == PathItem.HttpMethod.GET && hasBody(op) && !ANY_ACCEPT.contains(path)) {
                    add(op, "406", "Not acceptable: the Accept header asks for no format this endpoint gives (the media types of its "
                            + "success response)");
                }
                if (e.getKey() != PathItem.HttpMethod.GET) {
                    add(op, "409", "Refused in the current state");
                }
                if (e.getKey() == PathItem.HttpMethod.POST && (path.equals("/api/v1/conversations") || path.equals("/api/v1/callbacks")
                        || path.equals("/api/v1/auth/token"))) {
                    add(op, "429", "Too many requests from this address");
                }
                // the refusals of a secured operation: listed by Quarkus without content ("Not Authorized", "Not Allowed")
                problem(op, "401", "No token, or one that is invalid, expired, revoked or logged out, or of a disabled account "
                        + "(problem type unauthorized)");
                problem(op, "403", "The token's role may not call this, or the resource is not the caller's (problem type "
                        + "forbidden; also access-ended or cross-origin where docs/protocol.md names them)");
                // any other refusal listed without a body (an @APIResponse that names only a code and a description)
                if (op.getResponses() != null && op.getResponses().getAPIResponses() != null) {
                    op.getResponses().getAPIResponses().keySet().stream().filter(status -> status.startsWith("4") || status.startsWith("5"))
                            .toList().forEach(status -> problem(op, status, "400".equals(status) ? INVALID : null));
                }
                // any endpoint may meet the database down
                add(op, "503", "The database cannot be reached or is too busy now; try again after Retry-After seconds");
            }
        });
    }

    /** Whether a success of {@code op} has a body, whose format the Accept header chooses. */
    private static boolean hasBody(Operation op) {
        return op.getResponses() != null && op.getResponses().getAPIResponses() != null
                && op.getResponses().getAPIResponses().entrySet().stream().anyMatch(r -> r.getKey().startsWith("2")
                && r.getValue().getContent() != null && r.getValue().getContent().getMediaTypes() != null
                && !r.getValue().getContent().getMediaTypes().isEmpty());
    }

    /** Gives a response Quarkus listed without a body (a security refusal) the problem+json Loket answers it with. */
    private static void problem(Operation op, String status, String description) {
        if (op.getResponses() == null || !op.getResponses().hasAPIResponse(status)) {
            return;
        }
        org.eclipse.microprofile.openapi.models.responses.APIResponse response = op.getResponses().getAPIResponse(status);
        if (response.getContent() != null && response.getContent().getMediaTypes() != null
                && !response.getContent().getMediaTypes().isEmpty()) {
            return;
        }
        // an operation's own words stay ("invalid-credentials: wrong username or password"); Quarkus's bare defaults go
        if (description != null && (response.getDescription() == null || QUARKUS_DEFAULTS.contains(response.getDescription()))) {
            response.description(description);
        }
        response.content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM))));
    }

    private static void add(Operation op, String status, String description) {
        if (op.getResponses() == null || op.getResponses().hasAPIResponse(status)) {
            return;
        }
        op.getResponses().addAPIResponse(status, OASFactory.createAPIResponse().description(description)
                .content(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE,
                        OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM)))));
    }
}
