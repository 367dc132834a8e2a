package nl.loket.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.net.URI;
import java.util.List;

/**
 * Checks made before a WebSocket is accepted: the browser's Origin against the allowed list,
 * a token at all (401), and for a resident that the token is for this very conversation (403).
 */
@ApplicationScoped
public class UpgradeChecks implements HttpUpgradeCheck {

    public static final String RESIDENT_ENDPOINT = "resident";
    public static final String AGENT_ENDPOINT = "agent";
    /**
     * Identity attribute of a staff account that must choose a new password after an
     * administrator's reset: it may do nothing else, and no socket is opened for it.
     */
    public static final String PASSWORD_CHANGE_REQUIRED = "loket.password-change-required";

    private final List<String> allowedOrigins;

    public UpgradeChecks(LoketConfig config) {
        this.allowedOrigins = config.allowedOrigins().orElse(List.of()).stream()
                .map(String::strip).filter(s -> !s.isEmpty()).map(UpgradeChecks::normalise).toList();
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        String origin = context.httpRequest().getHeader("Origin");
        if (origin != null && !originAllowed(origin, context.httpRequest().getHeader("Host"))) {
            return CheckResult.rejectUpgrade(403);
        }
        return context.securityIdentity().chain(identity -> {
            if (identity == null || identity.isAnonymous()) {
                return CheckResult.rejectUpgrade(401);
            }
            if (identity.getAttribute(PASSWORD_CHANGE_REQUIRED) != null) {
                return CheckResult.rejectUpgrade(403);
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

    /** Same origin always passes; other origins only when listed. */
    public boolean originAllowed(String origin, String host) {
        String o = normalise(origin);
        if (allowedOrigins.contains(o)) {
            return true;
        }
        try {
            URI uri = URI.create(o);
            String originHost = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            return host != null && (host.equalsIgnoreCase(originHost) || host.equalsIgnoreCase(uri.getHost()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalise(String origin) {
        String o = origin.strip().toLowerCase();
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
