package nl.loket.audit;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.platform.Db;
import nl.loket.security.Roles;

import java.util.Set;
import java.util.UUID;

/** The audit log: who read or removed personal data, who logged out, and each retention run (docs/protocol.md §8, §10). */
@ApplicationScoped
public class Audit {

    public static final String READ_FEED = "read_feed";
    public static final String READ_CONVERSATION = "read_conversation";
    public static final String READ_TRANSCRIPT = "read_transcript";
    public static final String READ_KLANTCONTACT = "read_klantcontact";
    public static final String FORGET_CONVERSATION = "forget_conversation";
    public static final String FORGET_CALLBACKS = "forget_callbacks";
    public static final String RETENTION_RUN = "retention_run";
    /** A supervisor or admin read residents' ratings with their comments (the KCM view or its CSV export). */
    public static final String READ_RATINGS = "read_ratings";
    /** A supervisor or admin listed past conversations (with residents' names). */
    public static final String SEARCH_CONVERSATIONS = "search_conversations";
    /** An administrator set a temporary password; the account must choose a new one at its next login. */
    public static final String RESET_PASSWORD = "reset_password";
    /** Staff or an integrator listed callback requests (with residents' phone numbers). */
    public static final String READ_CALLBACKS = "read_callbacks";
    /** Staff or an integrator read one callback request: by itself, or as the answer to a claim, release or attempt. */
    public static final String READ_CALLBACK = "read_callback";
    /** A staff member logged out (POST /api/v1/auth/logout): who and when, never the token. */
    public static final String LOGOUT = "logout";

    private final Db db;

    public Audit(Db db) {
        this.db = db;
    }

    /** The role an entry names for a staff member: the most specific one their token carries. */
    public static String role(Set<String> groups) {
        for (String role : new String[] {Roles.ADMIN, Roles.SUPERVISOR, Roles.INTEGRATOR, Roles.AGENT, Roles.DEPARTMENT}) {
            if (groups.contains(role)) {
                return role;
            }
        }
        return groups.stream().sorted().findFirst().orElse("none");
    }

    public Uni<Void> record(String actor, String role, String action, UUID conversationId, JsonObject detail) {
        return db.query("insert into audit (actor, role, action, conversation_id, detail) values ($1, $2, $3, $4, $5)",
                Tuple.of(actor, role, action, conversationId, detail)).replaceWithVoid();
    }

    /**
     * How long a list read again by the same person with the same filter is not recorded again: the
     * console reads the callback lists on every change and every 30 s while the tab is open, and an
     * entry per read would bury the log that must show who saw residents' numbers. The entry says
     * from when they had the list; another filter or another person is recorded at once.
     */
    public static final int LIST_READ_QUIET_MINUTES = 10;

    /**
     * Records a list read unless {@code actor} recorded {@code action} with the same {@code filter}
     * (the detail's fields that name what was listed) within {@link #LIST_READ_QUIET_MINUTES}. One
     * statement; the look back runs on the index on {@code at}. Two reads at the same moment may
     * both be recorded: that costs a line, never a read unrecorded.
     */
    public Uni<Void> recordListRead(String actor, String role, String action, JsonObject filter, JsonObject detail) {
        return db.query("""
                        insert into audit (actor, role, action, conversation_id, detail)
                        select $1, $2, $3, null, $5
                        where not exists (select 1 from audit a where a.at > now() - make_interval(mins => $6)
                                            and a.actor = $1 and a.action = $3 and a.detail @> $4)
                        """,
                Tuple.of(actor, role, action, filter, detail, LIST_READ_QUIET_MINUTES)).replaceWithVoid();
    }

    /** Removes entries older than the cutoff; how many. */
    public static Uni<Integer> purgeBefore(Db.Tx tx, java.time.OffsetDateTime cutoff) {
        return tx.query("delete from audit where at < $1", Tuple.of(cutoff)).map(rows -> rows.rowCount());
    }

    public static Uni<Void> record(Db.Tx tx, String actor, String role, String action, UUID conversationId, JsonObject detail) {
        return tx.query("insert into audit (actor, role, action, conversation_id, detail) values ($1, $2, $3, $4, $5)",
                Tuple.of(actor, role, action, conversationId, detail)).replaceWithVoid();
    }
}
