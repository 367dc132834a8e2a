package nl.loket.transcript;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import nl.loket.audit.Audit;
import nl.loket.platform.Db;
import nl.loket.platform.Days;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import nl.loket.topic.TopicCatalog;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Satisfaction (KCM): residents' ratings with their comments, per period and topic, as JSON or as
 * a CSV export (docs/protocol.md §11). Comments are residents' words, so every read is audited.
 */
@Path("/api/v1/ratings")
@RolesAllowed({Roles.SUPERVISOR, Roles.ADMIN})
@Tag(name = "supervisor")
public class RatingsResource {

    /** At most this many ratings in the JSON answer (newest first); {@code count} says how many there are. The CSV has all. */
    public static final int MAX_ITEMS = 500;

    private static final String RATED_AT = "coalesce(c.rated_at, c.closed_at)";

    private static final String ITEMS = "select c.id, c.topic, c.rating, c.rating_comment, " + RATED_AT + " as rated_at, "
            + "a.agent_id, u.display_name as agent_name "
            + "from conversation c "
            + "left join lateral (select agent_id from assignment where conversation_id = c.id order by id desc limit 1) a on true "
            + "left join app_user u on u.id = a.agent_id "
            + "where c.rating is not null and " + StaffReads.inDays(RATED_AT, 1, 2) + " and ($3::text is null or c.topic = $3) "
            + "order by rated_at desc, c.id";

    private static final String SUMMARY = "select c.rating, count(*) as n from conversation c "
            + "where c.rating is not null and " + StaffReads.inDays(RATED_AT, 1, 2) + " and ($3::text is null or c.topic = $3) "
            + "group by c.rating";

    private final Db db;
    private final TopicCatalog topics;
    private final Audit audit;
    private final JsonWebToken jwt;

    public RatingsResource(Db db, TopicCatalog topics, Audit audit, JsonWebToken jwt) {
        this.db = db;
        this.topics = topics;
        this.audit = audit;
        this.jwt = jwt;
    }

    public record Rating(String conversationId, String topic, int score, String comment, Instant ratedAt, ConversationItem.Agent agent) {
    }

    /** {@code distribution}: how many of each score, "1" to "5". */
    public record Ratings(LocalDate from, LocalDate to, String topic, long count, Double average, Map<String, Long> distribution,
                          List<Rating> items) {
    }

    private record Query(LocalDate from, LocalDate to, String topic) {
        Tuple tuple() {
            return Tuple.tuple(Arrays.asList(from, to, topic));
        }
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "Ratings with their comments for Amsterdam days from..to (both inclusive, by when they were given), "
            + "optionally one topic: count, average, distribution and the newest 500. With Accept: text/csv all of them as CSV: "
            + "conversationId,topic,score,comment,ratedAt,agentName, a cell starting with = + - or @ prefixed with ', as is such a "
            + "character after a semicolon, tab or line break in a cell (a Dutch spreadsheet splits there). Audited")
    @APIResponse(responseCode = "200", description = "The ratings (JSON), or every rating as CSV",
            content = {@Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Ratings.class)),
                    @Content(mediaType = "text/csv")})
    public Uni<Response> get(@QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("topic") String topic,
                             @HeaderParam("Accept") String accept) {
        // JSON unless CSV is asked for by name: a client that takes anything gets JSON
        boolean csv = accept != null && accept.toLowerCase().contains("text/csv");
        return csv ? csv(from, to, topic) : ratings(from, to, topic).map(r -> Response.ok(r, MediaType.APPLICATION_JSON).build());
    }

    private Uni<Ratings> ratings(String from, String to, String topic) {
        Query q = query(from, to, topic);
        return topics.requireKnown(q.topic())
                .chain(() -> Uni.combine().all().unis(db.query(SUMMARY, q.tuple()), db.query(ITEMS + " limit " + MAX_ITEMS, q.tuple())).asTuple())
                .call(t -> audited(q, "json", t.getItem2().size()))
                .map(t -> {
                    Map<String, Long> distribution = new LinkedHashMap<>();
                    for (int score = 1; score <= 5; score++) {
                        distribution.put(String.valueOf(score), 0L);
                    }
                    long count = 0;
                    long sum = 0;
                    for (Row r : t.getItem1()) {
                        long n = r.getLong("n");
                        int score = r.getInteger("rating");
                        distribution.merge(String.valueOf(score), n, Long::sum);
                        count += n;
                        sum += n * score;
                    }
                    List<Rating> items = new ArrayList<>();
                    t.getItem2().forEach(r -> items.add(rating(r)));
                    Double average = count == 0 ? null : Math.round(10.0 * sum / count) / 10.0;
                    return new Ratings(q.from(), q.to(), q.topic(), count, average, distribution, items);
                });
    }

    private Uni<Response> csv(String from, String to, String topic) {
        Query q = query(from, to, topic);
        return topics.requireKnown(q.topic()).chain(() -> db.query(ITEMS, q.tuple())).call(rows -> audited(q, "csv", rows.size())).map(rows -> {
            StringBuilder out = new StringBuilder("conversationId,topic,score,comment,ratedAt,agentName\r\n");
            for (Row r : rows) {
                Rating x = rating(r);
                out.append(Csv.row(x.conversationId(), x.topic(), String.valueOf(x.score()), x.comment(),
                        x.ratedAt() == null ? null : x.ratedAt().toString(), x.agent() == null ? null : x.agent().name()));
            }
            String name = "loket-kcm-" + (q.topic() == null ? "alle-onderwerpen" : q.topic()) + "-" + q.from() + "-tm-" + q.to() + ".csv";
            return Response.ok(out.toString(), "text/csv; charset=utf-8")
                    .header("Content-Disposition", "attachment; filename=\"" + name + "\"").build();
        });
    }

    private static Query query(String from, String to, String topic) {
        List<Problem.FieldError> errors = new ArrayList<>();
        LocalDate start = Days.parse(from, "from", errors);
        LocalDate end = Days.parse(to, "to", errors);
        StaffReads.checkPeriod(start, end, errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new Query(start, end, topic == null || topic.isBlank() ? null : topic);
    }

    private Uni<Void> audited(Query q, String format, int count) {
        JsonObject detail = new JsonObject().put("from", q.from().toString()).put("to", q.to().toString())
                .put("format", format).put("count", count);
        if (q.topic() != null) {
            detail.put("topic", q.topic());
        }
        return audit.record(jwt.getName(), StaffReads.role(jwt), Audit.READ_RATINGS, null, detail);
    }

    private static Rating rating(Row r) {
        UUID agentId = r.getUUID("agent_id");
        return new Rating(r.getUUID("id").toString(), r.getString("topic"), r.getInteger("rating"), r.getString("rating_comment"),
                ConversationItem.instant(r, "rated_at"), agentId == null ? null : new ConversationItem.Agent(agentId.toString(),
                r.getString("agent_name")));
    }
}
