package nl.loket.resident;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.mutiny.sqlclient.Tuple;
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
import nl.loket.common.Db;
import nl.loket.common.LoketException;
import nl.loket.common.Problem;
import nl.loket.common.ValidationException;
import nl.loket.conversation.ConversationService;
import nl.loket.privacy.Privacy;
import nl.loket.privacy.ResidentName;
import nl.loket.queue.QueueService;
import nl.loket.security.ClientAddress;
import nl.loket.security.RateLimits;
import nl.loket.security.Roles;
import nl.loket.security.TokenService;
import nl.loket.topic.Topic;
import nl.loket.topic.TopicCatalog;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.UUID;

/** A resident starts a conversation (public) and rates it afterwards (resident token). */
@Path("/api/v1/conversations")
@Tag(name = "resident")
public class ConversationResource {

    private final TopicCatalog topics;
    private final ConversationService conversations;
    private final QueueService queues;
    private final TokenService tokens;
    private final RateLimits rateLimits;
    private final Db db;
    private final JsonWebToken jwt;
    private final Privacy privacy;

    public ConversationResource(TopicCatalog topics, ConversationService conversations,
                                QueueService queues, TokenService tokens, RateLimits rateLimits, Db db, JsonWebToken jwt,
                                Privacy privacy) {
        this.privacy = privacy;
        this.topics = topics;
        this.conversations = conversations;
        this.queues = queues;
        this.tokens = tokens;
        this.rateLimits = rateLimits;
        this.db = db;
        this.jwt = jwt;
    }

    public record StartRequest(@NotBlank String topic,
                               @Size(max = 100, message = "hoogstens 100 tekens / at most 100 characters") String name,
                               @Pattern(regexp = "nl|en", message = "nl of en / nl or en") String locale) {
    }

    public record Started(String id, String token, String topic, String state, int position, Integer estimatedWaitSeconds) {
    }

    @POST
    @Operation(summary = "Start a conversation: 201 with the resident token; 400 unknown topic; 409 topic closed (with nextOpenAt)")
    public Uni<Response> start(@NotNull @Valid StartRequest request, @Context HttpServerRequest http) {
        rateLimits.checkPublic(ClientAddress.of(http));
        String name = privacy.clean(ResidentName.clean(request.name()));
        String locale = request.locale() == null ? "nl" : request.locale();
        return topics.find(request.topic()).chain(found -> {
            Topic topic = found.orElseThrow(() -> ValidationException.of("topic", "onbekend onderwerp / unknown topic"));
            Instant now = Instant.now();
            if (!topics.isOpen(topic, now)) {
                Instant next = topic.hours().nextOpening(now).orElse(null);
                return Uni.createFrom().item(Problem.of(409, "topic-closed", "Dit onderwerp is nu gesloten / This topic is closed now",
                        "U kunt een terugbelverzoek doen of terugkomen als we open zijn. / You can request a callback or come back when we are open.")
                        .with("nextOpenAt", next == null ? null : next.toString()).response());
            }
            return conversations.create(topic.id(), name, locale).chain(conv -> {
                queues.invalidate();
                return Uni.combine().all().unis(queues.position(conv.id()), queues.snapshot()).asTuple().map(t -> {
                    int position = t.getItem1();
                    Integer ewt = t.getItem2().topic(topic.id()).estimate(position);
                    return Response.status(201).entity(new Started(conv.id().toString(), tokens.resident(conv.id()),
                            topic.id(), "queued", position, ewt)).build();
                });
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
    public Uni<Response> rate(@PathParam("id") UUID id, @NotNull @Valid Rating rating) {
        if (!id.toString().equals(jwt.getSubject())) {
            throw new LoketException("forbidden", 403, "Dit is niet uw gesprek. / This is not your conversation.");
        }
        String comment = rating.comment() == null || rating.comment().isBlank() ? null : privacy.clean(rating.comment().strip());
        return db.query("update conversation set rating = $2, rating_comment = $3, updated_at = now() "
                        + "where id = $1 and state = 'closed' and rating is null returning id", Tuple.of(id, rating.score(), comment))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw LoketException.of("cannot_rate",
                                "U kunt een gesprek één keer beoordelen, nadat het is afgesloten. / You can rate a conversation once, after it has ended.");
                    }
                    return Response.noContent().build();
                });
    }
}
