package nl.loket.department;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/**
 * A department's reachability notice for a period. History: it is set once and may be ended
 * once; it is never changed in place or deleted (the table's trigger refuses both).
 */
@Entity
@Table(name = "department_notice")
public class DepartmentNotice extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "department_id")
    public String departmentId;

    @Convert(converter = NoticeKind.Column.class)
    public NoticeKind kind;

    @Column(name = "valid_from")
    public Instant validFrom;

    /** null: until ended */
    @Column(name = "valid_until")
    public Instant validUntil;

    @Column(name = "agent_text")
    public String agentText;

    @Column(name = "resident_text")
    public String residentText;

    @Column(name = "resident_text_en")
    public String residentTextEn;

    @Column(name = "set_by")
    public String setBy;

    @Column(name = "set_by_id")
    public UUID setById;

    @Column(name = "set_at")
    public Instant setAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "ended_by")
    public String endedBy;
}
