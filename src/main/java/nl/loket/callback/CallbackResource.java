package nl.loket.callback;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import nl.loket.platform.ValidationException;
import jakarta.ws.rs.core.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import nl.loket.audit.Audit;
import nl.loket.platform.LoketException;
import nl.loket.privacy.EndedReads;
import nl.loket.security.ClientAddress;
import nl.loket.security.RateLimits;
import nl.loket.security.ReadScope;
import nl.loket.security.Roles;
import nl.loket.security.TokenService;
import nl.loket.topic.TopicCatalog;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Callback requests (docs/protocol.md §3, §7). */
@Path("/api/v1/callbacks")
@Tag(name = "callbacks")
public class CallbackResource {

    /** The states a list may be filtered by: a merged repeat is listed inside its request, never on its own. */
    private static final Set<String> STATES = java.util.Arrays.stream(CallbackState.values())
            .filter(s -> s != CallbackState.MERGED).map(CallbackState::wire).collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> RESULTS = Set.of("reached", "no_answer", "wrong_number");

    private final CallbackService callbacks;
    private final TokenService tokens;
    private final RateLimits rateLimits;
    private final JsonWebToken jwt;
    private final ObjectMapper mapper;
    private final Audit audit;
    private final EndedReads endedReads;
    private final TopicCatalog topics;

    public CallbackResource(CallbackService callbacks, TokenService tokens, RateLimits rateLimits,
                            JsonWebToken jwt, ObjectMapper mapper, Audit audit, EndedReads endedReads, TopicCatalog topics) {
        this.endedReads = endedReads;
        this.topics = topics;
        this.mapper = mapper;
        this.audit = audit;
        this.callbacks = callbacks;
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.jwt = jwt;
    }

    public record NewCallback(@NotBlank String topic, String phone, String name, String window, String note) {
    }

    /** {@code reference}: the short reference the resident can quote on the phone ({@link CallbackReference}). */
    public record Created(String id, String token, String reference) {
    }

    @POST
    @PermitAll
    @Operation(summary = "Request a callback without chatting: 201 {id, token, reference}, also when this number already has an open "
            + "request on the topic (the two are merged for the agents; the token opens only this one); 400 with field errors; "
            + "429 too-many-callbacks when this client address already has loket.limits.open-callbacks-per-address live requests")
    @APIResponse(responseCode = "201", description = "Requested: its id, a resident token for it and the short reference to quote",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Created.class)))
    public Uni<Response> create(@NotNull @Valid NewCallback request, @Context HttpServerRequest http) {
        String client = rateLimits.checkPublic(ClientAddress.of(http));
        CallbackInput input = CallbackInput.of(request.phone(), request.name(), request.window(), request.note());
        return callbacks.create(request.topic(), input, client).map(created -> Response.status(201)
                .entity(new Created(created.id().toString(), tokens.resident(created.id()), CallbackReference.of(created.id()))).build());
    }

    public record Items(List<CallbackRequest> items) {
    }

    @GET
    @RolesAllowed({Roles.AGENT, Roles.INTEGRATOR})
    @Operation(summary = "The callback list by priority (original queuedAt); state=open lists only requests claimable now. "
            + "Each read is audited (read_callbacks, with the ids shown): the list shows residents' phone numbers; the same "
            + "person's same list is recorded again within 10 minutes only when it shows a request that entry did not")
    public Uni<Items> list(@QueryParam("state") String asked, @QueryParam("topic") String askedTopic) {
        // a blank filter is none, and a topic that does not exist is a field error, as on the change feed (docs/protocol.md
        // §1): an integrator's typo was answered with an empty list, which read as "no callback requests"
        String state = asked == null || asked.isBlank() ? null : asked;
        String topic = askedTopic == null || askedTopic.isBlank() ? null : askedTopic;
        if (state != null && !STATES.contains(state)) {
            throw nl.loket.platform.ValidationException.of("state", "open, claimed, done, failed of cancelled / open, claimed, done, failed or cancelled");
        }
        return topics.requireKnown(topic).chain(() -> callbacks.list(state, topic, scope()))
                .call(items -> {
                    // a read of the same list again within minutes is not recorded again (Audit.recordListRead),
                    // but only while it shows nothing new: the filter names the requests shown, and an earlier
                    // entry covers this read only when it named each of them (jsonb containment)
                    JsonArray shown = new JsonArray(items.stream().map(CallbackRequest::id).toList());
                    JsonObject filter = new JsonObject().put("state", state).put("topic", topic).put("shown", shown);
                    return audit.recordListRead(jwt.getName(), Audit.role(jwt.getGroups()), Audit.READ_CALLBACKS, filter,
                            filter.copy().put("items", items.size()));
                })
                .map(Items::new);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({Roles.AGENT, Roles.INTEGRATOR, Roles.RESIDENT})
    @Operation(summary = "One request; a resident sees only their own (with the request's token until a while after the request "
            + "ended, or the token of the chat it came from until that token may no longer read the chat: then 403 access-ended). "
            + "A staff read is audited (read_callback)")
    public Uni<CallbackRequest> get(@PathParam("id") UUID id) {
        boolean resident = jwt.getGroups().contains(Roles.RESIDENT);
        if (resident) {
            return mayAccess(id).chain(() -> ownTokenStillReads(id)).chain(() -> callbacks.find(id, scope()))
                    .map(found -> found.orElseThrow(CallbackService::unknown)).map(CallbackRequest::asSeenByResident);
        }
        return read(id, callbacks.find(id, scope()), "get");
    }

    /**
     * The request as staff read it (a read, or the answer to a claim, a release or an attempt):
     * it shows the resident's phone number, so it is audited ({@code via} says which).
     */
    private Uni<CallbackRequest> read(UUID id, Uni<java.util.Optional<CallbackRequest>> found, String via) {
        return found.map(o -> o.orElseThrow(CallbackService::unknown))
                .call(request -> audit.record(jwt.getName(), Audit.role(jwt.getGroups()), Audit.READ_CALLBACK,
                        request.conversationId() == null ? null : UUID.fromString(request.conversationId()),
                        new JsonObject().put("callbackId", id.toString()).put("via", via)));
    }

    @POST
    @Path("{id}/claim")
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Claim a request to call the resident; 409 when someone else has it, its next attempt lies ahead, or "
            + "the account was disabled while the claim was on its way")
    public Uni<CallbackRequest> claim(@PathParam("id") UUID id) {
        return callbacks.claim(id, me(), scope()).chain(() -> read(id, callbacks.find(id, ReadScope.all()), "claim"));
    }

    @POST
    @Path("{id}/release")
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Give a claimed request back: open again for every agent of its topic; by the agent who holds it, or by "
            + "a supervisor for anyone's (403 for another agent); 409 when it is not claimed or has ended")
    public Uni<CallbackRequest> release(@PathParam("id") UUID id) {
        boolean supervisor = jwt.getGroups().contains(Roles.SUPERVISOR);
        return callbacks.release(id, me(), supervisor, scope()).chain(() -> read(id, callbacks.find(id, ReadScope.all()), "release"));
    }

    public record AttemptRequest(@NotNull @Pattern(regexp = "reached|no_answer|wrong_number",
            message = "reached, no_answer of wrong_number / reached, no_answer or wrong_number") String result,
                                 @Size(max = 1000) String note) {
    }

    @POST
    @Path("{id}/attempts")
    @RolesAllowed(Roles.AGENT)
    @Operation(summary = "Record a call attempt: reached → done, wrong_number → failed, no_answer → open again later (failed after the last)")
    public Uni<CallbackRequest> attempt(@PathParam("id") UUID id, @NotNull @Valid AttemptRequest request) {
        String note = request.note() == null || request.note().isBlank() ? null : request.note().strip();
        return callbacks.attempt(id, me(), request.result(), note, scope())
                .chain(() -> read(id, callbacks.find(id, ReadScope.all()), "attempt"));
    }

    public record CancelRequest(String reason) {
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed({Roles.AGENT, Roles.INTEGRATOR, Roles.RESIDENT})
    @Operation(summary = "Cancel an open or claimed request with its merged repeats (a resident: only their own submission, "
            + "as for GET, 403 access-ended included); 409 when it has ended")
    @Consumes(MediaType.WILDCARD)
    @APIResponse(responseCode = "204", description = "Cancelled")
    public Uni<Response> cancel(@PathParam("id") UUID id, String body) throws JsonProcessingException {
        CancelRequest request = parseCancel(body);
        boolean resident = jwt.getGroups().contains(Roles.RESIDENT);
        String reason = request == null || request.reason() == null || request.reason().isBlank()
                ? (resident ? "resident" : "cancelled") : request.reason().strip();
        return mayAccess(id).chain(() -> callbacks.cancel(id, reason, !resident, scope())).replaceWith(Response.noContent().build());
    }

    /** The body of a DELETE is optional; clients often send none, or no content type. */
    private CancelRequest parseCancel(String body) throws JsonProcessingException {
        if (body == null || body.isBlank()) {
            return null;
        }
        // a body that is no JSON, or a field that is refused (a NUL, the wrong type), is answered by
        // the shared mapper (ProblemMappers.json) as every other request's: the field, or "body"
        CancelRequest request = mapper.readValue(body, CancelRequest.class);
        if (request.reason() != null && request.reason().length() > 500) {
            throw ValidationException.of("reason", "hoogstens 500 tekens / at most 500 characters");
        }
        return request;
    }

    /**
     * A resident may touch only their own request: with the request's own token for its lifetime,
     * or with the token of the conversation it came from only as long as that token may still read
     * the conversation ({@link EndedReads}): the request holds the resident's phone number, name and
     * note, which a token left in a browser must not open for the rest of its 24 h. Staff are scoped
     * by {@link #scope()}.
     */
    private Uni<Void> mayAccess(UUID id) {
        if (!jwt.getGroups().contains(Roles.RESIDENT)) {
            return Uni.createFrom().voidItem();
        }
        if (id.toString().equals(jwt.getSubject())) {
            return Uni.createFrom().voidItem();
        }
        return callbacks.conversationOf(id).map(origin -> {
            if (origin.isEmpty() || !origin.get().conversation().toString().equals(jwt.getSubject())) {
                throw new LoketException("forbidden", 403, "Dit is niet uw terugbelverzoek. / This is not your callback request.");
            }
            if (endedReads.over(origin.get().closedAt())) {
                throw new LoketException("access-ended", 403, EndedReads.MESSAGE);
            }
            return null;
        }).replaceWithVoid();
    }

    /**
     * The request's own token reads it (the phone number, name and note) only until
     * {@link EndedReads} after the request ended, as a chat's token reads its conversation: the widget
     * keeps that token in the tab's storage, where a restored tab on a shared computer opened the
     * number for the rest of the token's 24 h. A chat's token is bounded by its conversation's end
     * already ({@link #mayAccess}), which comes first. Cancelling is not bounded: an ended request is
     * a 409 and the answer shows nothing.
     */
    private Uni<Void> ownTokenStillReads(UUID id) {
        if (!id.toString().equals(jwt.getSubject())) {
            return Uni.createFrom().voidItem();
        }
        return callbacks.endedAt(id).invoke(endedAt -> {
            if (endedReads.over(endedAt)) {
                throw new LoketException("access-ended", 403, REQUEST_ENDED);
            }
        }).replaceWithVoid();
    }

    static final String REQUEST_ENDED = "Dit terugbelverzoek is afgehandeld en is hier niet meer te lezen. / "
            + "This callback request has ended and can no longer be read here.";

    /** An agent reaches the requests of the topics they serve (and those they claimed); a resident's access is checked by mayAccess. */
    private ReadScope scope() {
        return jwt.getGroups().contains(Roles.RESIDENT) ? ReadScope.all() : ReadScope.of(jwt.getGroups(), jwt.getSubject());
    }

    private UUID me() {
        return UUID.fromString(jwt.getSubject());
    }
}
