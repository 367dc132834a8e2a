package nl.loket.user;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.platform.Signal;
import nl.loket.security.Roles;
import nl.loket.security.TokenService;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refuses staff tokens of disabled accounts and tokens issued before the account's last change
 * of roles, topics, password or active (its token generation, claim {@code gen}): a token stays
 * cryptographically valid for its whole shift, so every request and WebSocket upgrade is checked
 * here. The check is made from memory: every account's generation, loaded in one statement when
 * the node starts listening (and again whenever the listener reconnects, since notifications may
 * have been missed meanwhile), kept current by the {@link Signal.Revoke} the database raises on
 * every node. An account missing from memory (created since) is read once.
 */
@ApplicationScoped
public class ActiveAccounts implements SecurityIdentityAugmentor {

    private record State(long generation, boolean active) {
        /** Generations only rise: of two states the one with the higher generation is the newer. */
        static State newer(State a, State b) {
            return b.generation() > a.generation() ? b : a;
        }
    }

    private final UserRepository users;
    private final Db db;
    private final Failures failures;
    private final ConcurrentHashMap<UUID, State> accounts = new ConcurrentHashMap<>();

    public ActiveAccounts(UserRepository users, Db db, Failures failures) {
        this.users = users;
        this.db = db;
        this.failures = failures;
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
        long tokenGeneration = TokenService.generationOf(jwt);
        State known = accounts.get(id);
        // a token newer than memory means memory missed a change: read the account once
        Uni<State> state = known != null && known.generation() >= tokenGeneration
                ? Uni.createFrom().item(known)
                : users.generation(id).map(found -> found.map(g -> remember(g.id(), new State(g.generation(), g.active())))
                        .orElse(new State(Long.MAX_VALUE, false)));
        return state.map(s -> {
            if (!s.active()) {
                throw new AuthenticationFailedException("account disabled");
            }
            if (tokenGeneration < s.generation()) {
                throw new AuthenticationFailedException("token revoked");
            }
            return identity;
        });
    }

    /** An account's generation and whether it is active, as this node knows them now. */
    public record Current(long generation, boolean active) {
    }

    /** What this node holds in memory for the account; empty when it holds nothing. */
    public Optional<Current> current(UUID id) {
        return Optional.ofNullable(accounts.get(id)).map(s -> new Current(s.generation(), s.active()));
    }

    private State remember(UUID id, State state) {
        return accounts.merge(id, state, State::newer);
    }

    /** The generation of an account rose, on this node or another. */
    void revoked(@Observes Signal.Revoke revoke) {
        remember(revoke.userId(), new State(revoke.generation(), revoke.active()));
    }

    /**
     * The listener (re)subscribed: read every account again. A rise missed meanwhile is delivered
     * on this node as a Revoke, so the connections of that account close too.
     */
    void resync(@Observes Signal.Resync resync) {
        users.generations().subscribe().with(all -> all.forEach(g -> {
            State before = accounts.get(g.id());
            remember(g.id(), new State(g.generation(), g.active()));
            if (before != null && g.generation() > before.generation()) {
                db.delivered(new Signal.Revoke(g.id(), g.generation(), g.active()));
            }
        }), e -> failures.record("accounts", e, "Reading the accounts' token generations failed"));
    }
}
