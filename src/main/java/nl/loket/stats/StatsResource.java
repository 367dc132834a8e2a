package nl.loket.stats;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import nl.loket.platform.Db;
import nl.loket.platform.Days;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Statistics per topic for a range of days in Europe/Amsterdam (both inclusive), computed in
 * SQL. A conversation counts on the local day it was started, in the topic the resident chose
 * (V41's started_topic), and in exactly one of answered, abandoned, callbacks and waiting
 * ({@link #OUTCOME}), so those four add up to offered. Handle time and rating belong to the topic
 * it ended in.
 */
@Path("/api/v1/stats")
@RolesAllowed(Roles.SUPERVISOR)
@Tag(name = "supervisor")
public class StatsResource {

    /**
     * A conversation's one outcome in the figures, answered first: once an agent claimed it, it was
     * answered, whatever came after (requeued on the agent's drop or a transfer and then left or
     * handed off, handed off by the agent, transferred). Only a conversation never claimed can be
     * abandoned (the resident left or stayed away while waiting) or a callback (the resident asked
     * for one instead of waiting); one never claimed and still queued is waiting. Active and
     * closed without a first claim cannot happen, and count as answered should a repair write one.
     */
    static final String OUTCOME = """
            case when c.first_assigned_at is not null or c.state in ('active', 'closed') then 'answered'
                 when c.state = 'abandoned' then 'abandoned'
                 when c.state = 'callback' then 'callback'
                 else 'waiting' end""";

    private static final String STATS = """
            with bounds as (
                select ($1::date)::timestamp at time zone 'Europe/Amsterdam' as lo,
                       ($2::date + 1)::timestamp at time zone 'Europe/Amsterdam' as hi
            ), c as (
                select coalesce(c.started_topic, c.topic) as chosen, c.topic as ended, c.state, c.rating,
                       {OUTCOME} as outcome,
                       extract(epoch from c.first_assigned_at - c.created_at) as wait,
                       -- the time agents held it: the sum of its assignments, not a wait in the queue between two (V44)
                       case when c.state = 'closed' then (
                           select extract(epoch from sum(coalesce(a.ended_at, c.closed_at) - a.assigned_at))
                           from assignment a where a.conversation_id = c.id) end as handle
                from conversation c, bounds b
                where c.created_at >= b.lo and c.created_at < b.hi
            ), k as (
                -- each conversation for the topic the resident chose and for the one it ended in: one row unless transferred
                select x.topic, x.chosen_here, x.ended_here, c.state, c.rating, c.outcome, c.wait, c.handle
                from c, lateral (values (c.chosen, true, c.chosen = c.ended), (c.ended, false, true)) as x(topic, chosen_here, ended_here)
                where x.chosen_here or x.topic <> c.chosen
            ), requests as (
                -- a repeat (merged into the open request for the same number and topic) is the same request
                select r.topic, count(*) as made
                from callback_request r, bounds b
                where r.created_at >= b.lo and r.created_at < b.hi and r.merged_into is null
                group by r.topic
            )
            select t.id as topic,
                   coalesce((select q.made from requests q where q.topic = t.id), 0) as callback_requests,
                   count(*) filter (where k.chosen_here) as offered,
                   count(*) filter (where k.chosen_here and k.outcome = 'answered') as answered,
                   count(*) filter (where k.chosen_here and k.outcome = 'abandoned') as abandoned,
                   count(*) filter (where k.chosen_here and k.outcome = 'callback') as callbacks,
                   count(*) filter (where k.chosen_here and k.outcome = 'waiting') as waiting,
                   count(*) filter (where k.chosen_here and k.wait <= $3) as in_time,
                   percentile_cont(0.5) within group (order by k.wait) filter (where k.chosen_here) as median_wait,
                   percentile_cont(0.9) within group (order by k.wait) filter (where k.chosen_here) as p90_wait,
                   avg(k.handle) filter (where k.ended_here and k.state = 'closed') as handle,
                   avg(k.rating) filter (where k.ended_here) as rating
            from topic t left join k on k.topic = t.id
            group by t.id, t.sort_order
            order by t.sort_order, t.id collate "C"
            """.replace("{OUTCOME}", OUTCOME);

    /**
     * One row per local hour of the day that has conversations; a conversation counts in the
     * Europe/Amsterdam hour it started, in the topic the resident chose, by its one outcome as in
     * the day's figures. On the day summer time ends, hour 2 happens twice and
     * both count as hour 2; on the day it starts, hour 2 does not exist and stays empty.
     */
    private static final String HOURLY = """
            with bounds as (
                select ($1::date)::timestamp at time zone 'Europe/Amsterdam' as lo,
                       ($1::date + 1)::timestamp at time zone 'Europe/Amsterdam' as hi
            ), c as (
                select extract(hour from c.created_at at time zone 'Europe/Amsterdam')::int as hour,
                       {OUTCOME} as outcome,
                       extract(epoch from c.first_assigned_at - c.created_at) as wait
                from conversation c, bounds b
                where c.created_at >= b.lo and c.created_at < b.hi
                  and ($2::text is null or coalesce(c.started_topic, c.topic) = $2)
            )
            select hour,
                   count(*) as offered,
                   count(*) filter (where outcome = 'answered') as answered,
                   count(*) filter (where outcome = 'abandoned') as abandoned,
                   count(*) filter (where outcome = 'callback') as callbacks,
                   count(*) filter (where outcome = 'waiting') as waiting,
                   percentile_cont(0.5) within group (order by wait) as median_wait,
                   percentile_cont(0.9) within group (order by wait) as p90_wait
            from c
            group by hour
            order by hour
            """.replace("{OUTCOME}", OUTCOME);

    private final Db db;
    private final int serviceLevelSeconds;

    public StatsResource(Db db, @ConfigProperty(name = "loket.stats.service-level-seconds", defaultValue = "60") int serviceLevelSeconds) {
        this.db = db;
        this.serviceLevelSeconds = serviceLevelSeconds;
    }

    /**
     * {@code offered} = {@code answered} + {@code abandoned} + {@code callbacks} + {@code waiting}, each
     * conversation once ({@link #OUTCOME}). {@code callbacks}: conversations never answered that ended
     * in a callback request (a chat an agent handed off is answered); {@code callbackRequests}:
     * callback requests made that day, those from the topic list (no conversation) included, a
     * repeat for a number with an open request on the topic not counted again.
     */
    public record TopicStats(String topic, long offered, long answered, long abandoned, long callbacks, long waiting, long callbackRequests,
                             Double serviceLevel, Double medianWaitSeconds, Double p90WaitSeconds, Double averageHandleSeconds,
                             Double averageRating) {
    }

    public record Stats(LocalDate from, LocalDate to, int serviceLevelSeconds, List<TopicStats> topics) {
    }

    public record HourStats(int hour, long offered, long answered, long abandoned, long callbacks, long waiting, Double medianWaitSeconds,
                            Double p90WaitSeconds) {
    }

    /** {@code topic} is null for all topics together. */
    public record HourlyStats(LocalDate date, String topic, List<HourStats> hours) {
    }

    @GET
    @Path("hourly")
    @Operation(summary = "One day's waits and volumes per Europe/Amsterdam hour (24 entries, hour 0-23), for one topic or all; "
            + "a conversation counts in the hour it started, once, as in the day's figures")
    public Uni<HourlyStats> hourly(@QueryParam("date") String date, @QueryParam("topic") String topic) {
        List<Problem.FieldError> errors = new ArrayList<>();
        LocalDate day = Days.parse(date, "date", errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String only = topic == null || topic.isBlank() ? null : topic;
        Uni<Boolean> known = only == null ? Uni.createFrom().item(true)
                : db.query("select 1 from topic where id = $1", Tuple.of(only)).map(rows -> rows.size() > 0);
        return known.chain(exists -> {
            if (!exists) {
                throw ValidationException.of("topic", "onbekend onderwerp / unknown topic");
            }
            return db.query(HOURLY, Tuple.of(day, only));
        }).map(rows -> {
            HourStats[] hours = new HourStats[24];
            for (Row r : rows) {
                int h = r.getInteger("hour");
                hours[h] = new HourStats(h, r.getLong("offered"), r.getLong("answered"), r.getLong("abandoned"), r.getLong("callbacks"),
                        r.getLong("waiting"), round(r.getDouble("median_wait")), round(r.getDouble("p90_wait")));
            }
            List<HourStats> list = new ArrayList<>();
            for (int h = 0; h < 24; h++) {
                list.add(hours[h] != null ? hours[h] : new HourStats(h, 0, 0, 0, 0, 0, null, null));
            }
            return new HourlyStats(day, only, list);
        });
    }

    @GET
    @Operation(summary = "Per topic: offered = answered + abandoned + callbacks + waiting (each conversation once, answered if an agent "
            + "ever claimed it; callbacks: never answered, handed off to a callback request), callback requests made "
            + "(from the topic list too; a repeat for the same number not again), service level (% answered within the threshold), "
            + "median and p90 wait, average handle time and rating; days in Europe/Amsterdam, both inclusive")
    public Uni<Stats> stats(@QueryParam("from") String from, @QueryParam("to") String to) {
        List<Problem.FieldError> errors = new ArrayList<>();
        LocalDate start = Days.parse(from, "from", errors);
        LocalDate end = Days.parse(to, "to", errors);
        if (start != null && end != null && (end.isBefore(start) || ChronoUnit.DAYS.between(start, end) > 366)) {
            errors.add(new Problem.FieldError("to", "op of na from, hoogstens een jaar later / on or after from, at most a year later"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return db.query(STATS, Tuple.of(start, end, serviceLevelSeconds)).map(rows -> {
            List<TopicStats> topics = new ArrayList<>();
            for (Row r : rows) {
                long offered = r.getLong("offered");
                topics.add(new TopicStats(r.getString("topic"), offered, r.getLong("answered"), r.getLong("abandoned"),
                        r.getLong("callbacks"), r.getLong("waiting"), r.getLong("callback_requests"), offered == 0 ? null : round(100.0 * r.getLong("in_time") / offered),
                        round(r.getDouble("median_wait")), round(r.getDouble("p90_wait")), round(r.getDouble("handle")),
                        round(r.getDouble("rating"))));
            }
            return new Stats(start, end, serviceLevelSeconds, topics);
        });
    }

    private static Double round(Double value) {
        return value == null ? null : Math.round(value * 10) / 10.0;
    }
}
