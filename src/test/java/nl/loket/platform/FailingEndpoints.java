package nl.loket.platform;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import nl.loket.Ports;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Test only: endpoints that fail the way a database-backed endpoint fails on a bad day, with the
 * reactive client's own failures. Each takes a {@code phone} query parameter, which must never
 * reach the log.
 */
@Path("/api/v1/test-failures")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class FailingEndpoints {

    @Inject
    Vertx vertx;

    @ConfigProperty(name = "quarkus.datasource.reactive.url")
    String url;

    @ConfigProperty(name = "quarkus.datasource.username")
    String user;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    /** PostgreSQL is unreachable: a statement on a pool whose server refuses connections. */
    @GET
    @Path("database-down")
    public Uni<String> databaseDown(@QueryParam("phone") String phone) {
        Pool pool = pool(new PgConnectOptions().setHost("127.0.0.1").setPort(Ports.free()).setUser("loket").setDatabase("loket"),
                new PoolOptions().setMaxSize(1));
        return pool.query("select 1").execute().map(rows -> "unreachable").eventually(pool::close);
    }

    /** The same, on another endpoint: an outage of its own for the log. */
    @GET
    @Path("database-down-again")
    public Uni<String> databaseDownAgain(@QueryParam("phone") String phone) {
        return databaseDown(phone);
    }

    /** Every connection is busy (a surge) and the wait for one runs out. */
    @GET
    @Path("pool-exhausted")
    public Uni<String> poolExhausted(@QueryParam("phone") String phone) {
        PgConnectOptions options = PgConnectOptions.fromUri(url).setUser(user);
        password.ifPresent(options::setPassword);
        Pool pool = pool(options, new PoolOptions().setMaxSize(1).setConnectionTimeout(200).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS));
        return pool.getConnection().chain((SqlConnection held) -> pool.query("select 1").execute().map(rows -> "free")
                        .eventually(held::close))
                .eventually(pool::close);
    }

    /**
     * The pool's wait for a connection ran out, as the pool answers a {@code getConnection} (a
     * transaction's): {@code Future.failedFuture("Timeout")}, a Throwable that is no Exception.
     */
    @GET
    @Path("pool-wait-timeout")
    public Uni<String> poolWaitTimeout(@QueryParam("phone") String phone) {
        return Uni.createFrom().failure(io.vertx.core.Future.failedFuture("Timeout").cause());
    }

    /** A failure of another kind, not a RuntimeException. */
    @GET
    @Path("checked")
    public Uni<String> checked(@QueryParam("phone") String phone) {
        return Uni.createFrom().failure(new java.io.IOException("a read failed"));
    }

    /** A bug. */
    @GET
    @Path("bug")
    public Uni<String> bug(@QueryParam("phone") String phone) {
        return Uni.createFrom().failure(new IllegalStateException("a state that cannot be"));
    }

    private Pool pool(PgConnectOptions options, PoolOptions poolOptions) {
        return Pool.newInstance(PgBuilder.pool().with(poolOptions).connectingTo(options).using(vertx.getDelegate()).build());
    }
}
