package nl.loket.department;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Table;
import org.hibernate.annotations.ColumnTransformer;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A department of the municipality (Burgerzaken, Belastingen, …): its usual contact routes and
 * the topics it stands behind. A managed aggregate, kept with Hibernate Reactive and Panache
 * (docs/architecture.md §6); only {@link DepartmentStore} writes it.
 */
@Entity
@Table(name = "department")
public class Department extends PanacheEntityBase {

    @Id
    public String id;

    public String name;

    /**
     * A JSON array in a jsonb column. Hibernate Reactive binds JSON attributes as a Vert.x
     * JsonObject, which cannot hold an array (docs/architecture.md §6), so the list goes through
     * a converter as text and the column casts it.
     */
    @Convert(converter = ContactRoute.Column.class)
    @ColumnTransformer(read = "cast(contact_routes as text)", write = "cast(cast(? as text) as jsonb)")
    @Column(name = "contact_routes")
    public List<ContactRoute> contactRoutes = new ArrayList<>();

    @ElementCollection
    @CollectionTable(name = "department_topic", joinColumns = @JoinColumn(name = "department_id"))
    @Column(name = "topic_id")
    public Set<String> topics = new HashSet<>();

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "updated_by")
    public String updatedBy;
}
