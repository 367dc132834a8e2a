package nl.loket.department;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.department.DepartmentStore.BoardData;
import nl.loket.department.Views.DepartmentView;
import nl.loket.department.Views.NoticeView;
import nl.loket.platform.Failures;
import nl.loket.platform.Signal;
import nl.loket.topic.TopicNotices;

import java.text.Collator;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The reachability board of this node: every department with its notices that are still to
 * come or in force, in memory. It is read on every {@code GET /api/v1/departments} (every agent's
 * console after each change, see the agent package's DepartmentsPush) and every
 * {@code GET /api/v1/topics} (residents), so those cost no query; it is
 * read again from the tables only when a {@link Signal.Departments} says something changed (from
 * this node after a commit, or from another over NOTIFY) and after the listener reconnects.
 * Which notices are in force is decided at each read with the clock, so one that starts or runs
 * out needs no reload.
 */
@ApplicationScoped
public class DepartmentBoard implements TopicNotices {

    private static final Collator DUTCH = Collator.getInstance(Locale.forLanguageTag("nl"));

    private final DepartmentStore store;
    private final Vertx vertx;
    private final Failures failures;
    /** The newest load; readers wait for it, so a change is seen by the next read after its signal. */
    private volatile Uni<BoardData> current;

    public DepartmentBoard(DepartmentStore store, Vertx vertx, Failures failures) {
        this.store = store;
        this.vertx = vertx;
        this.failures = failures;
    }

    void onChange(@Observes Signal.Departments changed) {
        reload();
    }

    void onResync(@Observes Signal.Resync resync) {
        if (current != null) {
            reload();
        }
    }

    /** The departments with the notices in force at {@code now}, worst first, by name. */
    public Uni<List<DepartmentView>> departments(Instant now) {
        return data().map(board -> board.departments().stream()
                .map(d -> withNotices(d, board, now))
                .toList());
    }

    public Uni<Optional<DepartmentView>> department(String id, Instant now) {
        return data().map(board -> board.departments().stream().filter(d -> d.id().equals(id)).findFirst()
                .map(d -> withNotices(d, board, now)));
    }

    @Override
    public Uni<Map<String, List<ResidentNotice>>> forResidents(String locale, Instant now) {
        boolean english = "en".equals(locale);
        return data().map(board -> {
            record Entry(String department, NoticeView notice) {
            }
            Map<String, List<Entry>> byTopic = new HashMap<>();
            for (DepartmentView d : board.departments()) {
                for (NoticeView n : inForce(board, d.id(), now)) {
                    if (n.residentText() == null) {
                        continue; // for agents only
                    }
                    for (String topic : d.topics()) {
                        byTopic.computeIfAbsent(topic, t -> new ArrayList<>()).add(new Entry(d.name(), n));
                    }
                }
            }
            Map<String, List<ResidentNotice>> out = new HashMap<>();
            byTopic.forEach((topic, entries) -> out.put(topic, entries.stream()
                    .sorted(Comparator.comparing((Entry e) -> e.notice().severity()).thenComparing(Entry::department, DUTCH))
                    .map(e -> new ResidentNotice(e.department(), e.notice().kind(),
                            english && e.notice().residentTextEn() != null ? e.notice().residentTextEn() : e.notice().residentText(),
                            e.notice().until()))
                    .toList()));
            return out;
        });
    }

    private static DepartmentView withNotices(DepartmentView d, BoardData board, Instant now) {
        return new DepartmentView(d.id(), d.name(), d.contactRoutes(), d.topics(), inForce(board, d.id(), now), d.nameSharedWith());
    }

    private static List<NoticeView> inForce(BoardData board, String departmentId, Instant now) {
        return board.openNotices().getOrDefault(departmentId, List.of()).stream()
                .filter(n -> n.inForce(now))
                .sorted(Views.WORST_FIRST)
                .toList();
    }

    private Uni<BoardData> data() {
        Uni<BoardData> c = current;
        return c != null ? c : reload();
    }

    /**
     * Starts a load now and makes it the one readers wait for. If it fails, readers keep the
     * previous board (or, when there is none, the next read tries again).
     */
    private synchronized Uni<BoardData> reload() {
        Uni<BoardData> previous = current;
        Uni<BoardData> load = load().onFailure().invoke(e -> failures.record("departments", e, "Reading the departments board failed"));
        if (previous != null) {
            load = load.onFailure().recoverWithUni(previous);
        }
        Uni<BoardData> next = load.memoize().indefinitely();
        current = next;
        next.subscribe().with(ok -> {
        }, failed -> forget(next));
        return next;
    }

    private synchronized void forget(Uni<BoardData> failed) {
        if (current == failed) {
            current = null;
        }
    }

    /**
     * Reads the board in a Hibernate Reactive session of its own. A signal arrives on whatever
     * event loop heard it (the LISTEN connection's, or the writer's request after its commit);
     * Hibernate Reactive needs a fresh, safe duplicated context for a session that belongs to no
     * request, so the load gets one.
     */
    private Uni<BoardData> load() {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> store.board(Instant.now()).subscribe().with(emitter::complete, emitter::fail));
        });
    }
}
