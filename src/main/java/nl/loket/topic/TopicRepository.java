package nl.loket.topic;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Db;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

@ApplicationScoped
public class TopicRepository {

    private static final String COLUMNS = "id, name_nl, name_en, sort_order, opening_hours, closed_dates, "
            + "callback_threshold_seconds, digital_alternatives, notice, notice_en";

    private final Db db;

    public TopicRepository(Db db) {
        this.db = db;
    }

    /**
     * Every topic in the administrator's order: sortOrder, then the id by its characters ({@code
     * collate "C"}), as {@link TopicCatalog#ordered()} sorts in Java and the console in JavaScript;
     * a database made with a language's collation would otherwise put "q-z" after "qa".
     */
    public Uni<List<Topic>> all() {
        return db.query("select " + COLUMNS + " from topic order by sort_order, id collate \"C\"")
                .map(rows -> {
                    List<Topic> topics = new ArrayList<>();
                    rows.forEach(r -> topics.add(map(r)));
                    return topics;
                });
    }

    public Uni<Optional<Topic>> find(String id) {
        return db.query("select " + COLUMNS + " from topic where id = $1", Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next())));
    }

    static Topic map(Row r) {
        return new Topic(r.getString("id"), r.getString("name_nl"), r.getString("name_en"), r.getInteger("sort_order"),
                hours(r.getJsonObject("opening_hours"), r.getArrayOfLocalDates("closed_dates")),
                r.getInteger("callback_threshold_seconds"), alternatives(r.getJsonArray("digital_alternatives")),
                r.getString("notice"), r.getString("notice_en"));
    }

    private static OpeningHours hours(JsonObject json, LocalDate[] closed) {
        Map<DayOfWeek, List<OpeningHours.Period>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek day : DayOfWeek.values()) {
            JsonArray periods = json.getJsonArray(day.name().substring(0, 3).toLowerCase());
            if (periods == null) {
                continue;
            }
            List<OpeningHours.Period> list = new ArrayList<>();
            for (int i = 0; i < periods.size(); i++) {
                JsonArray p = periods.getJsonArray(i);
                list.add(new OpeningHours.Period(OpeningHours.time(p.getString(0)), OpeningHours.time(p.getString(1))));
            }
            week.put(day, list);
        }
        Set<LocalDate> dates = new HashSet<>(closed == null ? List.of() : List.of(closed));
        return new OpeningHours(week, dates);
    }

    private static List<Topic.DigitalAlternative> alternatives(JsonArray json) {
        List<Topic.DigitalAlternative> list = new ArrayList<>();
        for (int i = 0; json != null && i < json.size(); i++) {
            JsonObject a = json.getJsonObject(i);
            // titleEn is absent from links saved before there was one
            String titleEn = a.getString("titleEn");
            list.add(new Topic.DigitalAlternative(a.getString("title"), titleEn == null || titleEn.isBlank() ? null : titleEn, a.getString("url")));
        }
        return list;
    }
}
