package nl.loket.department;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.department.DepartmentStore.DepartmentInput;
import nl.loket.department.DepartmentStore.NoticeInput;
import nl.loket.department.Views.DepartmentView;
import nl.loket.department.Views.NoticeView;
import nl.loket.platform.Db;
import nl.loket.platform.Problem;
import nl.loket.platform.ValidationException;
import nl.loket.topic.Topic;
import nl.loket.topic.TopicCatalog;

import java.net.URI;
import java.text.Normalizer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The owner of departments and their notices: checks what is asked, has {@link DepartmentStore}
 * write it in one transaction (which notifies the other nodes), and after the commit tells this
 * node's board at once, so whoever wrote reads their change on the next request.
 */
@ApplicationScoped
public class Departments {

    static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,39}");
    static final Set<String> ROUTE_KINDS = Set.of("phone", "email", "web", "desk", "other");
    static final int MAX_ROUTES = 20;

    private final DepartmentStore store;
    private final TopicCatalog topics;
    private final Db db;

    public Departments(DepartmentStore store, TopicCatalog topics, Db db) {
        this.store = store;
        this.topics = topics;
        this.db = db;
    }

    /** A department as an admin sends it; on create {@code id} may be left out (made from the name). */
    public record DepartmentRequest(String id, String name, List<ContactRoute> contactRoutes, List<String> topics) {
    }

    /** A notice as it is set: {@code from} empty = now, {@code until} empty = until ended. */
    public record NoticeRequest(String kind, Instant from, Instant until, String agentText, String residentText,
                                String residentTextEn) {
    }

    public Uni<DepartmentView> create(DepartmentRequest r, String by) {
        return check(r, true).chain(in -> store.create(in, by)).invoke(this::changed);
    }

    public Uni<DepartmentView> update(String id, DepartmentRequest r, String by) {
        return check(new DepartmentRequest(id, r.name(), r.contactRoutes(), r.topics()), false)
                .chain(in -> store.update(id, in, by)).invoke(this::changed);
    }

    public Uni<NoticeView> setNotice(String departmentId, NoticeRequest r, Writer writer) {
        return store.setNotice(departmentId, writer, () -> check(r)).invoke(this::changed);
    }

    public Uni<Void> endNotice(String departmentId, UUID noticeId, Writer writer) {
        return store.endNotice(departmentId, noticeId, writer).invoke(this::changed);
    }

    public Uni<List<NoticeView>> notices(String departmentId, boolean all) {
        return store.notices(departmentId, all);
    }

    /** After the commit: this node's board reloads now; the others heard the NOTIFY of the transaction. */
    private void changed() {
        db.delivered(DepartmentStore.CHANGED);
    }

    // ---- checks ----------------------------------------------------------------------------

    private Uni<DepartmentInput> check(DepartmentRequest r, boolean creating) {
        List<Problem.FieldError> errors = new ArrayList<>();
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty()) {
            errors.add(new Problem.FieldError("name", "verplicht / required"));
        } else if (name.length() > 100) {
            errors.add(new Problem.FieldError("name", "maximaal 100 tekens / at most 100 characters"));
        }
        String id = r.id() == null || r.id().isBlank() ? (creating ? slug(name) : null) : r.id().strip();
        if (creating && !name.isEmpty() && (id == null || !SLUG.matcher(id).matches())) {
            errors.add(new Problem.FieldError("id",
                    "2 tot 40 kleine letters, cijfers of -, beginnend met een letter of cijfer / 2 to 40 lower-case letters, digits or -, starting with a letter or digit"));
        }
        List<ContactRoute> routes = new ArrayList<>();
        List<ContactRoute> given = r.contactRoutes() == null ? List.of() : r.contactRoutes();
        if (given.size() > MAX_ROUTES) {
            errors.add(new Problem.FieldError("contactRoutes", "hoogstens " + MAX_ROUTES + " routes / at most " + MAX_ROUTES + " routes"));
        }
        for (int i = 0; i < given.size(); i++) {
            ContactRoute route = given.get(i);
            String field = "contactRoutes[" + i + "]";
            if (route == null) {
                errors.add(new Problem.FieldError(field, "verplicht / required"));
                continue;
            }
            String kind = route.kind() == null ? "phone" : route.kind().strip();
            String label = route.label() == null ? "" : route.label().strip();
            String value = route.value() == null ? "" : route.value().strip();
            if (!ROUTE_KINDS.contains(kind)) {
                errors.add(new Problem.FieldError(field, "onbekende soort; kies phone, email, web, desk of other / unknown kind; "
                        + "choose phone, email, web, desk or other"));
            } else if (label.isEmpty() || value.isEmpty()) {
                errors.add(new Problem.FieldError(field, "omschrijving en waarde zijn verplicht / label and value are required"));
            } else if (label.length() > 100 || value.length() > 300) {
                errors.add(new Problem.FieldError(field, "omschrijving hoogstens 100, waarde hoogstens 300 tekens / "
                        + "label at most 100, value at most 300 characters"));
            } else if (kind.equals("web") && !isHttpUrl(value)) {
                errors.add(new Problem.FieldError(field, "geen geldig http(s)-adres / not a valid http(s) address"));
            } else {
                routes.add(new ContactRoute(kind, label, value));
            }
        }
        List<String> wanted = r.topics() == null ? List.of() : r.topics().stream().distinct().toList();
        String finalId = id;
        return knownTopics(wanted).map(known -> {
            wanted.stream().filter(t -> t == null || !known.containsKey(t)).forEach(t ->
                    errors.add(new Problem.FieldError("topics", "onbekend onderwerp / unknown topic: " + t)));
            if (!errors.isEmpty()) {
                throw new ValidationException(errors);
            }
            return new DepartmentInput(finalId, name, routes, wanted);
        });
    }

    /** The topics as the catalogue knows them; read afresh when one asked for was not there (made seconds ago). */
    private Uni<Map<String, Topic>> knownTopics(List<String> wanted) {
        return topics.topics().chain(all -> {
            if (all.keySet().containsAll(wanted.stream().filter(java.util.Objects::nonNull).toList())) {
                return Uni.createFrom().item(all);
            }
            topics.invalidate();
            return topics.topics();
        });
    }

    private static NoticeInput check(NoticeRequest r) {
        List<Problem.FieldError> errors = new ArrayList<>();
        NoticeKind kind = r.kind() == null ? null : NoticeKind.of(r.kind()).orElse(null);
        if (kind == null) {
            errors.add(new Problem.FieldError("kind", "onbekende soort; kies normal, reduced, appointment_only of unreachable / "
                    + "unknown kind; choose normal, reduced, appointment_only or unreachable"));
        }
        Instant from = r.from() == null ? Instant.now() : r.from();
        if (r.until() != null && !r.until().isAfter(from)) {
            errors.add(new Problem.FieldError("until", "moet na het begin liggen / must be after the start"));
        }
        String agentText = r.agentText() == null ? "" : r.agentText().strip();
        if (agentText.isEmpty()) {
            errors.add(new Problem.FieldError("agentText", "verplicht / required"));
        } else if (agentText.length() > 1000) {
            errors.add(new Problem.FieldError("agentText", "maximaal 1000 tekens / at most 1000 characters"));
        }
        String residentText = blankToNull(r.residentText());
        String residentTextEn = blankToNull(r.residentTextEn());
        if (residentText != null && residentText.length() > 500) {
            errors.add(new Problem.FieldError("residentText", "maximaal 500 tekens / at most 500 characters"));
        }
        if (residentTextEn != null && residentTextEn.length() > 500) {
            errors.add(new Problem.FieldError("residentTextEn", "maximaal 500 tekens / at most 500 characters"));
        }
        if (residentTextEn != null && residentText == null) {
            errors.add(new Problem.FieldError("residentText", "verplicht naast een Engelse tekst / required beside an English text"));
        }
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return new NoticeInput(kind, r.from(), r.until(), agentText, residentText, residentTextEn);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    /** "Burgerzaken & Wijkbeheer" → "burgerzaken-wijkbeheer". */
    static String slug(String name) {
        String plain = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}", "").toLowerCase(Locale.ROOT);
        String s = plain.replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 40) {
            s = s.substring(0, 40).replaceAll("-+$", "");
        }
        return s;
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
