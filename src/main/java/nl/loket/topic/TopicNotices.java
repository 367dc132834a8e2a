package nl.loket.topic;

import io.smallrye.mutiny.Uni;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The departments' reachability notices that residents see on a topic (docs/departments.md).
 * Topics sit below departments, so the department package implements this and the topic list
 * asks it, without the topic package knowing departments.
 */
public interface TopicNotices {

    /** One notice as the widget shows it: {@code text} in the requested language (Dutch when there is no English). */
    record ResidentNotice(String department, String kind, String text, Instant until) {
    }

    /** Per topic id, the notices in force at {@code now} that have a text for residents, worst first. */
    Uni<Map<String, List<ResidentNotice>>> forResidents(String locale, Instant now);
}
