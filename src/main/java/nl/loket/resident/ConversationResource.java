package nl.loket.resident;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.LoketException;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.conversation.Conversations;
import nl.loket.privacy.Privacy;
import nl.loket.privacy.ResidentName;
import nl.loket.queue.QueueService;
import nl.loket.security.ClientAddress;
import nl.loket.security.ClientKeys;
import nl.loket.config.LoketConfig;
import nl.loket.security.RateLimits;
import nl.loket.security.Roles;
import nl.loket.security.TokenService;
import nl.loket.topic.Topic;
import nl.loket.topic.TopicCatalog;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.time.Instant;
import java.util.UUID;

/** A resident starts a conversation (public) and rates it afterwards (resident token). */
@Path("/api/v1/conversations")
@Tag(name = "resident")
public class ConversationResource {

    private final TopicCatalog topics;
    private final Conversations conversations;
    private final QueueService queues;
    private final TokenService tokens;
    private final RateLimits rateLimits;
    private final JsonWebToken jwt;
    private final ClientKeys clientKeys;
    private final LoketConfig config;
    private final Privacy privacy;
    private final ArrivalGate arrivals;
    private final WaitingRoom room;

    public ConversationResource(TopicCatalog topics, Conversations conversations,
                                QueueService queues, TokenService tokens, RateLimits rateLimits, JsonWebToken jwt, ClientKeys clientKeys, LoketConfig config,
                                Privacy privacy, ArrivalGate arrivals, WaitingRoom room) {
        this.room = room;
        this.privacy = privacy;
        this.arrivals = arrivals;
        this.topics = topics;
        this.conversations = conversations;
        this.queues = queues;
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.jwt = jwt;
        this.clientKeys = clientKeys;
        this.config = config;
    }

    /**
     * {@code startKey}: one random key per start, the same when the start is sent again (its
     * answer lost): such a start answers the conversation the first made instead of making a
     * second (V46). Optional; without it every start makes a conversation.
     */
    public record StartRequest(@NotBlank String topic,
                               @Size(max = 100, message = "hoogstens 100 tekens / at most 100 characters") String name,
                               @Pattern(regexp = "nl|en", message = "nl of en / nl or en") String locale,
                               @Pattern(regexp = "[A-Za-z0-9_-]{16,64}",
                                       message = "16 tot 64 letters, cijfers, - of _ / 16 to 64 letters, digits, - or _") String startKey) {
    }

    public record Started(String id, String token, String topic, String state, int position, Integer estimatedWaitSeconds) {
    }

    @POST
    @Operation(summary = "Start a conversation: 201 with the resident token; 400 unknown topic; 409 topic closed (with nextOpenAt); "
            + "503 with Retry-After when this node's line of starts is full (a surge)")
    @APIResponse(responseCode = "201", description = "Started: the conversation's id and the resident token",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = Started.class)))
    public Uni<Response> start(@NotNull @Valid StartRequest request, @Context HttpServerRequest http) {
        String client = rateLimits.checkPublic(ClientAddress.of(http));
        String name = privacy.clean(ResidentName.clean(request.name()));
        String locale = request.locale() == null ? "nl" : request.locale();
        return topics.find(request.topic()).chain(found -> {
            Topic topic = found.orElseThrow(() -> ValidationException.of("topic", "onbekend onderwerp / unknown topic"));
            UUID id = request.startKey() == null ? UUID.randomUUID() : clientKeys.startId(topic.id(), request.startKey());
            Instant now = Instant.now();
            if (!topics.isOpen(topic, now)) {
                Instant next = topics.nextOpenAt(topic, now).orElse(null);
                Response closed = Problem.of(409, "topic-closed", "Dit onderwerp is nu gesloten / This topic is closed now",
                        "U kunt een terugbelverzoek doen of terugkomen als we open zijn. / You can request a callback or come back when we are open.")
                        .with("nextOpenAt", next == null ? null : next.toString()).response();
                if (request.startKey() == null) {
                    return Uni.createFrom().item(closed);
                }
                // a start sent again after its topic closed (its answer lost at closing time): the conversation the
                // first made waits in the queue, and the resident is told so, not sent to the callback form
                return conversations.find(id).chain(made -> made.isPresent()
                        ? started(topic, id, name, locale, client) : Uni.createFrom().item(closed));
            }
            return started(topic, id, name, locale, client);
        });
    }

    /**
     * Starts the conversation {@code id} on {@code topic} (or answers the one its start key made) and says where it stands;
     * {@code client}: the client's keyed hash.
     */
    private Uni<Response> started(Topic topic, UUID id, String name, String locale, String client) {
        // one statement stores it and says where it stands; the estimate comes from the shared snapshot
        return arrivals.through(() -> {
            WaitingRoom.BeforeCount before = room.beforeCount(topic.id());
            Uni<Conversations.Started> created = conversations.create(id, topic.id(), name, locale, client,
                    config.limits().openConversationsPerAddress()).invoke(c -> {
                        if (!c.again()) {
                            room.remember(c.id(), before, c.position());
                        }
                    });
            // the answer (token, JSON) is made on a worker thread: the event loops are kept for
            // the chats going on. Surge runs with it had the better active-chat latency.
            return Uni.combine().all().unis(created, queues.snapshot()).asTuple()
                    .emitOn(Infrastructure.getDefaultWorkerPool()).map(t -> {
                        Conversations.Started conv = t.getItem1();
                        // a start sent again answers its conversation as it stands now (claimed, left…)
                        Integer ewt = conv.position() > 0 ? t.getItem2().topic(topic.id()).estimate(conv.position()) : null;
                        return Response.status(201).entity(new Started(conv.id().toString(), tokens.resident(conv.id()),
                                topic.id(), conv.state(), conv.position(), ewt)).build();
                    });
        });
    }

    public record Rating(@NotNull @Min(1) @Max(5) Integer score,
                         @Size(max = 1000, message = "hoogstens 1000 tekens / at most 1000 characters") String comment) {
    }

    @POST
    @Path("{id}/rating")
    @RolesAllowed(Roles.RESIDENT)
    @Operation(summary = "Rate a closed conversation once (1-5); 409 before it is closed or when already rated")
    @APIResponse(responseCode = "204", description = "Rated")
    public Uni<Response> rate(@PathParam("id") UUID id, @NotNull @Valid Rating rating) {
        if (!id.toString().equals(jwt.getSubject())) {
            throw new LoketException("forbidden", 403, "Dit is niet uw gesprek. / This is not your conversation.");
        }
        String comment = rating.comment() == null || rating.comment().isBlank() ? null : rating.comment().strip();
        return conversations.rate(id, rating.score(), comment).replaceWith(Response.noContent().build());
    }
}
