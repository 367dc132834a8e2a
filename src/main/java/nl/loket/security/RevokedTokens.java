package nl.loket.security;

import io.quarkus.scheduler.Scheduled;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.ClusterListener;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.platform.Signal;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Single staff tokens revoked by a logout ({@code POST /api/v1/auth/logout}), the one owner of
 * {@code revoked_token} (V42). A logout revokes the token it was sent with, not the account's
 * other sessions (another workstation, another tab's own login); revoking them all is the
 * account's token generation ({@code ActiveAccounts}).
 *
 * <p>Every staff request and WebSocket upgrade is checked against the ids this node holds in
 * memory, as the generations are: no statement per request. Memory is kept current by the
 * {@link Signal.Logout} the database raises on every insert (a trigger, so every node hears it),
 * and read again in one statement whenever the listener (re)subscribes ({@link Signal.Resync}: at
 * start and after a reconnect); an id found then that memory missed is delivered as a
 * {@link Signal.Logout} on this node, so that the token's open connections close too. While that
 * read has not succeeded, or while the listener is down and could miss a logout, memory is not
 * trusted and the database is asked for the token at hand: a node that missed the signal still
 * refuses the token.
 *
 * <p>An id is kept until its token has expired ({@link #KEPT_AFTER_EXPIRY} more for the clocks'
 * allowance), then purged from the table and from memory ({@link #purgeExpired}, every node,
 * idempotent).
 */
@ApplicationScoped
public class RevokedTokens implements SecurityIdentityAugmentor {

    /** How long an id is kept after its token's expiry: longer than the allowance the token check gives clocks (a minute). */
    static final Duration KEPT_AFTER_EXPIRY = Duration.ofMinutes(5);

    private final Db db;
    private final ClusterListener listener;
    private final Failures failures;
    private final Failures.Streak purges;
    /** Revoked token ids and when their tokens expire (epoch seconds). */
    private final ConcurrentHashMap<String, Long> revoked = new ConcurrentHashMap<>();
    /** Whether memory holds every id the database held at the last (re)subscribe of the listener. */
    private volatile boolean loaded;
    /** Counts the resyncs: a read that a later resync overtook does not make memory trusted. */
    private long resyncs;

    public RevokedTokens(Db db, ClusterListener listener, Failures failures) {
        this.db = db;
        this.listener = listener;
        this.failures = failures;
        this.purges = failures.streak("token-purge");
    }

    /**
     * The id a logout revokes a token by: its {@code jti}, which every staff token Loket issues
     * carries; for a token without one (another issuer's, or one issued before jti was set
     * explicitly) a SHA-256 of the token itself.
     */
    public static String tokenId(JsonWebToken jwt) {
        String jti = jwt.getTokenID();
        if (jti != null && !jti.isBlank()) {
            return jti;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(jwt.getRawToken().getBytes(StandardCharsets.US_ASCII));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.hasRole(Roles.RESIDENT) || !(identity.getPrincipal() instanceof JsonWebToken jwt)
                || jwt.getRawToken() == null) {
            return Uni.createFrom().item(identity);
        }
        return isRevoked(tokenId(jwt)).map(yes -> {
            if (yes) {
                throw new AuthenticationFailedException("token revoked");
            }
            return identity;
        });
    }

    /** Whether the token with this id was revoked: from memory when it is trusted, else from the database. */
    public Uni<Boolean> isRevoked(String tokenId) {
        if (revoked.containsKey(tokenId)) {
            return Uni.createFrom().item(true);
        }
        if (loaded && listener.listening()) {
            return Uni.createFrom().item(false);
        }
        return db.query("select 1 from revoked_token where token_id = $1", Tuple.of(tokenId)).map(rows -> rows.size() > 0);
    }

    /** Whether this node knows the token with this id as revoked (memory only: for a connection that has just opened). */
    public boolean knownRevoked(String tokenId) {
        return revoked.containsKey(tokenId);
    }

    /**
     * Revokes one token until {@code expiresAt} (epoch seconds): stored, told to every node by the
     * table's trigger, and known on this node right after the commit. A token revoked before stays
     * revoked (idempotent).
     */
    public Uni<Void> revoke(UUID userId, String tokenId, long expiresAt) {
        return revoke(userId, tokenId, expiresAt, tx -> Uni.createFrom().voidItem());
    }

    /**
     * As {@link #revoke(UUID, String, long)}, with {@code alongside} written in the same
     * transaction when this call is the one that revoked the token (the logout's audit entry).
     */
    public Uni<Void> revoke(UUID userId, String tokenId, long expiresAt, Function<Db.Tx, Uni<Void>> alongside) {
        Instant expires = Instant.ofEpochSecond(expiresAt);
        return db.tx(tx -> tx.query("insert into revoked_token (token_id, user_id, expires_at) values ($1, $2, $3) "
                                + "on conflict (token_id) do nothing returning token_id",
                        Tuple.of(tokenId, userId, expires.atOffset(ZoneOffset.UTC)))
                        .chain(rows -> rows.size() > 0 ? alongside.apply(tx) : Uni.createFrom().voidItem()))
                .invoke(() -> db.delivered(new Signal.Logout(userId, expiresAt, tokenId)));
    }

    /** A token was revoked, on this node or another. */
    void loggedOut(@Observes Signal.Logout logout) {
        revoked.put(logout.tokenId(), logout.expiresAt());
    }

    /**
     * The listener (re)subscribed: read every id again, and until that read succeeds ask the
     * database. An id memory missed meanwhile is delivered as a Logout, so the connections of
     * that token close too.
     */
    void resync(@Observes Signal.Resync resync) {
        long mine;
        synchronized (this) {
            mine = ++resyncs;
            loaded = false;
        }
        load().subscribe().with(ignored -> {
            synchronized (this) {
                if (resyncs == mine) {
                    loaded = true;
                }
            }
        }, e -> failures.record("revoked-tokens", e, "Reading the revoked tokens failed; until the next resync each staff "
                + "request asks the database"));
    }

    /** Reads the ids of tokens not yet expired into memory; delivers those it did not know. */
    Uni<Void> load() {
        return db.query("select token_id, user_id, expires_at from revoked_token where expires_at > $1",
                        Tuple.of(Instant.now().minus(KEPT_AFTER_EXPIRY).atOffset(ZoneOffset.UTC)))
                .invoke(rows -> {
                    for (Row r : rows) {
                        String id = r.getString("token_id");
                        long expiresAt = r.getOffsetDateTime("expires_at").toEpochSecond();
                        if (revoked.putIfAbsent(id, expiresAt) == null) {
                            db.delivered(new Signal.Logout(r.getUUID("user_id"), expiresAt, id));
                        }
                    }
                })
                .replaceWithVoid();
    }

    /** Ids whose tokens expired (as of {@code now}) leave memory and the table; on every node, harmless twice. */
    public Uni<Integer> purge(Instant now) {
        Instant before = now.minus(KEPT_AFTER_EXPIRY);
        revoked.values().removeIf(expiresAt -> expiresAt < before.getEpochSecond());
        return db.query("delete from revoked_token where expires_at < $1", Tuple.of(before.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount());
    }

    @Scheduled(every = "10m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge(Instant.now())
                .invoke(() -> purges.succeeded("Purging expired revoked tokens works again"))
                .onFailure().invoke(e -> purges.failed(e, "Purging expired revoked tokens failed; the next purge, in ten minutes, retries"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }
}
