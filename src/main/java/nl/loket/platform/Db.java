package nl.loket.platform;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The one way Loket talks to PostgreSQL: plain SQL on the reactive pool. A transaction collects
 * the {@link Signal}s of what it changed: they are notified to every node inside the transaction
 * (so others hear of a change exactly when it is committed) and, right after the commit,
 * delivered on this node from memory (this node skips its own notifications).
 *
 * <p>Every statement sent is counted ({@code loket_db_statements_total}, BEGIN and COMMIT of a
 * transaction included): a statement is a round trip to the database.
 */
@ApplicationScoped
public class Db {

    public static final String CHANNEL = "loket";

    private final Pool pool;
    private final Signals signals;
    private final String node;
    private final LongAdder statements = new LongAdder();

    public Db(Pool pool, Signals signals, NodeId nodeId, MeterRegistry registry) {
        this.pool = pool;
        this.signals = signals;
        this.node = nodeId.id().toString();
        FunctionCounter.builder("loket.db.statements", statements, LongAdder::doubleValue)
                .description("Statements (round trips) this node sent to PostgreSQL").register(registry);
    }

    public Pool pool() {
        return pool;
    }

    /** The node id that prefixes this node's notifications. */
    public String node() {
        return node;
    }

    /** Statements sent so far by this node. */
    public long statements() {
        return statements.sum();
    }

    public Uni<RowSet<Row>> query(String sql, Tuple args) {
        statements.increment();
        return pool.preparedQuery(sql).execute(args);
    }

    public Uni<RowSet<Row>> query(String sql) {
        statements.increment();
        return pool.preparedQuery(sql).execute();
    }

    /** Sends a signal that no transaction produced (typing): to this node at once, to the others by NOTIFY. */
    public Uni<Void> signal(Signal signal) {
        signals.deliver(signal);
        return query("select pg_notify($1, $2)", Tuple.of(CHANNEL, node + "|" + signal.encode())).replaceWithVoid();
    }

    /**
     * Delivers on this node a change that a statement (a stored function) already notified, with
     * the event the function returned.
     */
    public void delivered(Signal signal) {
        signals.deliver(signal);
    }

    /** Runs work in a transaction; its signals are notified on commit and delivered here after it. */
    public <T> Uni<T> tx(Function<Tx, Uni<T>> work) {
        statements.add(2); // BEGIN and COMMIT
        List<Signal> raised = new ArrayList<>();
        return pool.withTransaction(conn -> {
            Tx tx = new Tx(conn, raised);
            return work.apply(tx).call(tx::flush);
        }).invoke(() -> raised.forEach(signals::deliver));
    }

    /** A transaction in progress. */
    public final class Tx {
        private final SqlConnection conn;
        private final List<Signal> raised;
        private final List<String> notify = new ArrayList<>();

        Tx(SqlConnection conn, List<Signal> raised) {
            this.conn = conn;
            this.raised = raised;
        }

        public Uni<RowSet<Row>> query(String sql, Tuple args) {
            statements.increment();
            return conn.preparedQuery(sql).execute(args);
        }

        /** The node id, for stored functions that notify themselves. */
        public String node() {
            return node;
        }

        /** Raises a signal: notified to the other nodes with the commit, delivered here after it. */
        public void signal(Signal signal) {
            String encoded = node + "|" + signal.encode();
            if (!notify.contains(encoded)) {
                notify.add(encoded);
                raised.add(signal);
            }
        }

        /** A conversation change a stored function of this transaction built and notified itself. */
        public void announced(String eventJson) {
            raised.add(new Signal.Conversation(new JsonObject(eventJson)));
        }

        private Uni<Void> flush() {
            if (notify.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return query("select pg_notify($1, s) from unnest($2::text[]) s", Tuple.of(CHANNEL, notify.toArray(new String[0])))
                    .replaceWithVoid();
        }
    }
}
