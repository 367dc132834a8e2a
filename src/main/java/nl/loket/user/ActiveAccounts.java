package nl.loket.user;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Signal;
import nl.loket.security.Roles;
import nl.loket.security.UpgradeChecks;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rejects the tokens of disabled staff accounts from the moment they are disabled, and marks
 * those of accounts that must choose a new password first (see PasswordChangeGate): a token
 * stays cryptographically valid for its whole shift, so each request checks the account. The
 * answer is cached for a few seconds; a disable signal clears it on every node at once.
 */
@ApplicationScoped
public class ActiveAccounts implements SecurityIdentityAugmentor {

    private static final long TTL_NANOS = 5_000_000_000L;

    private record Entry(UserRepository.AccountState state, long at) {
    }

    private final UserRepository users;
    private final ConcurrentHashMap<UUID, Entry> cache = new ConcurrentHashMap<>();

    public ActiveAccounts(UserRepository users) {
        this.users = users;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.hasRole(Roles.RESIDENT)
                || !(identity.getPrincipal() instanceof JsonWebToken jwt) || jwt.getSubject() == null) {
            return Uni.createFrom().item(identity);
        }
        UUID id;
        try {
            id = UUID.fromString(jwt.getSubject());
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(new AuthenticationFailedException("unknown subject"));
        }
        Entry cached = cache.get(id);
        Uni<UserRepository.AccountState> state = cached != null && System.nanoTime() - cached.at() < TTL_NANOS
                ? Uni.createFrom().item(cached.state())
                : users.accountState(id).invoke(a -> cache.put(id, new Entry(a, System.nanoTime())));
        return state.map(a -> {
            if (!a.active()) {
                throw new AuthenticationFailedException("account disabled");
            }
            if (a.mustChangePassword()) {
                // after an administrator's reset: nothing but choosing a new password (PasswordChangeGate)
                return QuarkusSecurityIdentity.builder(identity).addAttribute(UpgradeChecks.PASSWORD_CHANGE_REQUIRED, true).build();
            }
            return identity;
        });
    }

    void forget(@Observes Signal.Revoke revoked) {
        cache.remove(revoked.userId());
    }

    /** A changed account (a new password among others) is read again on its next request. */
    void changed(@Observes Signal.Account changed) {
        cache.remove(changed.id());
    }
}
