package nl.loket.retention;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * What the widget tells residents about how Loket works here (public, docs/protocol.md §4): how
 * many days their conversation's personal data is kept, so the house rules state the configured
 * number rather than a fixed one.
 */
@Path("/api/v1/settings")
@Tag(name = "resident")
public class SettingsResource {

    private final LoketConfig config;

    public SettingsResource(LoketConfig config) {
        this.config = config;
    }

    /** {@code {"retentionDays":n}}: LOKET_RETENTION_DAYS. */
    public record Settings(int retentionDays) {
    }

    @GET
    @Operation(summary = "Public settings residents are told about: the days personal data is kept after a conversation or callback ends")
    public Settings settings() {
        return new Settings(config.privacy().retentionDays());
    }
}
