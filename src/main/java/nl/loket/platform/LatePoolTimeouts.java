package nl.loket.platform;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps one harmless ERROR of Vert.x's out of the log: {@code Uncaught exception received by
 * Vert.x} with {@code IllegalStateException: Result is already complete}, thrown by a timer of the SQL
 * client's pool ({@code SqlConnectionPool.execute}, Vert.x 4.5). Each statement arms a timer of
 * the pool's connection timeout (30 s by default: the shared pool's and the chat connections');
 * when getting a connection fails (the database refuses it: a restart, a failover) the statement
 * fails at once and its caller hears so, but the timer is not cancelled, and when it runs out it
 * fails the statement's promise again. Vert.x refuses the second outcome and logs it: after an
 * outage, one ERROR with a stack trace per statement that found the database away, half a minute
 * later, which looked like a fault of Loket's (PoolLateTimeoutTest). Nothing is lost: the caller
 * had its failure, which Loket counts and logs where it happens.
 *
 * <p>Only that record is dropped (logged at DEBUG instead): the exception, its message and the
 * pool's timer at the top of its stack. Any other unhandled exception is logged as before. Remove
 * this once Vert.x cancels the timer when a connection cannot be had.
 */
@Startup
@ApplicationScoped
public class LatePoolTimeouts {

    /**
     * Where an exception a handler on one of Vert.x's contexts threw is logged: Quarkus's handler
     * of Vert.x ("Uncaught exception received by Vert.x"), and Vert.x's own where there is none
     * ("Unhandled exception"; ContextImpl in 4.5, ContextBase in later versions).
     */
    static final List<String> LOGGERS = List.of("io.quarkus.vertx.core.runtime.VertxCoreRecorder", "io.vertx.core.impl.ContextImpl",
            "io.vertx.core.impl.ContextBase");

    private static final String POOL = "io.vertx.sqlclient.impl.pool.SqlConnectionPool";
    private static final String TWICE = "Result is already complete";

    @PostConstruct
    void install() {
        for (String name : LOGGERS) {
            Logger logger = Logger.getLogger(name);
            Filter before = logger.getFilter();
            logger.setFilter(record -> {
                if (lateTimeout(record)) {
                    Log.debugf("A statement's pool timeout ran out after the statement had failed (Vert.x refused to fail it twice)");
                    return false;
                }
                return before == null || before.isLoggable(record);
            });
        }
    }

    /** Whether this is the pool's timer failing a statement that has already failed. */
    static boolean lateTimeout(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (!(thrown instanceof IllegalStateException) || !TWICE.equals(thrown.getMessage())) {
            return false;
        }
        StackTraceElement[] stack = thrown.getStackTrace();
        // Promise.fail, then the pool's lambda; a frame or two of slack for another 4.5 release
        for (int i = 0; i < Math.min(4, stack.length); i++) {
            if (POOL.equals(stack[i].getClassName()) && stack[i].getMethodName().startsWith("lambda$execute")) {
                return true;
            }
        }
        return false;
    }
}
