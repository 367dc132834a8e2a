package nl.loket.web;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Problem;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A request whose declared body is over {@code quarkus.http.limits.max-body-size}
 * ({@code LOKET_MAX_BODY_SIZE}) is refused with a problem, like every other refusal, before a
 * byte of its body is read. The framework's own check (a later route) answers 413 with an empty
 * body; it still refuses a body sent in chunks, without a declared length, once it grows past the
 * limit (docs/protocol.md §1).
 */
@ApplicationScoped
public class BodyLimit {

    private final long limit;
    private final String refusal;

    BodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        this.limit = limit.asLongValue();
        String size = this.limit % 1024 == 0 ? this.limit / 1024 + " KiB" : this.limit + " bytes";
        this.refusal = Json.encode(Problem.of(413, "body-too-large", "Verzoek te groot / Request too large",
                "Het verzoek is groter dan " + size + "; stuur minder tekst. "
                        + "/ The request is larger than " + size + "; send less text."));
    }

    void install(@Observes Router router) {
        // after SecurityHeaders (-10), so that the refusal carries its headers; before the framework's limit (-2)
        router.route().order(-9).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String declared = rc.request().getHeader("Content-Length");
        if (declared != null && over(declared)) {
            rc.response().setStatusCode(413)
                    .putHeader("Content-Type", Problem.MEDIA_TYPE)
                    .putHeader("Connection", "close")
                    .end(refusal);
            return;
        }
        rc.next();
    }

    private boolean over(String declared) {
        try {
            return Long.parseLong(declared.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // the framework answers a malformed length itself
        }
    }
}
