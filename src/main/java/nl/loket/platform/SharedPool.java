package nl.loket.platform;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.spi.PgDriver;
import io.vertx.sqlclient.Pool;
import jakarta.inject.Singleton;

/**
 * Creates the shared reactive pool (the one Quarkus configures from {@code quarkus.datasource.*}:
 * REST, transfers and closes, a resident's leave, retention, Hibernate Reactive) as Quarkus would,
 * with two settings more in each connection's startup message: {@code lock_timeout}, from
 * {@code loket.db.lock-timeout} (15 s; 0 for no bound), and
 * {@code idle_in_transaction_session_timeout}, from {@code loket.db.idle-in-transaction-timeout}
 * (30 s: a frozen node's transaction does not hold its locks for hours, {@link Db.Config}). A statement that waits longer for a lock
 * is cancelled by PostgreSQL (55P03) and its transaction rolled back: a conversation held by a
 * transaction that does not end no longer stops a console, nor takes a connection of this pool
 * for good ({@link Db}). There is no {@code statement_timeout}: exports and statistics may read
 * for long.
 *
 * <p>Computed here rather than written as an additional property in application.properties: the
 * key is a duration as Loket's other durations are ({@code 15} is 15 s, {@code 1m} a minute),
 * which PostgreSQL reads otherwise ({@code 15} is 15 ms, {@code 1m} refused when a connection
 * starts). It is not among the {@code additional-properties} that {@link PgOptions} copies: the
 * chat connections set their own, shorter bound, and the LISTEN connection takes no row locks.
 * Flyway's connection is JDBC, from another datasource, and has no bound.
 *
 * <p>Quarkus calls this in place of its own creation, with the options it built; it does not
 * apply a {@code quarkus.datasource.credentials-provider} then (Loket configures none).
 */
@Singleton
public class SharedPool implements PgPoolCreator {

    private final String lockTimeout;
    private final String idleInTransaction;

    public SharedPool(Db.Config config) {
        this.lockTimeout = Db.milliseconds("loket.db.lock-timeout", config.lockTimeout());
        this.idleInTransaction = Db.milliseconds("loket.db.idle-in-transaction-timeout", config.idleInTransactionTimeout());
    }

    @Override
    public Pool create(Input input) {
        for (PgConnectOptions options : input.pgConnectOptionsList()) {
            options.addProperty("lock_timeout", lockTimeout);
            options.addProperty(Db.IDLE_IN_TRANSACTION, idleInTransaction);
        }
        // as Quarkus's own creation does without a creator (a PgPool, which it expects)
        return PgDriver.INSTANCE.createPool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions());
    }
}
