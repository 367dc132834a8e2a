package nl.loket;

import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;

/** REST steps the tests share: log in, create agents, start conversations (and connect a resident and an agent to one). */
public final class Api {

    public static final String ADMIN_PASSWORD = "test-admin-password";

    private Api() {
    }

    public static String login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/auth/token").then().statusCode(200).extract().path("accessToken");
    }

    public static String adminToken() {
        return login("admin", ADMIN_PASSWORD);
    }

    /** A new agent with a unique username; returns {id, token}. */
    public record Agent(String id, String username, String token) {
    }

    public static Agent agent(String displayName, List<String> topics, int maxConcurrent) {
        return user(displayName, List.of("agent"), topics, maxConcurrent);
    }

    public static Agent user(String displayName, List<String> roles, List<String> topics, int maxConcurrent) {
        String username = displayName.toLowerCase().replace(' ', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        String id = given().auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("username", username, "displayName", displayName, "password", "password-" + username,
                        "roles", roles, "topics", topics, "maxConcurrent", maxConcurrent))
                .post("/api/v1/admin/users").then().statusCode(201).extract().path("id");
        return new Agent(id, username, login(username, "password-" + username));
    }

    /** A conversation the resident has started; {id, token, ...}. */
    public static JsonObject start(String topic, String name) {
        String body = given().contentType(ContentType.JSON).body(name == null ? Map.of("topic", topic) : Map.of("topic", topic, "name", name))
                .post("/api/v1/conversations").then().statusCode(201).extract().asString();
        return new JsonObject(body);
    }

    /** The conversation as its resident reads it with their own token: {conversation:{state, closeReason, …}, messages}. */
    public static JsonObject transcript(JsonObject started) {
        return new JsonObject(given().auth().oauth2(started.getString("token")).accept(ContentType.JSON)
                .get("/api/v1/conversations/" + started.getString("id") + "/transcript")
                .then().statusCode(200).extract().asString());
    }

    /**
     * A resident in a conversation just started on the topic and a new agent of that topic, both
     * connected: the resident has had its first state frame, the agent its hello. Nothing is claimed.
     */
    public record Chat(Agent agent, JsonObject started, WsClient resident, WsClient console) {
        public String id() {
            return started.getString("id");
        }
    }

    /**
     * The set-up of many chat tests: see {@link Chat}; the resident's socket opens first (with no agent
     * online yet, so the resident may be offered a callback). The test closes the two sockets.
     */
    public static Chat chat(URI base, String topic, String agentName, int maxConcurrent, String residentName) {
        return chat(base, topic, agentName, maxConcurrent, residentName, false);
    }

    /** As {@link #chat}, but the agent's socket opens first: the resident arrives with an agent online. */
    public static Chat chatAgentFirst(URI base, String topic, String agentName, int maxConcurrent, String residentName) {
        return chat(base, topic, agentName, maxConcurrent, residentName, true);
    }

    private static Chat chat(URI base, String topic, String agentName, int maxConcurrent, String residentName, boolean agentFirst) {
        Agent agent = agent(agentName, List.of(topic), maxConcurrent);
        JsonObject started = start(topic, residentName);
        String residentPath = "/ws/resident/" + started.getString("id");
        WsClient first = agentFirst ? WsClient.connect(base, "/ws/agent", agent.token())
                : WsClient.connect(base, residentPath, started.getString("token"));
        WsClient second = null;
        try {
            second = agentFirst ? WsClient.connect(base, residentPath, started.getString("token"))
                    : WsClient.connect(base, "/ws/agent", agent.token());
            WsClient resident = agentFirst ? second : first;
            WsClient console = agentFirst ? first : second;
            // the first frames in the order the sockets opened, as the tests read them
            if (agentFirst) {
                console.next("hello");
                resident.next("state");
            } else {
                resident.next("state");
                console.next("hello");
            }
            return new Chat(agent, started, resident, console);
        } catch (RuntimeException | Error e) {
            first.close();
            if (second != null) {
                second.close();
            }
            throw e;
        }
    }

    public static JsonObject frame(String type, Object... keyValues) {
        JsonObject f = new JsonObject().put("type", type);
        for (int i = 0; i < keyValues.length; i += 2) {
            f.put((String) keyValues[i], keyValues[i + 1]);
        }
        return f;
    }
}
