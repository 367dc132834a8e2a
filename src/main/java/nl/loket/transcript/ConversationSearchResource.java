package nl.loket.transcript;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import nl.loket.audit.Audit;
import nl.loket.platform.Db;
import nl.loket.platform.Days;
import nl.loket.platform.Problem;
import nl.loket.platform.QueryNumbers;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import nl.loket.topic.TopicCatalog;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Past conversations for the team lead and the administrator (docs/protocol.md §11): by the
 * Amsterdam days they started, topic, outcome, state, agent and part of the resident's name,
 * newest first, a page at a time; or by the exact conversation id (from a CRM record), whatever
 * day it started. Opening one is the transcript read of §8, which is audited; so is the search
 * itself, since the list names residents (a searched name is not written to the audit log: it
 * would outlive the conversation's retention there).
 */
@Path("/api/v1/conversations/search")
@RolesAllowed({Roles.SUPERVISOR, Roles.ADMIN})
@Tag(name = "supervisor")
public class ConversationSearchResource {

    public static final int MAX_LIMIT = 100;
    public static final int MAX_OFFSET = 10_000;
    private static final Set<String> OUTCOMES = Set.of("answered", "referred", "no_response", "other");
    private static final Set<String> STATES = Set.of("queued", "active", "closed", "callback", "abandoned");

    public static final int MAX_NAME = 100;
    private static final java.util.regex.Pattern UUID_TEXT =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /**
     * $1..$2 days (both null: any day, only with an id), $3 topic, $4 outcome, $5 state, $6 agent
     * (anyone who held it), $7 conversation id, $8 part of the resident's name as a LIKE pattern.
     */
    private static final String WHERE = " where (($1::date is null and $2::date is null) or ("
            + StaffReads.inDays("c.created_at", 1, 2) + """
            ))
             and ($3::text is null or c.topic = $3)
             and ($4::text is null or c.outcome = $4)
             and ($5::text is null or c.state = $5)
             and ($6::uuid is null or exists (select 1 from assignment s where s.conversation_id = c.id and s.agent_id = $6))
             and ($7::uuid is null or c.id = $7)
             and ($8::text is null or c.resident_name ilike $8 escape '\\')
            """;

    private final Db db;
    private final TopicCatalog topics;
    private final Audit audit;
    private final JsonWebToken jwt;

    public ConversationSearchResource(Db db, TopicCatalog topics, Audit audit, JsonWebToken jwt) {
        this.db = db;
        this.topics = topics;
        this.audit = audit;
        this.jwt = jwt;
    }

    /** {@code total}: how many match, of which {@code items} is the page asked for. */
    public record SearchPage(List<ConversationItem> items, long total) {
    }

    @GET
    @Operation(summary = "Past conversations by the Amsterdam days they started (from..to, both inclusive, at most a year), topic, "
            + "outcome, state, agentId (anyone who held it) and residentName (part of it, any case), newest first; or by the "
            + "exact conversationId, then from and to may be left out; limit 1-100 (default 50), offset; audited")
    public Uni<SearchPage> search(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("topic") String topic,
                                  @QueryParam("outcome") String outcome, @QueryParam("state") String state,
                                  @QueryParam("agentId") String agentId, @QueryParam("limit") String limit,
                                  @QueryParam("offset") String offset, @QueryParam("conversationId") String conversationId,
                                  @QueryParam("residentName") String residentName) {
        List<Problem.FieldError> errors = new ArrayList<>();
        UUID id = null;
        if (blank(conversationId) != null) {
            if (UUID_TEXT.matcher(blank(conversationId)).matches()) {
                id = UUID.fromString(blank(conversationId));
            } else {
                errors.add(new Problem.FieldError("conversationId", "geen gesprek-id / not a conversation id"));
            }
        }
        // an id stands on its own: a CRM record does not say the day; a period given with it still counts
        boolean anyDay = blank(conversationId) != null && blank(from) == null && blank(to) == null;
        LocalDate start = anyDay ? null : Days.parse(from, "from", errors);
        LocalDate end = anyDay ? null : Days.parse(to, "to", errors);
        String name = blank(residentName);
        if (name != null && name.length() > MAX_NAME) {
            errors.add(new Problem.FieldError("residentName", "hoogstens " + MAX_NAME + " tekens / at most " + MAX_NAME + " characters"));
        }
        StaffReads.checkPeriod(start, end, errors);
        String wantedOutcome = blank(outcome);
        if (wantedOutcome != null && !OUTCOMES.contains(wantedOutcome)) {
            errors.add(new Problem.FieldError("outcome", "answered, referred, no_response of other / answered, referred, no_response or other"));
        }
        String wantedState = blank(state);
        if (wantedState != null && !STATES.contains(wantedState)) {
            errors.add(new Problem.FieldError("state", "queued, active, closed, callback of abandoned / queued, active, closed, callback or abandoned"));
        }
        UUID agent = null;
        if (blank(agentId) != null) {
            try {
                agent = UUID.fromString(agentId);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("agentId", "onbekende medewerker / unknown agent"));
            }
        }
        int n = QueryNumbers.within(limit, "limit", 50, 1, MAX_LIMIT, errors);
        int skip = QueryNumbers.within(offset, "offset", 0, 0, MAX_OFFSET, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String namePattern = name == null ? null : "%" + likeLiteral(name) + "%";
        Tuple filters = Tuple.tuple(Arrays.asList(start, end, blank(topic), wantedOutcome, wantedState, agent, id, namePattern));
        Tuple page = Tuple.tuple(Arrays.asList(start, end, blank(topic), wantedOutcome, wantedState, agent, id, namePattern, n, skip));
        JsonObject detail = new JsonObject();
        putIf(detail, "from", start == null ? null : start.toString());
        putIf(detail, "to", end == null ? null : end.toString());
        putIf(detail, "topic", blank(topic));
        putIf(detail, "outcome", wantedOutcome);
        putIf(detail, "state", wantedState);
        putIf(detail, "agentId", agent == null ? null : agent.toString());
        if (name != null) {
            // that a name was asked, not the name: residents' names go with retention, the audit log stays a year
            detail.put("residentName", true);
        }
        UUID audited = id;
        return topics.requireKnown(blank(topic)).chain(() -> Uni.combine().all().unis(
                        db.query("select count(*) as n from conversation c" + WHERE, filters),
                        db.query(ConversationItem.SELECT + WHERE + " order by c.created_at desc, c.id desc limit $9 offset $10", page))
                .asTuple())
                .call(t -> audit.record(jwt.getName(), StaffReads.role(jwt), Audit.SEARCH_CONVERSATIONS, audited,
                        detail.put("offset", skip).put("found", t.getItem1().iterator().next().getLong("n"))))
                .map(t -> {
                    List<ConversationItem> items = new ArrayList<>();
                    for (Row r : t.getItem2()) {
                        items.add(ConversationItem.map(r, false));
                    }
                    return new SearchPage(items, t.getItem1().iterator().next().getLong("n"));
                });
    }

    /** {@code text} as LIKE matches it letter for letter: its % and _ (and the escape sign) are no wildcards. */
    static String likeLiteral(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void putIf(JsonObject o, String key, String value) {
        if (value != null) {
            o.put(key, value);
        }
    }
}
