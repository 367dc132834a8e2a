package nl.loket.cluster;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A socket that closes while the database cannot take the close (a PostgreSQL restart) is
 * recorded later, when a retry goes through, and the grace period (3 s in the test profile)
 * counts from then, not from the close: while the database is away nobody can connect again (an
 * open is closed with 1013), so an outage must not use up the time a resident or an agent has to
 * come back. A resident whose phone lost its signal at the start of a long restart would
 * otherwise lose their place the moment the database is back, before the widget's back-off
 * brought them in again. (Counting from the close was tried, and taken back for this reason.)
 *
 * <p>The database's refusal is a trigger that fails the removal of the subject's presence rows
 * for as long as the test wants: every attempt to record the close fails, as it does while the
 * database is away, and is tried again by the node with its back-off.
 */
@QuarkusTest
class CloseRecordedLateTest {

    /** Longer than the grace period: counted from the close, the grace would be over when the close is recorded. */
    private static final Duration REFUSED_FOR = Duration.ofSeconds(4);
    /** Well inside the grace period (3 s) after the record: the place is still kept. */
    private static final Duration INSIDE_GRACE = Duration.ofMillis(1500);
    /** The grace period after the record, and a sweep (every second) or two to act on it. */
    private static final Duration GRACE_AND_A_SWEEP = Duration.ofSeconds(6);

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @BeforeEach
    void refuseClosesOnDemand() {
        sql("create table if not exists test_close_refused (subject uuid primary key)");
        sql("""
                create or replace function test_refuse_close() returns trigger language plpgsql as $$
                begin
                    if exists (select 1 from test_close_refused where subject = old.subject) then
                        raise exception 'the close of this subject is refused for the test';
                    end if;
                    return old;
                end $$""");
        sql("drop trigger if exists test_refuse_close on presence");
        sql("create trigger test_refuse_close before delete on presence for each row execute function test_refuse_close()");
    }

    @AfterEach
    void acceptClosesAgain() {
        sql("drop trigger if exists test_refuse_close on presence");
        sql("drop table if exists test_close_refused");
        sql("drop function if exists test_refuse_close()");
    }

    @Test
    void aQueuedResidentWhoseCloseIsRecordedLateKeepsTheirPlaceForAGracePeriodAfterTheRecord() {
        String topic = TestTopics.create(db);
        JsonObject started = Api.start(topic, null);
        UUID id = UUID.fromString(started.getString("id"));
        WsClient resident = WsClient.connect(base, "/ws/resident/" + id, started.getString("token"));
        resident.next("state");
        refuseCloseOf(id);

        resident.close();
        sleep(REFUSED_FOR);
        assertThat(connections(id)).as("the resident's connection, its close not recorded yet").isEqualTo(1);
        assertThat(state(id)).as("the conversation while the close is not recorded").isEqualTo("queued");

        OffsetDateTime accepted = databaseNow();
        acceptCloseOf(id);
        await().atMost(Duration.ofSeconds(15)).until(() -> connections(id) == 0);
        assertThat(residentGoneAt(id)).as("gone since: the record, not the close 4 s before").isAfterOrEqualTo(accepted);
        sleep(INSIDE_GRACE);
        assertThat(state(id)).as("the place, inside the grace period after the record").isEqualTo("queued");
        await("abandoned once the grace period after the record is over").atMost(GRACE_AND_A_SWEEP)
                .until(() -> "abandoned".equals(state(id)));
    }

    @Test
    void anAgentWhoseCloseIsRecordedLateKeepsTheConversationForAGracePeriodAfterTheRecord() {
        String topic = TestTopics.create(db);
        Api.Agent agent = Api.agent("Fenna", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Sem");
        UUID agentId = UUID.fromString(agent.id());
        UUID conversation = UUID.fromString(started.getString("id"));
        try (WsClient resident = WsClient.connect(base, "/ws/resident/" + started.getString("id"), started.getString("token"))) {
            resident.next("state");
            WsClient console = WsClient.connect(base, "/ws/agent", agent.token());
            console.next("hello");
            console.send(frame("claim"));
            console.next("assigned");
            resident.next(f -> "active".equals(f.getString("state")));
            refuseCloseOf(agentId);

            console.close();
            sleep(REFUSED_FOR);
            assertThat(connections(agentId)).as("the agent's connection, its close not recorded yet").isEqualTo(1);
            assertThat(state(conversation)).as("the conversation while the close is not recorded").isEqualTo("active");

            OffsetDateTime accepted = databaseNow();
            acceptCloseOf(agentId);
            await().atMost(Duration.ofSeconds(15)).until(() -> connections(agentId) == 0);
            assertThat(agentGoneAt(agentId)).as("gone since: the record, not the close 4 s before").isAfterOrEqualTo(accepted);
            sleep(INSIDE_GRACE);
            assertThat(state(conversation)).as("the chat, inside the agent's grace period after the record").isEqualTo("active");
            // then back in the queue, told why
            resident.next(f -> "state".equals(f.getString("type")) && "queued".equals(f.getString("state")), GRACE_AND_A_SWEEP);
            assertThat(resident.next("message").getString("text")).contains("niet meer bereikbaar");
        }
    }

    private void refuseCloseOf(UUID subject) {
        db.query("insert into test_close_refused (subject) values ($1)", Tuple.of(subject)).await().indefinitely();
    }

    private void acceptCloseOf(UUID subject) {
        db.query("delete from test_close_refused where subject = $1", Tuple.of(subject)).await().indefinitely();
    }

    private long connections(UUID subject) {
        return db.query("select count(*) as n from presence where subject = $1", Tuple.of(subject))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely();
    }

    private String state(UUID id) {
        return db.query("select state from conversation where id = $1", Tuple.of(id))
                .map(r -> r.iterator().next().getString("state")).await().indefinitely();
    }

    private OffsetDateTime residentGoneAt(UUID id) {
        return db.query("select resident_gone_at from conversation where id = $1", Tuple.of(id))
                .map(r -> r.iterator().next().getOffsetDateTime("resident_gone_at")).await().indefinitely();
    }

    private OffsetDateTime agentGoneAt(UUID id) {
        return db.query("select gone_at from app_user where id = $1", Tuple.of(id))
                .map(r -> r.iterator().next().getOffsetDateTime("gone_at")).await().indefinitely();
    }

    private OffsetDateTime databaseNow() {
        return db.query("select now() as t").map(r -> r.iterator().next().getOffsetDateTime("t")).await().indefinitely();
    }

    private void sql(String statement) {
        db.query(statement).await().indefinitely();
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
