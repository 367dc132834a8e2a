package nl.loket.topic;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;
import nl.loket.platform.Signal;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Topics as admins manage them (docs/protocol.md §1, §11): names, hours, closed dates, thresholds, alternatives, notice. */
@Path("/api/v1/admin/topics")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class TopicAdminResource {

    private static final Set<String> DAYS = Set.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

    private final Db db;
    private final TopicRepository topics;
    private final TopicCatalog catalog;

    public TopicAdminResource(Db db, TopicRepository topics, TopicCatalog catalog) {
        this.db = db;
        this.topics = topics;
        this.catalog = catalog;
    }

    /** {@code titleEn}: the English title, optional (blank: none); English readers get the Dutch title without it. */
    public record Alternative(@NotBlank @Size(max = 200) String title,
                              @Schema(description = "English title, optional (blank: none); residents reading English get "
                                      + "the Dutch title without it") @Size(max = 200) String titleEn,
                              @NotBlank @Size(max = 500) String url) {
    }

    public record TopicRequest(
            @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9-]{1,39}", message = "kleine letters, cijfers en - / lower case letters, digits and -") String id,
            @NotBlank @Size(max = 100) String nameNl,
            @NotBlank @Size(max = 100) String nameEn,
            Integer sortOrder,
            @NotNull Map<String, List<List<String>>> openingHours,
            List<String> closedDates,
            @Min(0) @Max(86400) Integer callbackThresholdSeconds,
            List<@Valid Alternative> digitalAlternatives,
            @Size(max = 500) String notice,
            @Size(max = 500) String noticeEn) {
    }

    /** A topic as the administrator edits it; {@code openNow} and {@code nextOpenAt} (when closed) are read-only. */
    public record TopicAdminView(String id, String nameNl, String nameEn, int sortOrder, Map<String, List<List<String>>> openingHours,
                                 List<LocalDate> closedDates, int callbackThresholdSeconds, List<Topic.DigitalAlternative> digitalAlternatives,
                                 String notice, String noticeEn, boolean openNow, Instant nextOpenAt) {
        static TopicAdminView of(Topic t, TopicCatalog catalog, Instant now) {
            boolean open = catalog.isOpen(t, now);
            Map<String, List<List<String>>> hours = new java.util.TreeMap<>();
            t.hours().week().forEach((day, periods) -> hours.put(day.name().substring(0, 3).toLowerCase(),
                    periods.stream().map(p -> List.of(OpeningHours.written(p.from()), OpeningHours.written(p.to()))).toList()));
            return new TopicAdminView(t.id(), t.nameNl(), t.nameEn(), t.sortOrder(), hours,
                    t.hours().closedDates().stream().sorted().toList(), t.callbackThresholdSeconds(), t.digitalAlternatives(), t.notice(),
                    t.noticeEn(), open, open ? null : catalog.nextOpenAt(t, now).orElse(null));
        }
    }

    @GET
    @Operation(summary = "Every topic with its settings, whether it is open now and, when closed, when it opens next")
    public Uni<List<TopicAdminView>> list() {
        Instant now = Instant.now();
        return topics.all().map(all -> all.stream().map(t -> TopicAdminView.of(t, catalog, now)).toList());
    }

    @POST
    @Operation(summary = "Create a topic; 400 with field errors. Each digital alternative has a Dutch title, an optional "
            + "English titleEn (≤ 200 characters, blank: none) and a url")
    @APIResponse(responseCode = "201", description = "Created: the topic as stored",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = TopicAdminView.class)))
    public Uni<Response> create(@NotNull @Valid TopicRequest request) {
        Checked c = check(request);
        return db.tx(tx -> {
            tx.signal(new Signal.Topics());
            return tx.query("insert into topic (id, name_nl, name_en, sort_order, opening_hours, closed_dates, "
                            + "callback_threshold_seconds, digital_alternatives, notice, notice_en) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                            + "on conflict (id) do nothing", c.tuple());
        }).chain(rows -> {
            if (rows.rowCount() == 0) {
                throw ValidationException.of("id", "bestaat al / already exists");
            }
            catalog.invalidate();
            return view(request.id()).map(v -> Response.status(201).entity(v).build());
        });
    }

    @PUT
    @Path("{id}")
    @Operation(summary = "Replace a topic's settings; 400 with field errors, 404 when unknown")
    public Uni<TopicAdminView> update(@PathParam("id") String id, @NotNull @Valid TopicRequest request) {
        if (!id.equals(request.id())) {
            throw ValidationException.of("id", "kan niet worden gewijzigd / cannot be changed");
        }
        Checked c = check(request);
        return db.tx(tx -> {
            tx.signal(new Signal.Topics());
            tx.signal(new Signal.Queue(id));
            return tx.query("update topic set name_nl = $2, name_en = $3, sort_order = $4, opening_hours = $5, closed_dates = $6, "
                    + "callback_threshold_seconds = $7, digital_alternatives = $8, notice = $9, notice_en = $10, updated_at = now() where id = $1",
                    c.tuple());
        }).chain(rows -> {
            if (rows.rowCount() == 0) {
                throw new LoketException("not_found", 404, "Onbekend onderwerp. / Unknown topic.");
            }
            catalog.invalidate();
            return view(id);
        });
    }

    private Uni<TopicAdminView> view(String id) {
        return topics.find(id).map(t -> TopicAdminView.of(t.orElseThrow(), catalog, Instant.now()));
    }

    private record Checked(Tuple tuple) {
    }

    /** The checks annotations cannot make: days, times, dates and URLs. */
    private static Checked check(TopicRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        JsonObject hours = new JsonObject();
        r.openingHours().forEach((day, periods) -> {
            String field = "openingHours." + day;
            if (!DAYS.contains(day)) {
                errors.add(new Problem.FieldError(field, "dag moet mon..sun zijn / day must be mon..sun"));
                return;
            }
            JsonArray list = new JsonArray();
            for (List<String> p : periods == null ? List.<List<String>>of() : periods) {
                try {
                    if (p == null || p.size() != 2 || !OpeningHours.time(p.get(0)).isBefore(OpeningHours.time(p.get(1)))) {
                        throw new DateTimeParseException("order", String.valueOf(p), 0);
                    }
                    list.add(new JsonArray().add(p.get(0)).add(p.get(1)));
                } catch (DateTimeParseException e) {
                    errors.add(new Problem.FieldError(field, "elke periode is [\"HH:mm\",\"HH:mm\"] (eind uiterlijk 24:00), begin voor eind / each period is [\"HH:mm\",\"HH:mm\"] (end at most 24:00), start before end"));
                }
            }
            hours.put(day, list);
        });
        List<LocalDate> closed = new ArrayList<>();
        for (String d : r.closedDates() == null ? List.<String>of() : r.closedDates()) {
            try {
                closed.add(LocalDate.parse(d));
            } catch (DateTimeParseException e) {
                errors.add(new Problem.FieldError("closedDates", "geen datum als 2026-12-25 / not a date like 2026-12-25: " + d));
            }
        }
        JsonArray alternatives = new JsonArray();
        for (Alternative a : r.digitalAlternatives() == null ? List.<Alternative>of() : r.digitalAlternatives()) {
            try {
                URI uri = URI.create(a.url());
                if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                JsonObject alternative = new JsonObject().put("title", a.title()).put("url", a.url());
                String titleEn = blankToNull(a.titleEn());
                if (titleEn != null) {
                    alternative.put("titleEn", titleEn);
                }
                alternatives.add(alternative);
            } catch (IllegalArgumentException e) {
                errors.add(new Problem.FieldError("digitalAlternatives.url", "geen http(s)-adres / not an http(s) address: " + a.url()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new Checked(Tuple.tuple(java.util.Arrays.asList(r.id(), r.nameNl().strip(), r.nameEn().strip(),
                r.sortOrder() == null ? 100 : r.sortOrder(), hours, closed.toArray(new LocalDate[0]),
                r.callbackThresholdSeconds() == null ? 600 : r.callbackThresholdSeconds(), alternatives,
                blankToNull(r.notice()), blankToNull(r.noticeEn()))));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
