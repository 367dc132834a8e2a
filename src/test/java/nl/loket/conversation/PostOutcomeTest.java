package nl.loket.conversation;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code loket_post} answers, outcome by outcome (V37 takes the row lock with its update and
 * finds a repeated clientMsgId at the insert): a resend returns the original and leaves no gap in
 * seq or version, also when the conversation ended or moved to another agent since; a sender who
 * may not write is told why; the redaction notice takes the seq after the message, in the
 * conversation's language; a post waits for whoever holds the row and sees what they committed.
 */
@QuarkusTest
class PostOutcomeTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Inject
    Db db;

    @Inject
    AgroalDataSource jdbc;

    @Test
    void aResendReturnsTheOriginalAndLeavesNoGap() {
        Held held = heldByAnne();
        UUID id = held.id();
        UUID agent = held.anne();

        JsonObject first = stored(post(id, "resident", "resident", null, "m-1", "Mijn paspoort", null));
        assertThat(first.getJsonArray("m")).hasSize(1);
        assertThat(first.getInteger("seq")).isEqualTo(1);
        long version = first.getLong("v");

        Row resend = post(id, "resident", "resident", null, "m-1", "Mijn paspoort (opnieuw)", null);
        assertThat(resend.getString("outcome")).isEqualTo("duplicate");
        JsonObject original = new JsonObject(resend.getString("payload"));
        assertThat(original.getInteger("seq")).isEqualTo(1);
        assertThat(original.getString("text")).isEqualTo("Mijn paspoort");
        assertThat(counters(id)).containsExactly(1L, version);

        // the next message takes the next seq and version: the resend's reservation was given back
        JsonObject next = stored(post(id, "agent", agent.toString(), agent, "a-1", "Welkom", null));
        assertThat(next.getJsonArray("m").getJsonObject(0).getInteger("seq")).isEqualTo(2);
        assertThat(next.getLong("v")).isEqualTo(version + 1);

        // a redacted message and its notice: two seqs, one version; its resend gives both back
        JsonObject redacted = stored(post(id, "resident", "resident", null, "m-2", "[verwijderd]", "Verwijderd"));
        assertThat(redacted.getJsonArray("m")).extracting(m -> ((JsonObject) m).getInteger("seq")).containsExactly(3, 4);
        assertThat(redacted.getJsonArray("m").getJsonObject(1).getString("from")).isEqualTo("system");
        assertThat(post(id, "resident", "resident", null, "m-2", "[verwijderd]", "Verwijderd").getString("outcome"))
                .isEqualTo("duplicate");
        assertThat(counters(id)).containsExactly(4L, version + 2);
        assertThat(messages(id)).isEqualTo(4L);
    }

    @Test
    void aSenderWhoMayNotWriteIsToldWhyAndAResendStillGetsItsOriginal() {
        Held held = heldByAnne();
        UUID id = held.id();
        UUID anne = held.anne();
        UUID bert = UUID.fromString(Api.agent("Bert", List.of(held.topic()), 3).id());
        stored(post(id, "agent", anne.toString(), anne, "a-1", "Welkom", null));
        stored(post(id, "resident", "resident", null, "m-1", "Dank u", null));
        List<Long> before = counters(id);

        assertThat(post(id, "agent", bert.toString(), bert, "b-1", "Niet de mijne", null).getString("outcome"))
                .isEqualTo("not_assigned");
        assertThat(post(UUID.randomUUID(), "resident", "resident", null, "m-9", "Wie?", null).getString("outcome"))
                .isEqualTo("not_found");

        db.query("update conversation set state = 'closed', closed_at = now(), close_reason = 'resolved' where id = $1",
                Tuple.of(id)).await().atMost(WAIT);
        assertThat(post(id, "resident", "resident", null, "m-2", "Nog iets", null).getString("outcome"))
                .isEqualTo("conversation_ended");
        assertThat(post(id, "agent", anne.toString(), anne, "a-2", "Tot ziens", null).getString("outcome"))
                .isEqualTo("not_assigned");
        // a resend after the end (the resident's connection dropped before the acknowledgement) gets its original
        Row resent = post(id, "resident", "resident", null, "m-1", "Dank u", null);
        assertThat(resent.getString("outcome")).isEqualTo("duplicate");
        assertThat(new JsonObject(resent.getString("payload")).getInteger("seq")).isEqualTo(2);
        Row agentResent = post(id, "agent", anne.toString(), anne, "a-1", "Welkom", null);
        assertThat(agentResent.getString("outcome")).isEqualTo("duplicate");
        assertThat(counters(id)).isEqualTo(before);
        assertThat(messages(id)).isEqualTo(2L);
    }

    /**
     * V48 writes a stored message's event as text instead of through loket_event_json and
     * loket_message_json; it must say what they say for the same rows, whatever the message,
     * the names and the conversation's state hold.
     */
    @Test
    void theStoredEventSaysWhatLoketEventJsonSays() {
        UUID waiting = UUID.fromString(Api.start(TestTopics.create(db), "Jan").getString("id"));
        sameAsEventJson(waiting, post(waiting, "resident", "resident", null, null, "Hallo \"daar\" \\ \n\t\u0001 é 😀", null));

        Held held = heldByAnne();
        UUID id = held.id();
        UUID anne = held.anne();
        db.query("update app_user set display_name = $2 where id = $1", Tuple.of(anne, "Anne \"de\" \\ Vriés"))
                .await().atMost(WAIT);
        sameAsEventJson(id, post(id, "agent", anne.toString(), anne, "a-\"1\"\t", "Welkom", null));
        sameAsEventJson(id, post(id, "resident", "resident", null, "m-1", "[verwijderd]", "Verwijderd"));
        sameAsEventJson(id, post(id, "note", anne.toString(), anne, null, "Klant belt ook", null));
        db.query("update conversation set resident_gone_at = now() where id = $1", Tuple.of(id)).await().atMost(WAIT);
        sameAsEventJson(id, post(id, "agent", anne.toString(), anne, "a-2", "Bent u er nog?", null));
    }

    @Test
    void theNoticeSpeaksTheConversationsLanguageAndANoteIsNoActivity() {
        Held held = heldByAnne();
        UUID id = held.id();
        UUID anne = held.anne();
        db.query("update conversation set locale = 'en', last_activity_at = now() - interval '1 hour' where id = $1",
                Tuple.of(id)).await().atMost(WAIT);

        stored(post(id, "note", anne.toString(), anne, "n-1", "Klant belt ook", null));
        assertThat(minutesSinceActivity(id)).as("a note is not activity").isGreaterThanOrEqualTo(59);

        JsonObject redacted = stored(post(id, "resident", "resident", null, "m-1", "[verwijderd]", "Verwijderd"));
        assertThat(redacted.getJsonArray("m").getJsonObject(1).getString("text")).isEqualTo("Removed");
        assertThat(minutesSinceActivity(id)).isZero();
    }

    /**
     * Two posts of the same message at once (a resend racing the original): the second waits for
     * the first's row lock and then finds its message. A post racing a close waits for it and is
     * told the conversation ended.
     */
    @Test
    void aPostWaitsForTheRowAndThenSeesWhatWasCommitted() throws Exception {
        Held held = heldByAnne();
        UUID id = held.id();
        UUID anne = held.anne();
        List<Long> before = counters(id);

        try (Connection first = jdbc.getConnection(); Connection second = jdbc.getConnection()) {
            first.setAutoCommit(false);
            assertThat(postOver(first, id, "m-1")).isEqualTo("stored");
            CompletableFuture<String> resend = CompletableFuture.supplyAsync(() -> postOver(second, id, "m-1"));
            Thread.sleep(300);
            assertThat(resend).as("waits for the first's row lock").isNotDone();
            first.commit();
            assertThat(resend.get(10, TimeUnit.SECONDS)).isEqualTo("duplicate");

            first.createStatement().execute("update conversation set state = 'closed', closed_at = now() where id = '" + id + "'");
            CompletableFuture<String> late = CompletableFuture.supplyAsync(() -> postOver(second, id, "m-2"));
            Thread.sleep(300);
            assertThat(late).as("waits for the close's row lock").isNotDone();
            first.commit();
            assertThat(late.get(10, TimeUnit.SECONDS)).isEqualTo("conversation_ended");
        }
        assertThat(counters(id)).containsExactly(before.get(0) + 1, before.get(1) + 1);
        assertThat(messages(id)).isEqualTo(1L);
    }

    /**
     * The CHECK constraints on a conversation's state and a message's sender (V45 made them call a
     * function, for the hot path's sake) still refuse any other value, on insert and on update,
     * under their own names; the known values still pass.
     */
    @Test
    void onlyKnownStatesAndSendersAreStored() throws SQLException {
        Held held = heldByAnne();
        stored(post(held.id(), "resident", "resident", null, "c-1", "Hallo", null));
        try (Connection c = jdbc.getConnection()) {
            c.setAutoCommit(true);
            assertCheckViolation(c, "update conversation set state = 'paused' where id = '" + held.id() + "'",
                    "conversation_state_check");
            assertCheckViolation(c, "insert into conversation (id, topic, state, queued_at) values ('" + UUID.randomUUID()
                    + "', '" + held.topic() + "', 'waiting', now())", "conversation_state_check");
            assertCheckViolation(c, "insert into message (conversation_id, seq, sender, sender_key, text) values ('" + held.id()
                    + "', 99, 'robot', 'robot', 'x')", "message_sender_check");
            for (String state : List.of("queued", "active", "closed", "callback", "abandoned")) {
                try (PreparedStatement ps = c.prepareStatement("update conversation set state = ? where id = ?")) {
                    ps.setString(1, state);
                    ps.setObject(2, held.id());
                    assertThat(ps.executeUpdate()).as(state).isEqualTo(1);
                }
            }
        }
        assertThat(messages(held.id())).isEqualTo(1L);
    }

    private static void assertCheckViolation(Connection c, String sql, String constraint) {
        try (var st = c.createStatement()) {
            st.executeUpdate(sql);
            throw new AssertionError("stored: " + sql);
        } catch (SQLException e) {
            assertThat(e.getSQLState()).as(sql).isEqualTo("23514");
            assertThat(e.getMessage()).as(sql).contains(constraint);
        }
    }

    private String postOver(Connection connection, UUID id, String clientMsgId) {
        try (PreparedStatement st = connection.prepareStatement(
                "select outcome from loket_post(?::uuid, 'resident', 'resident', null, null, ?, 'Mijn paspoort', null, null, ?)")) {
            st.setString(1, id.toString());
            st.setString(2, clientMsgId);
            st.setString(3, db.node());
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long minutesSinceActivity(UUID id) {
        return db.query("select extract(epoch from now() - last_activity_at)::bigint / 60 as m from conversation where id = $1",
                Tuple.of(id)).await().atMost(WAIT).iterator().next().getLong("m");
    }

    /** A conversation in a topic of its own, held by the agent Anne. */
    private record Held(UUID id, UUID anne, String topic) {
    }

    private Held heldByAnne() {
        String topic = TestTopics.create(db);
        UUID anne = UUID.fromString(Api.agent("Anne", List.of(topic), 3).id());
        UUID id = UUID.fromString(Api.start(topic, "Jan").getString("id"));
        db.query("update conversation set state = 'active', assigned_agent = $2, assigned_at = now() where id = $1",
                Tuple.of(id, anne)).await().atMost(WAIT);
        return new Held(id, anne, topic);
    }

    private Row post(UUID id, String from, String senderKey, UUID agent, String clientMsgId, String text, String notice) {
        return db.query("select outcome, payload from loket_post($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                        Tuple.tuple(Arrays.asList(id, from, senderKey, agent, agent == null ? null : "Anne", clientMsgId, text,
                                notice, notice == null ? null : "Removed", db.node())))
                .await().atMost(WAIT).iterator().next();
    }

    /**
     * The stored event, compared as jsonb with loket_event_json's of the conversation and the
     * messages it wrote. The payload goes in as text: a parameter PostgreSQL takes as jsonb would
     * get the Java string as one JSON string.
     */
    private void sameAsEventJson(UUID id, Row row) {
        stored(row);
        String payload = row.getString("payload");
        Row r = db.query("""
                        select $1::text::jsonb = e::jsonb as same, e from (
                            select loket_event_json(c, 'MESSAGE', null,
                                       (select jsonb_agg(loket_message_json(m) order by m.seq) from message m
                                        where m.conversation_id = c.id and m.seq > c.last_seq - jsonb_array_length($1::text::jsonb -> 'm'))) as e
                            from conversation c where c.id = $2) x""", Tuple.of(payload, id))
                .await().atMost(WAIT).iterator().next();
        assertThat(r.getBoolean("same")).as("%s%nagainst%n%s", payload, r.getString("e")).isTrue();
    }

    private static JsonObject stored(Row row) {
        assertThat(row.getString("outcome")).isEqualTo("stored");
        return new JsonObject(row.getString("payload"));
    }

    /** The conversation's last seq and version. */
    private List<Long> counters(UUID id) {
        Row r = db.query("select last_seq, version from conversation where id = $1", Tuple.of(id)).await().atMost(WAIT)
                .iterator().next();
        return List.of(r.getLong("last_seq"), r.getLong("version"));
    }

    private long messages(UUID id) {
        return db.query("select count(*) as n from message where conversation_id = $1", Tuple.of(id)).await().atMost(WAIT)
                .iterator().next().getLong("n");
    }
}
