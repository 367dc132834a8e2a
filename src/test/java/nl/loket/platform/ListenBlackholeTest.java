package nl.loket.platform;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.LogCapture;
import nl.loket.Metrics;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import static io.restassured.RestAssured.given;
import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A LISTEN connection that dies without a word: a firewall, a NAT or a load balancer between the
 * node and PostgreSQL forgets it and drops its packets, and neither end is told (no reset, no
 * close; TCP keepalive would take hours). Here a proxy in front of the LISTEN connection only
 * ({@link ProxiedListenOptions}) stops forwarding, and lets no new connection through for a
 * while, as a partition does. Meanwhile another node stores a resident's message: its
 * notification is lost. What an agent on this node and an operator see: readiness goes DOWN
 * within the probe's bound, the loss is logged once at WARN and counted, and once connections get
 * through again the agent gets the message (the reconnect's resync reads it), the recovery is
 * logged once at INFO and readiness is UP. Before, readiness stayed UP and the agent never got it.
 */
@QuarkusTest
@TestProfile(ListenBlackholeTest.ProxiedListen.class)
class ListenBlackholeTest {

    /**
     * The probe's interval here: the production default of 5 s made this test wait 5 to 10 s for
     * the loss to be noticed and 12 s for a few probes after the recovery. A loopback round trip
     * needs far less than 2 s, and a tick that comes late (a stalled JVM) judges nothing.
     */
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(2);

    /** The LISTEN connection through the proxy: an application of its own. */
    public static class ProxiedListen implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ProxiedListenOptions.class);
        }

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("loket.listen.probe-interval", PROBE_INTERVAL.toMillis() + "ms");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @Inject
    Db db;

    @Inject
    ClusterListener listener;

    @Inject
    MeterRegistry registry;

    private int readiness() {
        return given().get(ready).statusCode();
    }

    private double failures(String where) {
        return Metrics.failures(registry, where);
    }

    private static List<LogRecord> aboutListen(LogCapture logs, Level level) {
        return logs.loket(level).stream().filter(r -> r.getLevel().intValue() == level.intValue())
                .filter(r -> LogCapture.message(r).contains("LISTEN")).toList();
    }

    @Test
    void aSilentlyDeadListenConnectionIsNoticedReportedAndRepairedWithoutLosingAMessage() throws Exception {
        BlackholeProxy proxy = ProxiedListenOptions.proxy();
        assertThat(proxy).as("the LISTEN connection goes through the proxy").isNotNull();
        await().atMost(Duration.ofSeconds(10)).until(() -> listener.listening() && readiness() == 200);
        assertThat(proxy.connections()).as("the LISTEN connection, through the proxy").isEqualTo(1);

        String topic = TestTopics.create(db);
        Api.Agent anne = Api.agent("Anne", List.of(topic), 3);
        JsonObject started = Api.start(topic, "Jan");
        UUID conversation = UUID.fromString(started.getString("id"));
        UUID otherNode = UUID.randomUUID();
        double listenFailures = failures("listen");
        double signalFailures = failures("signal");
        try (LogCapture logs = new LogCapture();
             WsClient agent = WsClient.connect(base, "/ws/agent", anne.token());
             WsClient resident = WsClient.connect(base, "/ws/resident/" + conversation, started.getString("token"))) {
            agent.next("hello");
            resident.next("state");
            agent.send(frame("claim", "topic", topic));
            agent.next("assigned");

            // another node's probe, heard by every node: passed over, neither delivered nor reported
            db.query("select pg_notify($1, $2)", Tuple.of(Db.CHANNEL, "probe:" + otherNode + ":1")).await().atMost(Duration.ofSeconds(10));

            proxy.blackhole();
            proxy.refuseNew(true);
            // the resident's message as another node stores it (its resident's socket is there):
            // stored, and notified to this node, whose LISTEN connection no longer carries anything
            db.query("select outcome from loket_post($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                    Tuple.tuple(Arrays.asList(conversation, "resident", "resident", null, null, "elsewhere-1",
                            "Mijn vraag via de andere node", null, null, otherNode.toString()))).await().atMost(Duration.ofSeconds(10));

            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> readiness() == 503);
            assertThat(listener.listening()).as("the listener counts as down").isFalse();
            assertThat(agent.frames("message")).as("nothing heard while the LISTEN connection is down")
                    .noneMatch(f -> "elsewhere-1".equals(f.getString("clientMsgId")));
            await().atMost(Duration.ofSeconds(5)).until(() -> failures("listen") - listenFailures == 1.0);
            assertThat(aboutListen(logs, Level.WARNING)).as("one WARN about the loss:%n%s", logs.all()).hasSize(1);

            proxy.refuseNew(false);
            JsonObject heard = agent.next(f -> "message".equals(f.getString("type")) && "elsewhere-1".equals(f.getString("clientMsgId")),
                    Duration.ofSeconds(20));
            assertThat(heard.getString("text")).isEqualTo("Mijn vraag via de andere node");
            await().atMost(Duration.ofSeconds(10)).until(() -> readiness() == 200 && listener.listening());
            await().atMost(Duration.ofSeconds(5)).until(() -> aboutListen(logs, Level.INFO).size() == 1);

            // a few more probes (two and a half intervals), heard back as they should be: nothing more to report
            Duration fewProbes = PROBE_INTERVAL.multipliedBy(5).dividedBy(2);
            await().pollDelay(fewProbes).atMost(fewProbes.plusSeconds(1)).until(() -> true);
            assertThat(aboutListen(logs, Level.WARNING)).as("still the one WARN:%n%s", logs.all()).hasSize(1);
            assertThat(aboutListen(logs, Level.INFO)).as("one INFO about the recovery:%n%s", logs.all()).hasSize(1);
            assertThat(failures("listen") - listenFailures).as("loket_failures_total{where=listen}").isEqualTo(1.0);
            assertThat(failures("signal") - signalFailures).as("no probe taken for an unreadable signal").isZero();
            assertThat(logs.loket(Level.WARNING, "could not be read")).isEmpty();
            assertThat(readiness()).isEqualTo(200);
        } finally {
            proxy.refuseNew(false);
            proxy.closeDropped();
        }
    }
}
