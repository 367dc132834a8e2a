package nl.loket.resident;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** What the widget tells residents about how Loket is set up: how long their data is kept. Public. */
@Path("/api/v1/settings")
@Tag(name = "resident")
public class SettingsResource {

    private final LoketConfig config;

    public SettingsResource(LoketConfig config) {
        this.config = config;
    }

    public record Settings(int retentionDays) {
    }

    @GET
    @NonBlocking
    @Operation(summary = "Settings residents are told about: retentionDays, the days after a conversation or callback ended "
            + "that its personal data is purged (LOKET_RETENTION_DAYS)")
    public Settings get() {
        return new Settings(config.privacy().retentionDays());
    }
}
