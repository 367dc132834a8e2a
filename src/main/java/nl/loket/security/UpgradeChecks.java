package nl.loket.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Checks made before a WebSocket is accepted: the browser's Origin (the resident's socket: the
 * service's own origin or a listed one, where the widget is embedded; the agent's: the console's,
 * the service's own, only), a token at all (401), and for a resident that the token is for this
 * very conversation (403).
 */
@ApplicationScoped
public class UpgradeChecks implements HttpUpgradeCheck {

    public static final String RESIDENT_ENDPOINT = "resident";
    public static final String AGENT_ENDPOINT = "agent";

    private final List<String> allowedOrigins;

    @Inject
    public UpgradeChecks(LoketConfig config) {
        this(config.allowedOrigins().orElse(List.of()));
    }

    /** For the unit test; a second constructor is why the one above needs its {@code @Inject}. */
    UpgradeChecks(List<String> allowedOrigins) {
        this.allowedOrigins = allowedOrigins.stream()
                .map(String::strip).filter(s -> !s.isEmpty()).map(UpgradeChecks::normalise).toList();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        HttpServerRequest request = context.httpRequest();
        String origin = request.getHeader("Origin");
        if (origin != null) {
            // the listed sites embed the widget; the agent socket is the console's, on the service's own origin
            boolean allowed = AGENT_ENDPOINT.equals(context.endpointId()) ? sameOrigin(origin, request) : originAllowed(origin, request);
            if (!allowed) {
                return CheckResult.rejectUpgrade(403);
            }
        }
        return context.securityIdentity().chain(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return CheckResult.rejectUpgrade(401);
            }
            if (RESIDENT_ENDPOINT.equals(context.endpointId()) && !ownsConversation(identity, context.pathParam("id"))) {
                return CheckResult.rejectUpgrade(403);
            }
            return CheckResult.permitUpgrade();
        });
    }

    private static boolean ownsConversation(SecurityIdentity identity, String conversationId) {
        return identity.hasRole(Roles.RESIDENT) && identity.getPrincipal() instanceof JsonWebToken jwt
                && conversationId != null && conversationId.equalsIgnoreCase(jwt.getSubject());
    }

    /**
     * Same origin always passes; other origins only when listed. Same origin is the same scheme,
     * host and port as the request's: {@code scheme} and the host and port as Vert.x hands them
     * (from the connection and its Host header, or from the trusted proxy's X-Forwarded-* when
     * proxy forwarding is on, and only then); a port left out on either side is its scheme's
     * default (80, 443). Before, the host alone was compared, so a page of another service on the
     * same host (another port) or under the other scheme counted as the same origin.
     */
    public boolean originAllowed(String origin, String scheme, String requestHost, int requestPort) {
        return allowedOrigins.contains(normalise(origin)) || sameOrigin(origin, scheme, requestHost, requestPort);
    }

    /** {@link #originAllowed} for this request: its scheme, host and port as Vert.x hands them. */
    public boolean originAllowed(String origin, HttpServerRequest request) {
        return allowedOrigins.contains(normalise(origin)) || sameOrigin(origin, request);
    }

    /** {@link #sameOrigin} for this request: its scheme, host and port as Vert.x hands them. */
    public static boolean sameOrigin(String origin, HttpServerRequest request) {
        HostAndPort authority = request.authority();
        return sameOrigin(origin, request.scheme(), authority == null ? null : authority.host(), authority == null ? -1 : authority.port());
    }

    /** Whether {@code origin} is the request's own: the same scheme, host and port (see {@link #originAllowed}). */
    public static boolean sameOrigin(String origin, String scheme, String requestHost, int requestPort) {
        String o = normalise(origin);
        if (scheme == null || requestHost == null) {
            return false;
        }
        URI uri;
        try {
            uri = new URI(o);
        } catch (URISyntaxException e) {
            return false;
        }
        // an Origin is scheme://host[:port] and nothing else
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return false;
        }
        String requestScheme = scheme.toLowerCase(Locale.ROOT);
        int originPort = portOf(uri.getScheme(), uri.getPort());
        return originPort > 0 && requestScheme.equals(uri.getScheme())
                && unbracketed(uri.getHost()).equalsIgnoreCase(unbracketed(requestHost))
                && originPort == portOf(requestScheme, requestPort);
    }

    /** The port, or the scheme's default when none is given; -1 for a scheme without one. */
    private static int portOf(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return switch (scheme) {
            case "http" -> 80;
            case "https" -> 443;
            default -> -1;
        };
    }

    /** An IPv6 literal without its brackets, as either side may write it. */
    private static String unbracketed(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String normalise(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
