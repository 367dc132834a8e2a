package nl.loket.security;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * A WebSocket opened with a token ends when the token does. The token is checked when the
 * socket opens; without this, a staff socket opened with a shift's token (8 h) or a resident's
 * (24 h) went on claiming, posting and receiving for as long as it stayed open. WebSockets Next
 * closes a connection with 1008 "Authentication expired" at the time in the identity's
 * {@value #EXPIRE_TIME} attribute (epoch seconds); this sets it to the token's {@code exp}, or a
 * second from now for a token accepted within the clock's allowance after it. The console takes
 * that close for the end of the session (log in again).
 */
@ApplicationScoped
public class TokenExpiry implements SecurityIdentityAugmentor {

    /** What WebSockets Next reads ({@code SecuritySupport}), in epoch seconds. */
    static final String EXPIRE_TIME = "quarkus.identity.expire-time";

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getExpirationTime() <= 0) {
            return Uni.createFrom().item(identity);
        }
        long expires = Math.max(jwt.getExpirationTime(), System.currentTimeMillis() / 1000 + 1);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addAttribute(EXPIRE_TIME, expires).build());
    }
}
