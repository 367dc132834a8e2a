package nl.loket.department;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The JSON shapes of docs/departments.md. */
public final class Views {

    private Views() {
    }

    /** A notice as staff read it; {@code endedAt}/{@code endedBy} say who ended it by hand, and when. */
    public record NoticeView(String id, String departmentId, String kind, Instant from, Instant until, String agentText,
                             String residentText, String residentTextEn, String setBy, Instant setAt, Instant endedAt,
                             String endedBy) {

        static NoticeView of(DepartmentNotice n) {
            return new NoticeView(n.id.toString(), n.departmentId, n.kind.wire(), n.validFrom, n.validUntil, n.agentText, n.residentText,
                    n.residentTextEn, n.setBy, n.setAt, n.endedAt, n.endedBy);
        }

        /** In force at {@code now}: started, not ended by hand, not past its end. */
        boolean inForce(Instant now) {
            return !ended(now) && !from.isAfter(now) && (until == null || until.isAfter(now));
        }

        /** Still to come or in force: not ended by hand and not past its end. */
        boolean open(Instant now) {
            return !ended(now) && (until == null || until.isAfter(now));
        }

        private boolean ended(Instant now) {
            return endedAt != null && !endedAt.isAfter(now);
        }

        NoticeKind severity() {
            return NoticeKind.of(kind).orElse(NoticeKind.NORMAL);
        }
    }

    /** Worst first, then the earliest start. */
    static final Comparator<NoticeView> WORST_FIRST = Comparator.comparing(NoticeView::severity).thenComparing(NoticeView::from);

    /**
     * A department with the notices in force now (GET /api/v1/departments). {@code nameSharedWith}:
     * the ids of the other departments with the same name, case and surrounding spaces aside; empty
     * but for pairs stored before names were made unique, which an administrator should rename.
     */
    public record DepartmentView(String id, String name, List<ContactRoute> contactRoutes, List<String> topics,
                                 List<NoticeView> notices,
                                 @Schema(description = "ids of the other departments with this name (case and surrounding spaces aside), "
                                         + "stored before names were unique; rename one of them") List<String> nameSharedWith) {
    }
}
