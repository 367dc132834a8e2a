package nl.loket.web;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.MultiMap;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.config.LoketConfig;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Response headers that tell browsers what they may do with what Loket serves.
 *
 * <ul>
 *   <li>Everywhere: {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer}.</li>
 *   <li>The API ({@code /api/}): {@code Cache-Control: no-store}, errors included. Its answers carry
 *       transcripts, residents' names and phone numbers, tokens and accounts; without it a
 *       browser kept a resident's transcript in its disk cache (a library computer's) after the
 *       tab was closed, past the time the resident's token may read it.</li>
 *   <li>The console's pages: a Content-Security-Policy that allows only its own files (no inline
 *       script or style, no other origins) and no framing at all ({@code frame-ancestors 'none'},
 *       and {@code X-Frame-Options: DENY} for older browsers).</li>
 *   <li>The demo page: the same policy, framing only by itself.</li>
 *   <li>Caching of the static files: only the console's fingerprinted assets (Vite puts a content
 *       hash in their names) are {@code immutable} for a year; everything else, the console's
 *       index and the widget's stable URL in particular, is {@code no-cache}: browsers keep it but
 *       ask first (Last-Modified / If-Modified-Since), so a new version shows at once.</li>
 *   <li>Every answer to a request that came over https, directly or from a trusted proxy that ended
 *       TLS ({@code X-Forwarded-Proto: https}, quarkus.http.proxy.*): {@code Strict-Transport-Security:
 *       max-age=<loket.security.hsts-max-age>}, so that a browser that once reached Loket over
 *       https is not talked down to plain http afterwards, whether the proxy in front was set up
 *       to send it or not. Without {@code includeSubDomains} or {@code preload}: the municipality's
 *       other hosts are not Loket's to bind. Never over plain http: browsers ignore it there, and
 *       a trial on plain http should not show it as if it counted.</li>
 *   <li>The WebSocket upgrades ({@code /ws/}) too: their 101 carries nosniff, no-referrer and, over
 *       https, Strict-Transport-Security; their refusals (400, 401, 403, 503) also {@code
 *       Cache-Control: no-store}. A browser may reach Loket first by {@code wss://}, and must be
 *       held to https from that answer on too.</li>
 * </ul>
 * The headers are set just before a response goes out, so they also replace the static file
 * handler's own caching header. They are asked for before any other route runs, so that a
 * refusal made early (another site's request, {@link CrossOriginScope}; the CORS filter's own
 * answers) carries them as every other answer does; none of them is a CORS header, so nothing
 * is granted to another site by them.
 *
 * <p>The 101 of an accepted upgrade is the exception: Vert.x writes it itself, from the response's
 * headers as they are at the upgrade, and runs no headers-end handler for it (Vert.x 4.5). Its
 * headers come from this class as an {@link HttpUpgradeCheck} that permits every upgrade with
 * them, Quarkus's own way to put headers on it; the other checks ({@code UpgradeChecks}, {@code
 * ResidentUpgradeCheck}, {@code Draining}) decide.
 */
@ApplicationScoped
public class SecurityHeaders implements HttpUpgradeCheck {

    static final String CONSOLE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    static final String DEMO_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";
    static final String IMMUTABLE = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";
    static final String NO_STORE = "no-store";

    /** Vite's output: {@code assets/<name>-<hash>.<ext>}, the hash being 8 or more URL-safe base64 characters. */
    private static final Pattern FINGERPRINTED = Pattern.compile("^/console/assets/[^/]+-[A-Za-z0-9_-]{8,}\\.[a-z0-9]+$");

    /** Strict-Transport-Security's max-age in seconds; 0 sends none. */
    private final long hstsMaxAge;

    SecurityHeaders(LoketConfig config) {
        this.hstsMaxAge = config.security().hstsMaxAge();
    }

    void install(@Observes Router router) {
        // before every other route, CrossOriginScope (-310) and the CORS filter (-300) included,
        // so that each response passes here: their refusals were sent without these headers
        router.route().order(-320).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        String path = rc.normalizedPath();
        // the scheme the browser used: Quarkus has already put the trusted proxy's
        // X-Forwarded-Proto in its place, and ignored it from anyone else
        String hsts = strictTransportSecurity(rc.request().scheme(), hstsMaxAge);
        // every answer but an accepted WebSocket upgrade's 101, which perform() sees to
        rc.addHeadersEndHandler(v -> {
            MultiMap headers = rc.response().headers();
            apply(path, headers);
            if (hsts != null) {
                headers.set("Strict-Transport-Security", hsts);
            }
        });
        rc.next();
    }

    /**
     * The headers of an accepted upgrade's 101: no headers-end handler runs for it. Permits every
     * upgrade; a check that refuses it decides, and its refusal gets its headers from {@link #handle}.
     */
    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return CheckResult.permitUpgrade(upgradeHeaders(context.httpRequest().scheme(), hstsMaxAge));
    }

    /** The headers of a 101 for a request that came with {@code scheme}: no Cache-Control, a 101 is kept by no cache. */
    static Map<String, List<String>> upgradeHeaders(String scheme, long maxAgeSeconds) {
        String hsts = strictTransportSecurity(scheme, maxAgeSeconds);
        return hsts == null
                ? Map.of("X-Content-Type-Options", List.of("nosniff"), "Referrer-Policy", List.of("no-referrer"))
                : Map.of("X-Content-Type-Options", List.of("nosniff"), "Referrer-Policy", List.of("no-referrer"),
                        "Strict-Transport-Security", List.of(hsts));
    }

    /**
     * The Strict-Transport-Security value for a request that came with {@code scheme}: {@code
     * max-age=<seconds>} over https; null over plain http, and null when the max-age is 0 (the
     * operator's proxy sends its own: README, *Behind a proxy*).
     */
    static String strictTransportSecurity(String scheme, long maxAgeSeconds) {
        return "https".equalsIgnoreCase(scheme) && maxAgeSeconds > 0 ? "max-age=" + maxAgeSeconds : null;
    }

    static void apply(String path, MultiMap headers) {
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        if (path.startsWith("/api/") || path.startsWith("/ws/")) {
            // transcripts, callback requests with phone numbers, tokens, accounts: in no browser's
            // disk cache (a library computer's) and no proxy's, errors included; and a refused
            // WebSocket upgrade, which is worth keeping to no one either
            headers.set("Cache-Control", NO_STORE);
            return;
        }
        if (path.startsWith("/q/")) {
            return;
        }
        boolean console = path.equals("/console") || path.startsWith("/console/");
        String type = headers.get("Content-Type");
        if (type != null && type.startsWith("text/html")) {
            headers.set("Content-Security-Policy", console ? CONSOLE_POLICY : DEMO_POLICY);
        }
        if (console) {
            headers.set("X-Frame-Options", "DENY");
        }
        headers.set("Cache-Control", FINGERPRINTED.matcher(path).matches() ? IMMUTABLE : REVALIDATE);
    }
}
