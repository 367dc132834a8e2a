package nl.loket.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each node keeps the departments' board in memory (docs/departments.md); a notice set or ended
 * on one node reaches the other's board through the NOTIFY of its transaction, without a poll,
 * and the other node tells the agents connected to it ({@code departments_changed}).
 */
class DepartmentBoardIT extends ClusterHarness {

    @BeforeAll
    static void start() throws Exception {
        startTwoNodes("departments");
    }

    static JsonNode get(Node node, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(node.http(path)).timeout(Duration.ofSeconds(15)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s on node %s: %s", path, node.name, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** The kinds of the notices in force on the topic as residents read them on this node. */
    static List<String> residentKinds(Node node, String topic) throws Exception {
        for (JsonNode t : list(get(node, "/api/v1/topics", null))) {
            if (topic.equals(t.get("id").asText())) {
                return list(t.get("departmentNotices")).stream().map(n -> n.get("kind").asText()).toList();
            }
        }
        throw new AssertionError("no topic " + topic);
    }

    static List<String> boardKinds(Node node, String department, String token) throws Exception {
        for (JsonNode d : list(get(node, "/api/v1/departments", token))) {
            if (department.equals(d.get("id").asText())) {
                return list(d.get("notices")).stream().map(n -> n.get("kind").asText()).toList();
            }
        }
        return List.of("(no department " + department + ")");
    }

    static void await(String what, ThrowingSupplier<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within 5 s: " + what);
    }

    interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    @Test
    void aNoticeSetOnOneNodeIsOnTheOtherNodesBoardAtOnce() throws Exception {
        String topic = newTopic("dept");
        String id = "wijkbeheer-" + UUID.randomUUID().toString().substring(0, 6);
        // node b reads its board before the department exists: it has one loaded already
        assertThat(boardKinds(b, id, adminToken)).containsExactly("(no department " + id + ")");

        post(a, "/api/v1/departments", adminToken, Map.of("id", id, "name", "Wijkbeheer", "topics", List.of(topic)), 201);
        await("the department on node b", () -> boardKinds(b, id, adminToken).isEmpty());

        JsonNode notice = post(a, "/api/v1/departments/" + id + "/notices", adminToken,
                Map.of("kind", "unreachable", "agentText", "Storing telefooncentrale.", "residentText", "Wijkbeheer is even niet bereikbaar."), 201);
        long set = System.nanoTime();
        await("the notice on node b's board", () -> boardKinds(b, id, adminToken).equals(List.of("unreachable")));
        await("the notice on node b's topic list", () -> residentKinds(b, topic).equals(List.of("unreachable")));
        log("a notice set on node a was on node b's board after %d ms", millisSince(set));

        HttpResponse<String> ended = http.send(HttpRequest.newBuilder(a.http("/api/v1/departments/" + id + "/notices/" + notice.get("id").asText()))
                .header("Authorization", "Bearer " + adminToken).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ended.statusCode()).isEqualTo(204);
        await("the notice gone from node b", () -> boardKinds(b, id, adminToken).isEmpty() && residentKinds(b, topic).isEmpty());
    }

    /**
     * An agent whose console is connected to node b hears of a notice an administrator places and
     * ends through node a: node b passes the change it heard over NOTIFY on to its own agent
     * sockets. Without that the console learned of it only at its 5-minute safety read.
     */
    @Test
    void anAgentOnTheOtherNodeHearsOfANoticePlacedAndEnded() throws Exception {
        String topic = newTopic("dept-push");
        String id = "burgerzaken-" + UUID.randomUUID().toString().substring(0, 6);
        Agent bram = createAgent(a, "Bram", List.of(topic), 2);
        Ws console = Ws.connect(b, "/ws/agent", bram.token(), "departments-agent");
        console.next(type("hello"));

        post(a, "/api/v1/departments", adminToken, Map.of("id", id, "name", "Burgerzaken " + id, "topics", List.of(topic)), 201);
        // its type alone: the console reads the board itself
        assertThat(console.next(type("departments_changed")).fieldNames()).toIterable().containsExactly("type");
        await("the department on node b", () -> boardKinds(b, id, bram.token()).isEmpty());

        long placing = System.nanoTime();
        JsonNode notice = post(a, "/api/v1/departments/" + id + "/notices", adminToken,
                Map.of("kind", "appointment_only", "agentText", "Paspoort alleen op afspraak."), 201);
        Ws.Frame heard = console.nextFrame(type("departments_changed"), WAIT);
        // from the request on: node a NOTIFYs as it commits, so node b may hear it before a's answer arrives
        log("a notice placed through node a reached an agent on node b %d ms after the request", (heard.at() - placing) / 1_000_000);
        // the read the frame starts, on the node the agent is connected to, finds the notice
        assertThat(boardKinds(b, id, bram.token())).containsExactly("appointment_only");

        HttpResponse<String> ended = http.send(HttpRequest.newBuilder(a.http("/api/v1/departments/" + id + "/notices/" + notice.get("id").asText()))
                .header("Authorization", "Bearer " + adminToken).DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ended.statusCode()).isEqualTo(204);
        console.next(type("departments_changed"));
        assertThat(boardKinds(b, id, bram.token())).isEmpty();
    }
}
