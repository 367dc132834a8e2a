package nl.loket.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The one way Loket talks to PostgreSQL: plain SQL on the reactive pool. A transaction
 * collects the {@link Signal}s of what it changed and sends them with {@code pg_notify} inside
 * the transaction, so every node hears about a change exactly when it is committed.
 */
@ApplicationScoped
public class Db {

    public static final String CHANNEL = "loket";

    private final Pool pool;

    public Db(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    public Uni<RowSet<Row>> query(String sql, Tuple args) {
        return pool.preparedQuery(sql).execute(args);
    }

    public Uni<RowSet<Row>> query(String sql) {
        return pool.preparedQuery(sql).execute();
    }

    /** Sends a signal that no transaction produced (typing). */
    public Uni<Void> signal(Signal signal) {
        return pool.preparedQuery("select pg_notify($1, $2)").execute(Tuple.of(CHANNEL, signal.encode())).replaceWithVoid();
    }

    /** Runs work in a transaction; the signals it raised are notified on commit. */
    public <T> Uni<T> tx(Function<Tx, Uni<T>> work) {
        return pool.withTransaction(conn -> {
            Tx tx = new Tx(conn);
            return work.apply(tx).call(tx::flush);
        });
    }

    /** A transaction in progress. */
    public static final class Tx {
        private final SqlConnection conn;
        private final List<String> signals = new ArrayList<>();

        Tx(SqlConnection conn) {
            this.conn = conn;
        }

        public SqlClient conn() {
            return conn;
        }

        public Uni<RowSet<Row>> query(String sql, Tuple args) {
            return conn.preparedQuery(sql).execute(args);
        }

        public void signal(Signal signal) {
            String encoded = signal.encode();
            if (!signals.contains(encoded)) {
                signals.add(encoded);
            }
        }

        private Uni<Void> flush() {
            if (signals.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return conn.preparedQuery("select pg_notify($1, s) from unnest($2::text[]) s")
                    .execute(Tuple.of(CHANNEL, signals.toArray(new String[0])))
                    .replaceWithVoid();
        }
    }
}
