package nl.loket.web;

import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Problem;
import nl.loket.security.UpgradeChecks;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Another site's page may call what the widget calls, and nothing else. The sites in
 * {@code LOKET_ALLOWED_ORIGINS} embed the widget; the CORS filter answers them for every path, so
 * they were also told they may read the console's, the administrator's and the integrators'
 * answers (useless without a staff token, which lives only on the console's own origin, but
 * more than they need). A cross-origin request, or its preflight, for anything but the
 * resident's endpoints (docs/protocol.md §3 and §10) is refused here with 403 and no CORS
 * headers, before that filter grants it anything, and so is one of a site that is not listed,
 * whatever it asks for (the CORS filter refused that one too, but with an empty body). The
 * refusal is a problem ({@code /problems/cross-origin}) like every other, with the security
 * headers ({@link SecurityHeaders} runs first). The console, on the service's own origin, passes,
 * and so does a client that is no browser (no {@code Origin}). The sockets are left to their own
 * Origin check ({@link UpgradeChecks}): the listed sites open the resident's, the agent's is the
 * console's own origin only.
 */
@ApplicationScoped
public class CrossOriginScope {

    private static final String ID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

    /** By method: what frontend-widget/src/api.ts calls, the rest of a resident's REST, and the widget's own files. */
    static final Map<String, Pattern> WIDGET = Map.of(
            "GET", Pattern.compile("/api/v1/topics|/api/v1/settings|/api/v1/conversations/" + ID + "(/transcript|/transcript\\.txt)?"
                    + "|/api/v1/callbacks/" + ID + "|/widget/.*"),
            "POST", Pattern.compile("/api/v1/conversations|/api/v1/conversations/" + ID + "/rating|/api/v1/callbacks"),
            "DELETE", Pattern.compile("/api/v1/callbacks/" + ID));

    /** Readable by no page of another site (no CORS headers): for whoever looks at the network tab or a log. */
    private static final String REFUSAL = Json.encode(Problem.of(403, "cross-origin",
            "Niet vanaf een andere site / Not from another site",
            "Dit kan alleen vanaf Loket zelf worden gevraagd; een andere site mag alleen wat de chatwidget vraagt, "
                    + "en alleen als ze in LOKET_ALLOWED_ORIGINS staat. / This can only be asked from Loket itself; "
                    + "another site may ask only what the chat widget asks, and only when it is listed in LOKET_ALLOWED_ORIGINS."));

    private final UpgradeChecks origins;

    CrossOriginScope(UpgradeChecks origins) {
        this.origins = origins;
    }

    void install(@Observes Router router) {
        // before the CORS filter (its priority 300 is route order -300), so that it grants nothing here
        router.route().order(-310).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        String origin = request.getHeader("Origin");
        String path = rc.normalizedPath();
        if (origin == null || path.startsWith("/ws/")) {
            rc.next();
            return;
        }
        boolean allowed = forWidget(method(request), path) ? origins.originAllowed(origin, request) : UpgradeChecks.sameOrigin(origin, request);
        if (allowed) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(403).putHeader("Content-Type", Problem.MEDIA_TYPE).end(REFUSAL);
    }

    static boolean forWidget(String method, String path) {
        Pattern paths = WIDGET.get(method);
        return paths != null && paths.matcher(path).matches();
    }

    /** A preflight asks on behalf of the method it names. */
    private static String method(HttpServerRequest request) {
        String asked = request.getHeader("Access-Control-Request-Method");
        return request.method() == HttpMethod.OPTIONS && asked != null ? asked.strip() : request.method().name();
    }
}
