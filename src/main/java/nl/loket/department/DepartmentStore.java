package nl.loket.department;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import nl.loket.department.Views.DepartmentView;
import nl.loket.department.Views.NoticeView;
import nl.loket.platform.Db;
import nl.loket.platform.LoketException;
import nl.loket.platform.Problem;
import nl.loket.platform.Signal;
import nl.loket.platform.ValidationException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The transactions of the department aggregate, on Hibernate Reactive with Panache. Every write
 * notifies the other nodes inside its transaction (so they hear of it exactly when it commits);
 * {@link Departments}, the owner's face, delivers the same signal on this node after the commit.
 * Nothing else writes {@code department}, {@code department_topic} or {@code department_notice}.
 */
@ApplicationScoped
public class DepartmentStore {

    static final Signal CHANGED = new Signal.Departments();

    private final Db db;

    public DepartmentStore(Db db) {
        this.db = db;
    }

    /** A department to create or change, checked by {@link Departments}. */
    record DepartmentInput(String id, String name, List<ContactRoute> contactRoutes, List<String> topics) {
    }

    /** A notice to set, checked by {@link Departments}. */
    record NoticeInput(NoticeKind kind, Instant from, Instant until, String agentText, String residentText, String residentTextEn) {
    }

    @WithSession
    public Uni<BoardData> board(Instant now) {
        return Department.<Department>find("from Department d left join fetch d.topics order by d.name").list()
                .chain(departments -> sharedNames().chain(shared -> DepartmentNotice.<DepartmentNotice>list(
                                "endedAt is null and (validUntil is null or validUntil > ?1) order by validFrom", now)
                        .map(notices -> new BoardData(
                                departments.stream().map(d -> withSharedName(copy(d), shared)).toList(),
                                notices.stream().map(NoticeView::of).collect(Collectors.groupingBy(NoticeView::departmentId))))));
    }

    /**
     * The characters a name may have around it and still be the same name: exactly those
     * {@link String#strip()} removes from a name sent to the API (Java's white space: spaces, tabs,
     * line ends and the Unicode spaces, but not the no-break spaces U+00A0, U+2007 and U+202F,
     * which are part of a name). PostgreSQL's one-argument {@code btrim} removes only U+0020.
     */
    static final String SURROUNDING_SPACE = IntStream.rangeClosed(0, Character.MAX_VALUE).filter(Character::isWhitespace)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();

    /**
     * The one definition of "the same name" (case and surrounding spaces aside), as SQL on two
     * text expressions; every statement that uses it binds {@code :space} to
     * {@link #SURROUNDING_SPACE}. The uniqueness check on create and rename ({@link #nameFree})
     * and the mark on the board ({@link #sharedNames}) both use it, so whatever the check refuses
     * as a clash the mark shows on pairs stored before the check, and nothing else. Case is
     * folded by the database's {@code lower}, under its LC_CTYPE: letters outside ASCII ('É',
     * 'é') fold only under a UTF-8 locale, not under C.
     */
    static String sameName(String a, String b) {
        return "lower(btrim(" + a + ", :space)) = lower(btrim(" + b + ", :space))";
    }

    /**
     * Per department the ids of the others with the same name ({@link #sameName}): pairs stored
     * before names were unique. Creates and renames refuse such a name, but pairs stored before
     * stay as they were, neither found nor merged: an administrator sees the mark
     * ({@code nameSharedWith}) and renames one of them.
     */
    private static Uni<Map<String, List<String>>> sharedNames() {
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("select a.id, b.id from department a join department b on a.id <> b.id and "
                                + sameName("a.name", "b.name"), Object[].class)
                        .setParameter("space", SURROUNDING_SPACE)
                        .getResultList())
                .map(rows -> rows.stream().collect(Collectors.groupingBy(row -> (String) row[0],
                        Collectors.mapping(row -> (String) row[1], Collectors.toList()))));
    }

    private static DepartmentView withSharedName(DepartmentView d, Map<String, List<String>> shared) {
        List<String> others = shared.getOrDefault(d.id(), List.of()).stream().sorted().toList();
        return others.isEmpty() ? d : new DepartmentView(d.id(), d.name(), d.contactRoutes(), d.topics(), d.notices(), others);
    }

    /** What a board holds: every department (without notices) and, per department, its notices that had not ended or run out. */
    record BoardData(List<DepartmentView> departments, Map<String, List<NoticeView>> openNotices) {
    }

    private static DepartmentView copy(Department d) {
        return new DepartmentView(d.id, d.name, List.copyOf(d.contactRoutes == null ? List.of() : d.contactRoutes),
                d.topics.stream().sorted().toList(), List.of(), List.of());
    }

    @WithTransaction
    public Uni<DepartmentView> create(DepartmentInput in, String by) {
        return namesLocked().chain(() -> Department.<Department>findById(in.id())).chain(existing -> {
            if (existing != null) {
                throw ValidationException.of("id", "bestaat al / already exists");
            }
            return nameFree(in.id(), in.name());
        }).chain(() -> {
            Department d = new Department();
            d.id = in.id();
            apply(d, in, by);
            return d.<Department>persist();
        }).call(this::announce).map(d -> copy(d));
    }

    @WithTransaction
    public Uni<DepartmentView> update(String id, DepartmentInput in, String by) {
        return Department.<Department>find("from Department d left join fetch d.topics where d.id = ?1", id).list()
                .map(found -> found.isEmpty() ? null : found.get(0))
                .call(d -> {
                    if (d == null) {
                        throw unknownDepartment();
                    }
                    return namesLocked().chain(() -> nameFree(id, in.name()));
                })
                .map(d -> {
                    apply(d, in, by);
                    return d;
                })
                .call(this::announce).map(DepartmentStore::copy);
    }

    /**
     * Makes the creates and edits of departments wait for each other, until this transaction
     * ends (an edit takes it too: whether it renames is decided by {@link #nameFree}, in SQL).
     * The table has no unique index on the name (it would need a migration, and pairs stored
     * before this check would stop it from being made), so the check in {@link #nameFree}
     * alone would let two creates of one name, at the same moment, both pass: each reads before
     * the other commits. Under this lock the second reads after the first committed (each
     * statement reads what was committed when it starts), and is refused. Such writes come a few
     * times a day, by hand: waiting costs nothing.
     */
    private static Uni<Void> namesLocked() {
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtextextended('loket-department-name', 0))) l",
                                Long.class)
                        .getSingleResult())
                .replaceWithVoid();
    }

    /**
     * Refuses a name another department has ({@link #sameName}: case and surrounding spaces
     * aside) with a 409: the departments' screen would show two landmarks of one name, which
     * nobody can tell apart. A department that keeps its own name (in another case or not) is
     * never refused, so a pair stored before this check stays editable. Only under
     * {@link #namesLocked}.
     */
    private static Uni<Void> nameFree(String id, String name) {
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("select count(*) from department o where o.id <> :id and " + sameName("o.name", ":name")
                                        + " and not exists (select 1 from department s where s.id = :id and " + sameName("s.name", ":name") + ")",
                                Long.class)
                        .setParameter("name", name)
                        .setParameter("id", id)
                        .setParameter("space", SURROUNDING_SPACE)
                        .getSingleResult())
                .map(others -> {
                    if (others > 0) {
                        throw nameTaken();
                    }
                    return null;
                });
    }

    static LoketException nameTaken() {
        return new LoketException("department_name_taken", 409,
                "Er is al een afdeling met deze naam. / A department with this name already exists.",
                List.of(new Problem.FieldError("name", "al in gebruik door een andere afdeling / already used by another department")));
    }

    private static void apply(Department d, DepartmentInput in, String by) {
        d.name = in.name();
        d.contactRoutes = new ArrayList<>(in.contactRoutes());
        d.topics.clear();
        d.topics.addAll(new HashSet<>(in.topics()));
        d.updatedAt = now();
        d.updatedBy = by;
    }

    /**
     * Sets a notice: the department must exist (404), the writer may write for it (403), the notice
     * must make sense (400, checked only then, as the contract orders the answers).
     */
    @WithTransaction
    public Uni<NoticeView> setNotice(String departmentId, Writer writer, java.util.function.Supplier<NoticeInput> check) {
        return mayWrite(departmentId, writer).chain(() -> {
            NoticeInput in = check.get();
            Instant now = now();
            DepartmentNotice n = new DepartmentNotice();
            n.id = UUID.randomUUID();
            n.departmentId = departmentId;
            n.kind = in.kind();
            n.validFrom = in.from() == null ? now : in.from().truncatedTo(ChronoUnit.MICROS);
            n.validUntil = in.until() == null ? null : in.until().truncatedTo(ChronoUnit.MICROS);
            n.agentText = in.agentText();
            n.residentText = in.residentText();
            n.residentTextEn = in.residentTextEn();
            n.setBy = writer.username();
            n.setById = writer.id();
            n.setAt = now;
            return n.<DepartmentNotice>persist();
        }).call(this::announce).map(NoticeView::of);
    }

    /**
     * Ends a notice by hand: it keeps its row, with who ended it and when. A notice that has
     * already ended or run out stays as it is.
     */
    @WithTransaction
    public Uni<Void> endNotice(String departmentId, UUID noticeId, Writer writer) {
        return mayWrite(departmentId, writer)
                .chain(() -> DepartmentNotice.<DepartmentNotice>findById(noticeId, LockModeType.PESSIMISTIC_WRITE))
                .chain(n -> {
                    if (n == null || !n.departmentId.equals(departmentId)) {
                        throw new LoketException("not_found", 404, "Onbekende melding. / Unknown notice.");
                    }
                    Instant now = now();
                    if (n.endedAt != null || (n.validUntil != null && !n.validUntil.isAfter(now))) {
                        return Uni.createFrom().voidItem();
                    }
                    n.endedAt = now;
                    n.endedBy = writer.username();
                    return announce();
                });
    }

    /** The notices of a department: with {@code all} its whole history, newest first; else those still open. */
    @WithSession
    public Uni<List<NoticeView>> notices(String departmentId, boolean all) {
        return Department.<Department>findById(departmentId).chain(d -> {
            if (d == null) {
                throw unknownDepartment();
            }
            Uni<List<DepartmentNotice>> found = all
                    ? DepartmentNotice.list("departmentId = ?1 order by setAt desc, id", departmentId)
                    : DepartmentNotice.list("departmentId = ?1 and endedAt is null and (validUntil is null or validUntil > ?2) "
                    + "order by validFrom", departmentId, now());
            return found.map(list -> list.stream().map(NoticeView::of).toList());
        });
    }

    private Uni<Void> mayWrite(String departmentId, Writer writer) {
        return Department.<Department>findById(departmentId).map(d -> {
            if (d == null) {
                throw unknownDepartment();
            }
            if (!writer.mayWrite(departmentId)) {
                throw new LoketException("forbidden", 403,
                        "U mag alleen meldingen van uw eigen afdeling plaatsen. / You may only write notices for your own department.");
            }
            return null;
        }).replaceWithVoid();
    }

    /** NOTIFY inside the transaction: the other nodes hear of the change when it commits, and not before. */
    private Uni<Void> announce() {
        return Panache.getSession().chain(session -> session
                        .createNativeQuery("select count(*) from (select pg_notify(:channel, :payload)) n", Long.class)
                        .setParameter("channel", Db.CHANNEL)
                        .setParameter("payload", db.node() + "|" + CHANGED.encode())
                        .getSingleResult())
                .replaceWithVoid();
    }

    static LoketException unknownDepartment() {
        return new LoketException("not_found", 404, "Onbekende afdeling. / Unknown department.");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
