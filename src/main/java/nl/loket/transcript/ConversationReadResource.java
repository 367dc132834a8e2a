package nl.loket.transcript;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import nl.loket.audit.Audit;
import nl.loket.platform.Days;
import nl.loket.platform.LoketException;
import nl.loket.platform.Problem;
import nl.loket.platform.QueryNumbers;
import nl.loket.platform.ValidationException;
import nl.loket.privacy.EndedReads;
import nl.loket.security.ReadScope;
import nl.loket.security.Roles;
import nl.loket.topic.TopicCatalog;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/** What integrators (and staff, and a resident for their own conversation) read (docs/protocol.md §8). */
@Path("/api/v1/conversations")
@Tag(name = "integrator")
public class ConversationReadResource {

    private static final Set<String> STATES = Set.of("queued", "active", "closed", "callback", "abandoned");
    public static final int MAX_LIMIT = 500;

    private final TranscriptService transcripts;
    private final TopicCatalog topics;
    private final Audit audit;
    private final JsonWebToken jwt;
    private final EndedReads endedReads;

    public ConversationReadResource(TranscriptService transcripts, TopicCatalog topics, Audit audit, JsonWebToken jwt,
                                    EndedReads endedReads) {
        this.endedReads = endedReads;
        this.transcripts = transcripts;
        this.topics = topics;
        this.audit = audit;
        this.jwt = jwt;
    }

    @GET
    @RolesAllowed({Roles.INTEGRATOR, Roles.AGENT})
    @Operation(summary = "Change feed of conversations by (updatedAt, id); follow nextCursor until it is null. An agent sees only "
            + "their topics and conversations they held. Every page read is audited.")
    public Uni<TranscriptService.Page> feed(
            // the parameters arrive as text, so that Loket answers a bad one with its own problem (400 naming the field); the
            // document says what they are, so that a generated client sends an instant, a state and a whole number
            @Parameter(description = "Only conversations changed at or after this instant (inclusive): ISO-8601 with Z or an offset, "
                    + "the + encoded as %2B, in the years 1900-9999. To poll, send the last updatedAt seen.",
                    schema = @Schema(type = SchemaType.STRING, format = "date-time"))
            @QueryParam("updatedSince") String updatedSince,
            @Parameter(description = "Only conversations in this state",
                    schema = @Schema(type = SchemaType.STRING, enumeration = {"queued", "active", "closed", "callback", "abandoned"}))
            @QueryParam("state") String state,
            @Parameter(description = "Only conversations of this topic (its id, e.g. paspoort-id); an unknown topic is a 400")
            @QueryParam("topic") String topic,
            @Parameter(description = "Items per page, 1-500 (default 100)",
                    schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = "500", defaultValue = "100"))
            @QueryParam("limit") String limit,
            @Parameter(description = "The nextCursor of the page before, as it came; it carries that feed's filters (send them "
                    + "the same or not at all). One Loket did not issue is a 400.")
            @QueryParam("cursor") String cursor) {
        List<Problem.FieldError> limitErrors = new ArrayList<>();
        int n = QueryNumbers.within(limit, "limit", 100, 1, MAX_LIMIT, limitErrors);
        if (!limitErrors.isEmpty()) {
            throw new ValidationException(limitErrors);
        }
        // an empty or blank state or updatedSince is no filter, as the docs say (and as a blank topic is)
        String inState = state == null || state.isBlank() ? null : state;
        String sinceText = updatedSince == null || updatedSince.isBlank() ? null : updatedSince;
        if (inState != null && !STATES.contains(inState)) {
            throw ValidationException.of("state", "queued, active, closed, callback of abandoned / queued, active, closed, callback or abandoned");
        }
        Instant since;
        try {
            since = sinceText == null ? null : Instant.parse(sinceText);
        } catch (RuntimeException e) {
            throw ValidationException.of("updatedSince", unparsedSince(sinceText));
        }
        if (since != null && !Days.within(since)) {
            throw ValidationException.of("updatedSince", Days.outsideMessage());
        }
        // the feed shows residents' names: every staff read of a page is audited, with the filters it was read with (a
        // cursor's own when it came alone, not the request's none) and how much it showed
        // a blank topic is no filter, as an empty one is (it filtered on " " and answered an empty feed)
        String only = topic == null || topic.isBlank() ? null : topic;
        return topics.requireKnown(only).chain(() -> transcripts.feed(since, inState, only, n, cursor, scope())).call(read -> audited(Audit.READ_FEED, null, new JsonObject()
                .put("updatedSince", read.filters().updatedSince() == null ? null : read.filters().updatedSince().toString())
                .put("state", read.filters().state()).put("topic", read.filters().topic()).put("cursor", cursor != null)
                .put("items", read.page().items().size()))).map(TranscriptService.Read::page);
    }

    /**
     * Why {@code updatedSince} is no instant. An offset's + sent unencoded arrives as a space
     * (2026-12-01T10:00:00 01:00), which an integrator cannot tell from the bare "not an instant":
     * that case says so.
     */
    static String unparsedSince(String text) {
        int space = text.indexOf(' ');
        if (space > 0) {
            try {
                Instant.parse(text.substring(0, space) + "+" + text.substring(space + 1));
                return "geen ISO-8601-tijdstip: de + van de tijdzone kwam als spatie aan; schrijf hem in de URL als %2B "
                        + "(…T10:00:00%2B01:00) / not an ISO-8601 instant: the offset's + arrived as a space; write it as %2B "
                        + "in the URL (…T10:00:00%2B01:00)";
            } catch (RuntimeException notThat) {
                // something else is wrong with it
            }
        }
        return "geen ISO-8601-tijdstip / not an ISO-8601 instant";
    }

    @GET
    @Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.INTEGRATOR, Roles.AGENT, Roles.RESIDENT})
    @Operation(summary = "One conversation; a resident only their own, an agent only of their topics or one they held. Staff reads "
            + "are audited. A resident gets only what is theirs (ResidentConversation): no agent id, no confidential flag, and a "
            + "messageCount of the messages they saw.")
    @APIResponse(responseCode = "200", description = "ConversationItem for staff and integrators, ResidentConversation for the resident",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {ConversationItem.class, ResidentTranscript.Conversation.class})))
    public Uni<Object> one(@PathParam("id") UUID id) {
        if (checkResident(id)) {
            return residentTranscript(id, "nl").map(ResidentTranscript::conversation);
        }
        return find(id, false).call(c -> audited(Audit.READ_CONVERSATION, id)).map(c -> c);
    }

    /** The transcript as staff and integrators read it: everything, notes marked internal. */
    @Schema(name = "Transcript", description = "The transcript as staff and integrators read it: the conversation with locale, "
            + "summary and closeReason, and every message, notes included (internal: true)")
    public record Transcript(ConversationItem conversation, List<TranscriptService.TranscriptMessage> messages) {
    }

    @GET
    @Path("{id}/transcript")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.INTEGRATOR, Roles.AGENT, Roles.ADMIN, Roles.RESIDENT})
    @Operation(summary = "The transcript. Staff and integrators get the full one (Transcript; notes marked internal), audited. "
            + "A resident with their own token gets only what is theirs (ResidentTranscript): no notes, no summary, "
            + "no agent id, no confidential flag, and a messageCount of the messages they saw.")
    @APIResponse(responseCode = "200", description = "Transcript for staff and integrators, ResidentTranscript for the resident",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(oneOf = {Transcript.class, ResidentTranscript.class})))
    public Uni<Object> transcript(@PathParam("id") UUID id) {
        if (checkResident(id)) {
            return residentTranscript(id, "nl").map(t -> t);
        }
        return staffTranscript(id).map(t -> t);
    }

    /** The full transcript, audited. */
    private Uni<Transcript> staffTranscript(UUID id) {
        return find(id, true).call(c -> audited(Audit.READ_TRANSCRIPT, id))
                .chain(c -> transcripts.messages(id, true).map(m -> new Transcript(c, m)));
    }

    /** The resident's own transcript (their id checked before), the topic named in {@code lang}: without notes, built field by field. */
    private Uni<ResidentTranscript> residentTranscript(UUID id, String lang) {
        return find(id, true).invoke(c -> {
            if (endedReads.over(c.closedAt())) {
                // a token left in a browser after the end no longer opens the conversation (README, Privacy)
                throw new LoketException("access-ended", 403, EndedReads.MESSAGE);
            }
        }).chain(c -> Uni.combine().all().unis(transcripts.messages(id, false), topicName(c.topic(), lang)).asTuple()
                .map(t -> ResidentTranscript.of(c, t.getItem2(), t.getItem1())));
    }

    @GET
    @Path("{id}/transcript")
    @Produces(MediaType.TEXT_PLAIN)
    @RolesAllowed({Roles.INTEGRATOR, Roles.AGENT, Roles.ADMIN, Roles.RESIDENT})
    @Operation(summary = "The transcript as readable text, in Dutch, or in English with lang=en (the widget asks in its language). "
            + "Staff read the summary and notes in it; the resident reads neither.")
    public Uni<String> transcriptText(@PathParam("id") UUID id,
                                      @Parameter(description = "nl (default) or en: the language of the text transcript's "
                                              + "labels, states, outcomes, speakers and topic name; anything else is a 400")
                                      @QueryParam("lang") String lang) {
        // whose conversation it is comes first: another resident's token hears 403, whatever it asks for
        boolean resident = checkResident(id);
        String language = lang == null ? "nl" : lang;
        if (!TranscriptText.LANGUAGES.contains(language)) {
            throw ValidationException.of("lang", "nl of en / nl or en");
        }
        if (resident) {
            return residentTranscript(id, language).map(t -> TranscriptText.render(t, t.conversation().topicName(), language));
        }
        return staffTranscript(id).chain(t -> topicName(t.conversation().topic(), language)
                .map(name -> TranscriptText.render(t.conversation(), name, t.messages(), language)));
    }

    /**
     * The text transcript at an address of its own, as text whatever the caller's Accept: the
     * Klantcontact's bijlage links here and says {@code text/plain}, and a CRM or document store
     * fetching a link sends {@code *}{@code /*} (or JSON out of habit), for which {@code /transcript}
     * answers JSON. Audited as the transcript read it is.
     */
    @GET
    @Path("{id}/transcript.txt")
    @RolesAllowed({Roles.INTEGRATOR, Roles.AGENT, Roles.ADMIN, Roles.RESIDENT})
    @Operation(summary = "The text transcript (as /transcript with Accept: text/plain), text/plain whatever the Accept header: "
            + "the address the Klantcontact's bijlage links to")
    @APIResponse(responseCode = "200", description = "The readable transcript",
            content = @Content(mediaType = MediaType.TEXT_PLAIN, schema = @Schema(implementation = String.class)))
    public Uni<jakarta.ws.rs.core.Response> transcriptFile(@PathParam("id") UUID id,
                                                           @Parameter(description = "nl (default) or en, as for /transcript")
                                                           @QueryParam("lang") String lang) {
        return transcriptText(id, lang).map(text -> jakarta.ws.rs.core.Response.ok(text, MediaType.TEXT_PLAIN + ";charset=UTF-8")
                .header("Content-Disposition", "inline; filename=\"transcript-" + id + ".txt\"").build());
    }

    @GET
    @Path("{id}/klantcontact")
    @RolesAllowed({Roles.INTEGRATOR, Roles.AGENT})
    @Operation(summary = "The conversation as a VNG Klantinteracties Klantcontact, with the transcript as a bijlage")
    public Uni<Klantcontact> klantcontact(@PathParam("id") UUID id, @Context UriInfo uri) {
        String transcriptUrl = uri.getBaseUriBuilder().path("api/v1/conversations").path(id.toString()).path("transcript.txt").build().toString();
        return find(id, true).call(c -> audited(Audit.READ_KLANTCONTACT, id))
                .chain(c -> Uni.combine().all().unis(transcripts.messages(id, false), topicName(c.topic()), transcripts.firstTaken(id))
                        .asTuple()
                        .map(t -> Klantcontact.of(c, t.getItem2(), t.getItem1().stream()
                                .filter(m -> "resident".equals(m.from()) && m.text() != null).map(TranscriptService.TranscriptMessage::text)
                                .findFirst().orElse(null), transcriptUrl, t.getItem3().orElse(null))));
    }

    private Uni<ConversationItem> find(UUID id, boolean withDetails) {
        return transcripts.find(id, withDetails, scope()).map(found -> found.orElseThrow(() ->
                new LoketException("not_found", 404, "Onbekend gesprek. / Unknown conversation.")));
    }

    private Uni<String> topicName(String topic) {
        return topicName(topic, "nl");
    }

    /** The topic's name in {@code lang}, its Dutch name when it has none in that language, its id when it is gone. */
    private Uni<String> topicName(String topic, String lang) {
        return topics.find(topic).map(t -> t.map(x -> x.name(lang) == null || x.name(lang).isBlank() ? x.nameNl() : x.name(lang))
                .orElse(topic));
    }

    /** A resident may read only their own conversation; true when the caller is that resident. */
    private boolean checkResident(UUID id) {
        boolean resident = jwt.getGroups().contains(Roles.RESIDENT);
        if (resident && !id.toString().equals(jwt.getSubject())) {
            throw new LoketException("forbidden", 403, "Dit is niet uw gesprek. / This is not your conversation.");
        }
        return resident;
    }

    /** What the caller may read: an agent their topics and the conversations they held; a resident's own id is checked before. */
    private ReadScope scope() {
        return jwt.getGroups().contains(Roles.RESIDENT) ? ReadScope.all() : ReadScope.of(jwt.getGroups(), jwt.getSubject());
    }

    private Uni<Void> audited(String action, UUID id) {
        return audited(action, id, new JsonObject());
    }

    private Uni<Void> audited(String action, UUID id, JsonObject detail) {
        String role = jwt.getGroups().contains(Roles.INTEGRATOR) ? Roles.INTEGRATOR
                : jwt.getGroups().contains(Roles.SUPERVISOR) ? Roles.SUPERVISOR
                : jwt.getGroups().contains(Roles.ADMIN) && !jwt.getGroups().contains(Roles.AGENT) ? Roles.ADMIN : Roles.AGENT;
        return audit.record(jwt.getName(), role, action, id, detail);
    }
}
