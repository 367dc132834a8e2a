package nl.loket.events;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import nl.loket.platform.Db;
import nl.loket.security.Roles;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/admin/webhooks}: how far each webhook receiver is, and what went wrong last. */
@Path("/api/v1/admin/webhooks")
@RolesAllowed(Roles.ADMIN)
@Tag(name = "admin")
public class WebhookStatus {

    private final Db db;
    private final EventsConfig config;
    private final WebhookSender sender;

    public WebhookStatus(Db db, EventsConfig config, WebhookSender sender) {
        this.db = db;
        this.config = config;
        this.sender = sender;
    }

    /**
     * One receiver. {@code failures} counts the failed attempts at the event now due (0 after a
     * success); {@code pending} is how many events wait for it.
     */
    public record Endpoint(String url, Long lastDeliveredEventId, Instant lastSuccessAt, int failures, long totalFailures,
                           String lastError, Instant lastErrorAt, Instant nextAttemptAt, long pending) {
    }

    public record Status(String sink, List<Endpoint> endpoints) {
    }

    @GET
    @Operation(summary = "Webhook receivers: last delivered event, last success, failures, last error, next attempt")
    public Uni<Status> status() {
        String sink = config.sink().name().toLowerCase();
        List<String> urls = sender.urls();
        if (urls.isEmpty()) {
            return Uni.createFrom().item(new Status(sink, List.of()));
        }
        return db.query("""
                        select e.url, e.last_event_id, e.last_success_at, e.failures, e.total_failures, e.last_error, e.last_error_at,
                               e.next_attempt_at,
                               (select count(*) from outbox o where (o.seq > e.delivered_seq or o.seq is null) and o.id > e.from_id) as pending
                        from webhook_endpoint e where e.url = any($1)""", Tuple.of(urls.toArray(new String[0])))
                .map(rows -> {
                    Map<String, Row> byUrl = new HashMap<>();
                    rows.forEach(r -> byUrl.put(r.getString("url"), r));
                    return new Status(sink, urls.stream().map(url -> {
                        Row r = byUrl.get(url);
                        if (r == null) {
                            // configured, not yet picked up by the first delivery round
                            return new Endpoint(display(url), null, null, 0, 0, null, null, null, 0);
                        }
                        return new Endpoint(display(url), r.getLong("last_event_id"), instant(r, "last_success_at"),
                                r.getInteger("failures"), r.getLong("total_failures"), r.getString("last_error"),
                                instant(r, "last_error_at"), instant(r, "next_attempt_at"), r.getLong("pending"));
                    }).toList());
                });
    }

    private static Instant instant(Row r, String column) {
        return r.getOffsetDateTime(column) == null ? null : r.getOffsetDateTime(column).toInstant();
    }

    /** A URL without user info or query, which may hold credentials. */
    static String display(String url) {
        try {
            URI uri = URI.create(url);
            return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString()
                    + (uri.getRawQuery() == null ? "" : "?…");
        } catch (Exception e) {
            return "(unreadable URL)";
        }
    }
}
