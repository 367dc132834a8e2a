package nl.loket.platform;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failures mean "the database cannot be reached or is too busy now" (a 503), and which a 500. */
class UnavailableTest {

    @Test
    void connectionsThatCannotBeHadAreUnavailable() {
        assertThat(ProblemMappers.unavailable(new ConnectException("Connection refused"))).isTrue();
        assertThat(ProblemMappers.unavailable(new CompletionException(new ConnectException("Connection refused")))).as("wrapped").isTrue();
        assertThat(ProblemMappers.unavailable(Future.failedFuture("Timeout").cause())).as("the pool's wait ran out").isTrue();
        // a server that crashes (pg_ctl stop -m immediate, a killed postmaster) resets its connections under their statements
        assertThat(ProblemMappers.unavailable(new java.net.SocketException("Connection reset"))).as("reset").isTrue();
        assertThat(ProblemMappers.unavailable(new PgException("the database system is starting up", "FATAL", "57P03", null)))
                .isTrue();
        assertThat(ProblemMappers.unavailable(new PgException("sorry, too many clients already", "FATAL", "53300", null))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(ProblemMappers.unavailable(new IOException("a read failed"))).isFalse();
        assertThat(ProblemMappers.unavailable(Future.failedFuture("something else").cause())).isFalse();
        assertThat(ProblemMappers.unavailable(new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null)))
                .isFalse();
        assertThat(ProblemMappers.unavailable(new IllegalStateException("a state that cannot be"))).isFalse();
    }

    /** A statement cancelled after its lock wait or run: the sockets' {@code unavailable}, and not "the database is away". */
    @Test
    void aStatementCancelledAfterItsBoundIsHeldUpNotUnavailable() {
        PgException lock = new PgException("canceling statement due to lock timeout", "ERROR", "55P03", null);
        PgException statement = new PgException("canceling statement due to statement timeout", "ERROR", "57014", null);
        assertThat(ProblemMappers.heldUp(lock)).isTrue();
        assertThat(ProblemMappers.heldUp(new CompletionException(statement))).as("wrapped").isTrue();
        assertThat(ProblemMappers.unavailable(lock)).isFalse();
        assertThat(ProblemMappers.unavailable(statement)).isFalse();
        assertThat(ProblemMappers.heldUp(new PgException("duplicate key value violates unique constraint", "ERROR", "23505", null)))
                .isFalse();
        assertThat(ProblemMappers.heldUp(new ConnectException("Connection refused"))).isFalse();
    }

    /**
     * On REST a lock waited for past the shared pool's bound is a 503 like an outage; a statement
     * cancelled otherwise (the shared pool has no statement_timeout: someone's pg_cancel_backend) stays a 500.
     */
    @Test
    void onRestOnlyALockWaitedForTooLongIsA503() {
        assertThat(ProblemMappers.lockWaitedTooLong(new CompletionException(
                new PgException("canceling statement due to lock timeout", "ERROR", "55P03", null)))).isTrue();
        assertThat(ProblemMappers.lockWaitedTooLong(new PgException("canceling statement due to user request", "ERROR", "57014", null)))
                .isFalse();
        assertThat(ProblemMappers.lockWaitedTooLong(new ConnectException("Connection refused"))).isFalse();
        assertThat(ProblemMappers.lockWaitedTooLong(new PgException("a pg error without a state", "ERROR", null, null))).isFalse();
    }
}
