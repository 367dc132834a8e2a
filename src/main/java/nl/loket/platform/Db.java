package nl.loket.platform;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.time.DurationMin;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The one way Loket talks to PostgreSQL: plain SQL on the reactive pool. A transaction collects
 * the {@link Signal}s of what it changed: they are notified to every node inside the transaction
 * (so others hear of a change exactly when it is committed) and, right after the commit,
 * delivered on this node from memory (this node skips its own notifications). A node alone
 * notifies nobody (V34, {@code loket_others_listen}): a notifying commit waits for PostgreSQL's
 * one notification lock and holds it until it is on disk, and there is no one to hear it.
 *
 * <p>Every statement sent is counted ({@code loket_db_statements_total}, BEGIN and COMMIT of a
 * transaction included): a statement is a round trip to the database.
 *
 * <p>The statements of a conversation in progress (a message, a claim, typing) run on a few
 * connections of their own ({@code loket.db.chat-connections}, 4; 0 puts them on the shared pool).
 * In a surge the shared pool is busy with thousands of starts, socket openings and queue reads;
 * a message must not wait behind them for a connection, nor the node's heartbeat ({@link #urgent}).
 *
 * <p>A statement on those connections never waits for long: it waits for a lock at most
 * {@code loket.db.chat-lock-timeout} (5 s) and runs at most {@code loket.db.chat-statement-timeout}
 * (30 s), then PostgreSQL cancels it (SQLSTATE 55P03, 57014) and the frame is answered
 * {@code unavailable} ({@link Inbound}). A conversation's row held by a transaction that does not
 * end (a psql session left open, a long maintenance transaction) made a message into it wait for
 * good, a chat connection taken; a handful of them stopped every chat of the node. The bounds are
 * PostgreSQL settings given when the connection starts, not a statement of their own per message;
 * with no chat connections of their own the chat statements have the shared pool's bound.
 *
 * <p>The shared pool bounds a lock wait too, not a statement's run (its long reads, an export,
 * must not be cut): {@code loket.db.lock-timeout} (15 s, {@link SharedPool}). A transfer, a
 * close or a resident's leave of a conversation held by such a transaction waited on it for
 * good, and the socket's later frames behind it; a REST request touching the row held one of the
 * pool's connections as long. Now it gives up, rolled back as a whole, and is answered
 * {@code unavailable} (a socket, {@link Inbound}) or 503 (REST, {@link ProblemMappers}).
 */
@ApplicationScoped
public class Db {

    public static final String CHANNEL = "loket";

    /**
     * PostgreSQL's order of {@code uuid} values (bytewise, unsigned). {@link UUID#compareTo}
     * compares the two halves signed and disagrees for about half of all pairs: statements that
     * lock several rows by id take them in this order, so that they never wait for each other in
     * a circle.
     */
    public static final Comparator<UUID> UUID_ORDER = (a, b) -> {
        int high = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return high != 0 ? high : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    };

    /**
     * Notifies each of an array of payloads ($2) on a channel ($1), one statement for a batch,
     * when a node other than this one ($3) is registered (V34: a lone node notifies nobody).
     */
    private static final String NOTIFY_EACH = "select pg_notify($1, s) from unnest($2::text[]) s where loket_others_listen($3)";

    private final Pool pool;
    /** The chat statements' own connections; the shared pool when there are none. */
    private final Pool chat;
    private final Signals signals;
    private final Failures failures;
    private final String node;
    /** Committed changes not yet told to the other nodes (see {@link #committed}), encoded. */
    private final Set<String> untold = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean telling = new AtomicBoolean();
    private final LongAdder statements = new LongAdder();
    private final int chatConnections;

    /**
     * {@code loket.db.*} ({@code LOKET_DB_CHAT_CONNECTIONS}, …; README, Configuration): the chat
     * statements' connections and their bounds. A mapping, not single properties, so that they may
     * also be set in a properties file (the mapping of {@code loket.*} refuses keys it does not know).
     * A negative count or bound stops the start (checked by Quarkus, as {@code LoketConfig}'s).
     */
    @ConfigMapping(prefix = "loket.db")
    public interface Config {
        /** Connections of the chat statements' own; 0 puts them on the shared pool, without the bounds below. */
        @WithDefault("4")
        @PositiveOrZero
        int chatConnections();

        /** The longest a chat statement waits for a lock before PostgreSQL cancels it (55P03); 0 for no bound. */
        @WithDefault("5s")
        @DurationMin(millis = 0)
        Duration chatLockTimeout();

        /** The longest a chat statement runs, lock waits included, before PostgreSQL cancels it (57014); 0 for no bound. */
        @WithDefault("30s")
        @DurationMin(millis = 0)
        Duration chatStatementTimeout();

        /**
         * The longest a statement on the shared pool (REST, transfers and closes, a resident's
         * leave, retention, administrators' changes) waits for a lock before PostgreSQL cancels it
         * (55P03); 0 for no bound. Longer than the chat statements' wait: these may wait behind a
         * burst of chat. No bound on how long they run: exports and statistics read for long.
         * Sent when each connection starts ({@link SharedPool}).
         */
        @WithDefault("15s")
        @DurationMin(millis = 0)
        Duration lockTimeout();

        /**
         * The longest a transaction of this node's stays open without a statement running
         * ({@code idle_in_transaction_session_timeout}) before PostgreSQL ends its session, on the
         * chat connections and the shared pool; 0 for no bound. A node that froze in the middle of
         * a transaction (a suspended VM, a cut network: no socket is closed, as a killed process's
         * are) held that transaction's locks, a conversation's row or an account's, for as long as
         * TCP took to give the connection up (hours): every sweep that would have moved that
         * conversation waited for it, was cancelled, and took the other gone agents' and residents'
         * moves with it, every second. Longer than anything Loket waits for inside a transaction
         * between two statements (a webhook's answer, {@code loket.events.webhook.timeout}, 10 s;
         * the event senders lift it for their own transactions). Sent when each connection starts.
         */
        @WithDefault("30s")
        @DurationMin(millis = 0)
        Duration idleInTransactionTimeout();

        /** The most messages one statement stores (ConversationRepository); 1 sends each alone. */
        @WithDefault("32")
        @Positive
        int postBatch();
    }

    public Db(Pool pool, Signals signals, Failures failures, NodeId nodeId, MeterRegistry registry, io.vertx.core.Vertx vertx,
              Config config, PgOptions pgOptions) {
        this.pool = pool;
        this.chatConnections = Math.max(0, config.chatConnections());
        this.chat = chatConnections <= 0 ? pool
                : chatPool(vertx, chatConnections, chatOptions(pgOptions, config.chatLockTimeout(), config.chatStatementTimeout(),
                        config.idleInTransactionTimeout()));
        this.signals = signals;
        this.failures = failures;
        this.node = nodeId.id().toString();
        FunctionCounter.builder("loket.db.statements", statements, LongAdder::doubleValue)
                .description("Statements (round trips) this node sent to PostgreSQL").register(registry);
    }

    /**
     * A pool of its own, connecting as the shared one does ({@link PgOptions}): the same server,
     * account and TLS, the same additional connection properties (JIT off) and statements kept
     * prepared (application.properties says why). Its timers appear in {@code sql_pool_*} with
     * {@code pool_name="loket-chat"}; its client metrics as {@code postgresql_*{clientName="loket-chat"}}
     * (without a name they went under the shared pool's clientName="<default>", where Micrometer
     * ignored them).
     */
    private static Pool chatPool(io.vertx.core.Vertx vertx, int size, PgConnectOptions options) {
        return Pool.newInstance(PgBuilder.pool()
                .with(new PoolOptions().setMaxSize(size).setName("loket-chat"))
                .connectingTo(options)
                .using(vertx)
                .build());
    }

    /**
     * The chat connections' options: the shared pool's, and the bounds of a chat statement's lock
     * wait and run, and of a transaction left idle ({@link Config#idleInTransactionTimeout}), as
     * settings of the session, sent when the connection starts (as {@code jit}); they win over an
     * additional property of the same name. 0 lifts a bound.
     */
    private static PgConnectOptions chatOptions(PgOptions pgOptions, Duration lockTimeout, Duration statementTimeout,
                                                Duration idleInTransaction) {
        return pgOptions.connectOptions("loket-chat")
                .addProperty("lock_timeout", milliseconds("loket.db.chat-lock-timeout", lockTimeout))
                .addProperty("statement_timeout", milliseconds("loket.db.chat-statement-timeout", statementTimeout))
                .addProperty(IDLE_IN_TRANSACTION, milliseconds("loket.db.idle-in-transaction-timeout", idleInTransaction));
    }

    /** PostgreSQL's name of the bound of a transaction left idle ({@link Config#idleInTransactionTimeout}). */
    static final String IDLE_IN_TRANSACTION = "idle_in_transaction_session_timeout";

    /** A bound in PostgreSQL's unit (ms); below a millisecond, which PostgreSQL would read as none, is refused. */
    static String milliseconds(String key, Duration bound) {
        if (bound.isNegative() || !bound.isZero() && bound.toMillis() < 1 || bound.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be 0 (none) or between 1 ms and " + Integer.MAX_VALUE + " ms: " + bound);
        }
        return Long.toString(bound.toMillis());
    }

    @PreDestroy
    void closeChatPool() {
        if (chat != pool) {
            chat.closeAndForget();
        }
    }

    public Pool pool() {
        return pool;
    }

    /** How many connections the chat statements have of their own; 0 when they share the pool. */
    public int chatConnections() {
        return chatConnections;
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

    /** One statement of a conversation in progress (a message, a claim), on the chat connections. */
    public Uni<RowSet<Row>> chat(String sql, Tuple args) {
        statements.increment();
        return chat.preparedQuery(sql).execute(args);
    }

    /**
     * A statement that must not wait behind a surge's work either, on the chat connections: the
     * heartbeat. In the shared pool's line a node's beat waited longer than dead-after while
     * thousands of sockets opened on it, and the other node declared it dead while it served.
     * Bounded as the chat statements are: a beat behind a lock on the node's row gives up, and
     * the next one tries again. The public rate limit's sync too ({@code RateLimits}): in the
     * line, the nodes heard of each other's counts only after the surge's statements.
     */
    public Uni<RowSet<Row>> urgent(String sql, Tuple args) {
        return chat(sql, args);
    }

    /** Sends a signal that no transaction produced (typing): to this node at once, to the others by NOTIFY. */
    public Uni<Void> signal(Signal signal) {
        signals.deliver(signal);
        // without a write before the check, a node registering meanwhile may miss it: a typing
        // indicator, harmless (V34)
        return chat("select pg_notify($1, $2) where loket_others_listen($3)", Tuple.of(CHANNEL, node + "|" + signal.encode(), node))
                .replaceWithVoid();
    }

    /**
     * Delivers on this node a change that a statement (a stored function) already notified, with
     * the event the function returned.
     */
    public void delivered(Signal signal) {
        signals.deliver(signal);
    }

    /**
     * A change already committed, that the other nodes may hear of a moment later: delivered here
     * at once, and notified after the commit, together with whatever else came meanwhile. One
     * statement is in flight at a time; what comes while it runs goes in the next one, so a quiet
     * node tells at once and a busy one in batches. A notification inside a transaction makes
     * its commit queue for PostgreSQL's one notification lock, held through the commit: in a
     * surge of starts that queue, not the work, set the pace of every notifying commit, chat
     * messages included.
     *
     * <p>Only for changes the other nodes can afford to hear late, out of order or, should this
     * node die before telling, not at all:
     * <ul>
     * <li>an arrival: their boards count it at the next queue change or their periodic look
     * ({@code Boards});</li>
     * <li>a waiting resident's connection (V33): nobody holds the conversation yet, and a
     * session drops an event whose version it has and repairs a gap by reading.</li>
     * </ul>
     * A message, a claim, a move is notified inside its transaction.
     */
    public void committed(Signal signal) {
        signals.deliver(signal);
        untold.add(node + "|" + signal.encode());
        tellOthers();
    }

    private void tellOthers() {
        if (untold.isEmpty() || !telling.compareAndSet(false, true)) {
            return;
        }
        List<String> batch = new ArrayList<>(untold);
        untold.removeAll(batch);
        query(NOTIFY_EACH, Tuple.of(CHANNEL, batch.toArray(new String[0]), node))
                .subscribe().with(done -> {
                    telling.set(false);
                    tellOthers();
                }, e -> {
                    telling.set(false);
                    // told with the next change; the others' periodic look covers a quiet node
                    untold.addAll(batch);
                    failures.record("notify", e, "Notifying %d committed changes to the other nodes failed", batch.size());
                });
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

        /**
         * Lifts {@link Config#idleInTransactionTimeout} for the rest of this transaction, for one
         * that runs nothing for a while on purpose: it waits for a broker or a webhook, or holds a
         * run's lock while the work goes on in transactions of its own. Its locks go with its
         * connection when its node dies (TCP keepalive, application.properties).
         */
        public Uni<Void> liftIdleBound() {
            return query("select set_config('" + IDLE_IN_TRANSACTION + "', '0', true)", Tuple.tuple()).replaceWithVoid();
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
            return query(NOTIFY_EACH, Tuple.of(CHANNEL, notify.toArray(new String[0]), node))
                    .replaceWithVoid();
        }
    }
}
