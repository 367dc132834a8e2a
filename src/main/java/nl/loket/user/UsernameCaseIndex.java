package nl.loket.user;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Db;

import java.time.Duration;

/**
 * The unique index on lower(username) (V43), which keeps two creations at the same moment from
 * making "Bart" and "bart". V43 leaves it out on an installation that already holds such a pair
 * (made before the check existed) rather than renaming anyone or failing. Every start looks: the
 * index is there; or no pair is left (an operator resolved them, README.md) and the index is made
 * now; or pairs remain, and the log says how many (never which) and where the README tells what
 * to do, once per start.
 */
@ApplicationScoped
public class UsernameCaseIndex {

    static final String INDEX = "app_user_username_lower";

    /** What a look found. */
    public enum State {
        /** The index was there. */
        PRESENT,
        /** No pair was left: the index was made now. */
        CREATED,
        /** Usernames equal but for case remain: no index, reported. */
        PAIRS
    }

    private final Db db;

    public UsernameCaseIndex(Db db) {
        this.db = db;
    }

    void onStart(@Observes StartupEvent event) {
        try {
            check().await().atMost(Duration.ofSeconds(60));
        } catch (RuntimeException e) {
            // no reason to keep a node from serving: the next start looks again
            Log.warnf("Could not check the index %s on usernames (%s); the next start checks again", INDEX, e.getClass().getSimpleName());
        }
    }

    /** Looks, makes the index when no pair is left, and reports pairs that remain. */
    public Uni<State> check() {
        // nodes starting together: one looks and makes the index at a time
        return db.tx(tx -> tx.query("select pg_advisory_xact_lock(hashtextextended('loket-username-case', 0))", Tuple.tuple())
                .chain(() -> tx.query("select to_regclass($1) is not null as indexed, (select count(*) from (select 1 from app_user "
                        + "group by lower(username) having count(*) > 1) p) as shared", Tuple.of(INDEX)))
                .chain(rows -> {
                    Row r = rows.iterator().next();
                    if (r.getBoolean("indexed")) {
                        return Uni.createFrom().item(State.PRESENT);
                    }
                    long shared = r.getLong("shared");
                    if (shared > 0) {
                        Log.warnf("%d username(s) are held by more than one account, differing only in case; until they are resolved "
                                + "there is no unique index %s, and two accounts created at the same moment can again differ only "
                                + "in case. See README.md, \"Gebruikersnamen die alleen in hoofdletters verschillen\"", shared, INDEX);
                        return Uni.createFrom().item(State.PAIRS);
                    }
                    return tx.query("create unique index if not exists " + INDEX + " on app_user (lower(username))", Tuple.tuple())
                            .invoke(() -> Log.infof("Made the unique index %s: no two usernames differ only in case any more", INDEX))
                            .replaceWith(State.CREATED);
                }));
    }
}
