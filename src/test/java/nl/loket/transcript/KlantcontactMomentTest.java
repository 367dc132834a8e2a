package nl.loket.transcript;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Klantcontact's {@code plaatsgevondenOp} is when an agent took the conversation (README, For
 * integrators): the first agent, not the colleague who claimed it after a transfer to the topic,
 * and also for a conversation that went back to the queue and was abandoned there, whose
 * {@code assignedAt} is empty by then. Both used to give a later moment or the queue's.
 */
@QuarkusTest
class KlantcontactMomentTest {

    @Inject
    Db db;

    private static final Instant QUEUED = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private static final Instant FIRST_TAKEN = QUEUED.plusSeconds(60);

    private UUID conversation(String topic, String state, Instant assignedAt, Instant firstTaken) {
        UUID id = UUID.randomUUID();
        db.query("insert into conversation (id, topic, state, resident_name, queued_at, created_at, assigned_at, first_assigned_at, "
                        + "closed_at, updated_at, outcome) values ($1, $2, $3, 'Jan', $4, $4, $5, $6, $7, $7, $8)",
                Tuple.from(java.util.Arrays.asList(id, topic, state, QUEUED.atOffset(ZoneOffset.UTC),
                        assignedAt == null ? null : assignedAt.atOffset(ZoneOffset.UTC),
                        firstTaken == null ? null : firstTaken.atOffset(ZoneOffset.UTC),
                        QUEUED.plusSeconds(600).atOffset(ZoneOffset.UTC), "closed".equals(state) ? "answered" : null)))
                .await().indefinitely();
        return id;
    }

    private Instant plaatsgevondenOp(String token, UUID id) {
        JsonObject k = new JsonObject(given().auth().oauth2(token).get("/api/v1/conversations/" + id + "/klantcontact")
                .then().statusCode(200).extract().asString());
        return Instant.parse(k.getString("plaatsgevondenOp"));
    }

    @Test
    void theContactTookPlaceWhenAnAgentFirstTookIt() {
        String topic = TestTopics.create(db);
        String crm = Api.user("CRM", List.of("integrator"), List.of(), 3).token();
        // transferred to the topic after a minute with the first agent, claimed again by a colleague two minutes later
        UUID transferred = conversation(topic, "closed", FIRST_TAKEN.plusSeconds(120), FIRST_TAKEN);
        // the agent's connection was gone past the grace: back to the queue (assignedAt cleared), and the resident left there
        UUID abandonedAfterAnAgent = conversation(topic, "abandoned", null, FIRST_TAKEN);
        // no agent ever took it: the moment it was queued, as before
        UUID neverTaken = conversation(topic, "abandoned", null, null);
        // taken once and closed by the same agent: that moment, as before
        UUID plain = conversation(topic, "closed", FIRST_TAKEN, FIRST_TAKEN);

        assertThat(plaatsgevondenOp(crm, transferred)).isEqualTo(FIRST_TAKEN);
        assertThat(plaatsgevondenOp(crm, abandonedAfterAnAgent)).isEqualTo(FIRST_TAKEN);
        assertThat(plaatsgevondenOp(crm, neverTaken)).isEqualTo(QUEUED);
        assertThat(plaatsgevondenOp(crm, plain)).isEqualTo(FIRST_TAKEN);
    }
}
