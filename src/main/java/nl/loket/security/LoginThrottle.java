package nl.loket.security;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;
import nl.loket.config.LoketConfig;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Limits password guessing at the login. Every attempt first takes a turn, in one statement per
 * counter, so that parallel attempts cannot pass between a count and an insert; a successful
 * login gives its turn back, a wrong password keeps it as a failure.
 *
 * <ul>
 *   <li><b>Per username</b> (from every address): the first {@code loginFailures} failures are
 *       free; after {@code n} failures the next attempt must wait
 *       {@code min(loginDelay × 2^(n − loginFailures), loginMaxDelay)} after the last one. An
 *       attempt inside that wait is answered 429 with {@code Retry-After}, without looking at the
 *       password and without counting. The account is never locked: its owner gets in with the
 *       right password once the wait is over, however many wrong ones someone else typed. The
 *       failures are forgotten after {@code loginWindow} without one.</li>
 *   <li><b>Per client address</b> (over every username): at most {@code loginFailuresPerAddress}
 *       failures per {@code loginWindow}, counted from the first; then every login from that
 *       address is 429 until the window ends. This stops spraying one password over many names.</li>
 * </ul>
 * The rows name addresses, so they are deleted once their window has passed, every minute; a
 * purge that fails is counted ({@code loket_failures_total{where="login-purge"}}) and logged
 * (the first, once a minute while it goes on, and the recovery).
 */
@ApplicationScoped
public class LoginThrottle {

    /** Usernames longer than any real one are cut, so a huge one cannot bloat the table. */
    private static final int MAX_KEY = 200;

    /** Whether the attempt may check the password; else how many seconds to wait. */
    public record Turn(boolean allowed, long retryAfterSeconds) {
    }

    private final Db db;
    private final LoketConfig.Limits limits;
    private final Failures.Streak purges;

    public LoginThrottle(Db db, LoketConfig config, Failures failures) {
        this.db = db;
        this.limits = config.limits();
        this.purges = failures.streak("login-purge");
    }

    /** Takes a turn for the address and the username, or says how long to wait. */
    public Uni<Turn> take(String username, String address) {
        double window = limits.loginWindow().toMillis() / 1000.0;
        String user = key(username);
        return db.query("""
                        insert into login_failure as f (scope, key, failures, window_start, last_at)
                        values ('address', $1, 1, now(), now())
                        on conflict (scope, key) do update set
                            failures = case when f.window_start < now() - make_interval(secs => $2) then 1 else f.failures + 1 end,
                            window_start = case when f.window_start < now() - make_interval(secs => $2) then now() else f.window_start end,
                            last_at = now()
                        where f.window_start < now() - make_interval(secs => $2) or f.failures < $3
                        returning failures""", Tuple.of(address, window, limits.loginFailuresPerAddress()))
                .chain(byAddress -> {
                    if (byAddress.size() == 0) {
                        return wait(db.query("select extract(epoch from window_start + make_interval(secs => $2) - now()) as wait "
                                + "from login_failure where scope = 'address' and key = $1", Tuple.of(address, window)));
                    }
                    return db.query("""
                                    insert into login_failure as f (scope, key, failures, window_start, last_at)
                                    values ('username', $1, 1, now(), now())
                                    on conflict (scope, key) do update set
                                        failures = case when f.last_at < now() - make_interval(secs => $2) then 1 else f.failures + 1 end,
                                        window_start = case when f.last_at < now() - make_interval(secs => $2) then now() else f.window_start end,
                                        last_at = now()
                                    where f.last_at < now() - make_interval(secs => $2) or f.failures < $3
                                       or f.last_at <= now() - make_interval(secs => least($4 * power(2, f.failures - $3), $5))""",
                                    Tuple.of(user, window, limits.loginFailures(), seconds(limits.loginDelay()), seconds(limits.loginMaxDelay())))
                            .chain(byUser -> {
                                if (byUser.rowCount() > 0) {
                                    return Uni.createFrom().item(new Turn(true, 0));
                                }
                                // refused before the password was looked at: not a failure of this address
                                return giveBack("address", address).chain(() -> wait(db.query("select extract(epoch from last_at "
                                        + "+ make_interval(secs => least($2 * power(2, failures - $3), $4)) - now()) as wait "
                                        + "from login_failure where scope = 'username' and key = $1",
                                        Tuple.of(user, seconds(limits.loginDelay()), limits.loginFailures(), seconds(limits.loginMaxDelay())))));
                            });
                });
    }

    /** A successful login gives its turns back. */
    public Uni<Void> succeeded(String username, String address) {
        return giveBack("address", address).chain(() -> giveBack("username", key(username)));
    }

    /** Rows whose window has passed (as of {@code now}); they tell nothing any more and name an address. */
    public Uni<Integer> purge(Instant now) {
        return db.query("delete from login_failure where last_at < $1 and window_start < $1",
                        Tuple.of(now.minus(limits.loginWindow()).atOffset(ZoneOffset.UTC)))
                .map(RowSet::rowCount);
    }

    @Scheduled(every = "1m", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> purgeExpired() {
        return purge(Instant.now())
                .invoke(() -> purges.succeeded("Purging expired login failures works again"))
                .onFailure().invoke(e -> purges.failed(e, "Purging expired login failures (client addresses) failed; the next purge, "
                        + "in a minute, retries"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Void> giveBack(String scope, String key) {
        return db.query("update login_failure set failures = greatest(failures - 1, 0) where scope = $1 and key = $2",
                Tuple.of(scope, key)).replaceWithVoid();
    }

    /** A refusal, with the wait rounded up to whole seconds (at least one). */
    private static Uni<Turn> wait(Uni<RowSet<Row>> secondsLeft) {
        return secondsLeft.map(rows -> {
            Number left = rows.size() == 0 ? null : (Number) rows.iterator().next().getValue("wait");
            return new Turn(false, Math.max(1, left == null ? 1 : (long) Math.ceil(left.doubleValue())));
        });
    }

    private static double seconds(java.time.Duration d) {
        return d.toMillis() / 1000.0;
    }

    private static String key(String username) {
        return username.length() > MAX_KEY ? username.substring(0, MAX_KEY) : username;
    }
}
