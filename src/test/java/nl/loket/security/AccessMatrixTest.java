package nl.loket.security;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import nl.loket.platform.FailingEndpoints;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import static io.restassured.RestAssured.given;
import static nl.loket.security.AccessMatrixTest.Caller.ADMIN;
import static nl.loket.security.AccessMatrixTest.Caller.AGENT;
import static nl.loket.security.AccessMatrixTest.Caller.ANONYMOUS;
import static nl.loket.security.AccessMatrixTest.Caller.DEPARTMENT;
import static nl.loket.security.AccessMatrixTest.Caller.INTEGRATOR;
import static nl.loket.security.AccessMatrixTest.Caller.OTHER_RESIDENT;
import static nl.loket.security.AccessMatrixTest.Caller.RESIDENT;
import static nl.loket.security.AccessMatrixTest.Caller.SUPERVISOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may call what (docs/protocol.md §2 and each section): every REST operation of the running
 * service's OpenAPI document is called by every kind of caller, and the answer is held against
 * {@link #MATRIX}. A caller the matrix names must get through (any answer but 401 and 403); any
 * other is refused: 401 without a token, 403 with one. An operation the document has and the
 * matrix does not name fails the test, so a new endpoint cannot ship without a decision on who
 * may call it (privacy by default). The WebSockets, which the document does not list, follow.
 */
@QuarkusTest
class AccessMatrixTest {

    /** The callers; a supervisor is an agent too (§2). The agent and the supervisor serve the set-up's topic. */
    enum Caller {
        ANONYMOUS,
        /** The resident token of the conversation or callback request the path names (of a conversation when it names none). */
        RESIDENT,
        /** The resident token of another conversation. */
        OTHER_RESIDENT,
        AGENT, SUPERVISOR, ADMIN, INTEGRATOR,
        /** A department's own user, of the department the path names. */
        DEPARTMENT
    }

    private static final Set<Caller> ANYONE = EnumSet.allOf(Caller.class);
    private static final Set<Caller> STAFF = EnumSet.of(AGENT, SUPERVISOR, ADMIN, INTEGRATOR, DEPARTMENT);

    /** The contract: per operation, who gets through. Everyone else is refused. */
    private static final Map<String, Set<Caller>> MATRIX = matrix(
            // public: the widget, the login, the password change (§2, §3, §7)
            rule("GET    /api/v1/topics", ANYONE),
            rule("GET    /api/v1/settings", ANYONE),
            rule("POST   /api/v1/conversations", ANYONE),
            rule("POST   /api/v1/callbacks", ANYONE),
            rule("POST   /api/v1/auth/token", ANYONE),
            rule("POST   /api/v1/auth/password", ANYONE),
            rule("POST   /api/v1/auth/logout", STAFF),
            // the resident's own (§3), and staff's reads of conversations (§8, §11)
            rule("POST   /api/v1/conversations/{id}/rating", EnumSet.of(RESIDENT)),
            rule("GET    /api/v1/conversations", EnumSet.of(AGENT, SUPERVISOR, INTEGRATOR)),
            rule("GET    /api/v1/conversations/{id}", EnumSet.of(RESIDENT, AGENT, SUPERVISOR, INTEGRATOR)),
            rule("GET    /api/v1/conversations/{id}/transcript", EnumSet.of(RESIDENT, AGENT, SUPERVISOR, ADMIN, INTEGRATOR)),
            rule("GET    /api/v1/conversations/{id}/transcript.txt", EnumSet.of(RESIDENT, AGENT, SUPERVISOR, ADMIN, INTEGRATOR)),
            rule("GET    /api/v1/conversations/{id}/klantcontact", EnumSet.of(AGENT, SUPERVISOR, INTEGRATOR)),
            rule("GET    /api/v1/conversations/search", EnumSet.of(SUPERVISOR, ADMIN)),
            // agents (§5)
            rule("GET    /api/v1/queue", EnumSet.of(AGENT, SUPERVISOR)),
            rule("GET    /api/v1/agents", EnumSet.of(AGENT, SUPERVISOR)),
            rule("GET    /api/v1/canned-replies", EnumSet.of(AGENT, SUPERVISOR)),
            // callbacks (§7)
            rule("GET    /api/v1/callbacks", EnumSet.of(AGENT, SUPERVISOR, INTEGRATOR)),
            rule("GET    /api/v1/callbacks/{id}", EnumSet.of(RESIDENT, AGENT, SUPERVISOR, INTEGRATOR)),
            rule("DELETE /api/v1/callbacks/{id}", EnumSet.of(RESIDENT, AGENT, SUPERVISOR, INTEGRATOR)),
            rule("POST   /api/v1/callbacks/{id}/claim", EnumSet.of(AGENT, SUPERVISOR)),
            rule("POST   /api/v1/callbacks/{id}/release", EnumSet.of(AGENT, SUPERVISOR)),
            rule("POST   /api/v1/callbacks/{id}/attempts", EnumSet.of(AGENT, SUPERVISOR)),
            // supervisors and administrators (§11)
            rule("GET    /api/v1/capacity", EnumSet.of(SUPERVISOR, ADMIN, INTEGRATOR)),
            rule("GET    /api/v1/capacity/{topic}", EnumSet.of(SUPERVISOR, ADMIN, INTEGRATOR)),
            rule("PUT    /api/v1/capacity/{topic}", EnumSet.of(SUPERVISOR, INTEGRATOR)),
            rule("GET    /api/v1/stats", EnumSet.of(SUPERVISOR)),
            rule("GET    /api/v1/stats/hourly", EnumSet.of(SUPERVISOR)),
            rule("GET    /api/v1/ratings", EnumSet.of(SUPERVISOR, ADMIN)),
            rule("GET    /api/v1/admin/topics", EnumSet.of(ADMIN)),
            rule("POST   /api/v1/admin/topics", EnumSet.of(ADMIN)),
            rule("PUT    /api/v1/admin/topics/{id}", EnumSet.of(ADMIN)),
            rule("GET    /api/v1/admin/users", EnumSet.of(ADMIN)),
            rule("POST   /api/v1/admin/users", EnumSet.of(ADMIN)),
            rule("GET    /api/v1/admin/users/{id}", EnumSet.of(ADMIN)),
            rule("PUT    /api/v1/admin/users/{id}", EnumSet.of(ADMIN)),
            rule("POST   /api/v1/admin/users/{id}/reset-password", EnumSet.of(ADMIN)),
            rule("GET    /api/v1/admin/canned-replies", EnumSet.of(ADMIN)),
            rule("POST   /api/v1/admin/canned-replies", EnumSet.of(ADMIN)),
            rule("PUT    /api/v1/admin/canned-replies/{id}", EnumSet.of(ADMIN)),
            rule("DELETE /api/v1/admin/canned-replies/{id}", EnumSet.of(ADMIN)),
            rule("GET    /api/v1/admin/audit", EnumSet.of(ADMIN)),
            rule("GET    /api/v1/admin/webhooks", EnumSet.of(ADMIN)),
            rule("DELETE /api/v1/admin/conversations/{id}/personal-data", EnumSet.of(ADMIN)),
            rule("POST   /api/v1/admin/callbacks/forget", EnumSet.of(ADMIN)),
            rule("DELETE /api/v1/admin/callbacks", EnumSet.of(ADMIN)),
            // departments (docs/departments.md)
            rule("GET    /api/v1/departments", STAFF),
            rule("POST   /api/v1/departments", EnumSet.of(ADMIN)),
            rule("GET    /api/v1/departments/{id}", STAFF),
            rule("PUT    /api/v1/departments/{id}", EnumSet.of(ADMIN)),
            rule("GET    /api/v1/departments/{id}/notices", STAFF),
            rule("POST   /api/v1/departments/{id}/notices", EnumSet.of(SUPERVISOR, ADMIN, DEPARTMENT)),
            rule("DELETE /api/v1/departments/{id}/notices/{noticeId}", EnumSet.of(SUPERVISOR, ADMIN, DEPARTMENT)));

    /**
     * Served only in the tests, by {@link FailingEndpoints} (src/test): not part of the product, and not
     * called here (they fail on purpose, each in its own way).
     */
    private static final String TEST_ONLY = "/api/v1/test-failures/";

    /**
     * Operations that change what they are called on: each call gets a conversation, a callback request (and a staff login) of
     * its own, so it takes nothing from the other calls.
     */
    private static final Set<String> THROWAWAY = Set.of(
            "POST /api/v1/auth/logout",
            "DELETE /api/v1/callbacks/{id}",
            "POST /api/v1/callbacks/{id}/claim",
            "POST /api/v1/callbacks/{id}/release",
            "DELETE /api/v1/admin/conversations/{id}/personal-data");

    /** Bodies other than {@code {}} (which every validated body refuses with a 400, changing nothing). */
    private static final Map<String, String> BODIES = Map.of(
            // a valid rating, refused with 409 while the conversation is open: the owner gets past the check of the token
            "POST /api/v1/conversations/{id}/rating", "{\"score\":5}");

    @TestHTTPResource("/")
    URI base;

    @TestHTTPResource(value = "/openapi", management = true)
    URL openapi;

    @Inject
    Db db;

    /** The users of the set-up: staff of its topic, and a department's own user. */
    private record Staff(Api.Agent agent, Api.Agent supervisor, Api.Agent integrator, Api.Agent department) {
    }

    /** The objects a path names: a conversation and a callback request with their residents' tokens. */
    private record Targets(String conversation, String conversationToken, String callback, String callbackToken) {
    }

    private String topic;
    private String departmentId;
    private Staff staff;
    private Targets shared;
    private String otherResidentToken;
    private String adminToken;

    @Test
    void everyOperationAnswersOnlyTheCallersTheMatrixNames() {
        // operation → the media types its answers come in: one method of a resource per type may answer (the text transcript)
        Map<String, Set<String>> operations = operations();
        assertThat(FailingEndpoints.class.getProtectionDomain().getCodeSource().getLocation().toString())
                .as("the operations left out as test-only are served from the test classes").contains("test-classes");
        operations.keySet().removeIf(op -> op.substring(op.indexOf(' ') + 1).startsWith(TEST_ONLY));
        assertThat(new TreeSet<>(MATRIX.keySet())).as("operations the matrix names that the service does not have (a stale line)")
                .isSubsetOf(operations.keySet());
        List<String> unnamed = operations.keySet().stream().filter(op -> !MATRIX.containsKey(op)).toList();
        assertThat(unnamed).as("new endpoint: add it to the matrix of AccessMatrixTest with who may call it").isEmpty();

        setUp();
        List<String> wrong = new ArrayList<>();
        operations.forEach((operation, accepts) -> {
            Set<Caller> allowed = MATRIX.get(operation);
            for (String accept : accepts) {
                for (Caller caller : Caller.values()) {
                    int status = call(operation, accept, caller);
                    boolean through = status != 401 && status != 403;
                    int refusal = caller == ANONYMOUS ? 401 : 403;
                    if (allowed.contains(caller) ? !through : status != refusal) {
                        wrong.add(operation + " (Accept " + accept + ") as " + caller + ": " + status + ", expected "
                                + (allowed.contains(caller) ? "to get through" : String.valueOf(refusal)));
                    }
                }
            }
        });
        assertThat(wrong).as("answers that break the matrix").isEmpty();
    }

    @Test
    void theAgentSocketOpensForAgentsOnly() {
        setUp();
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", null, null)).isEqualTo(401);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", shared.conversationToken(), null)).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", shared.callbackToken(), null)).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", staff.agent().token(), null)).isEqualTo(101);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", staff.supervisor().token(), null)).isEqualTo(101);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", Api.adminToken(), null)).as("an admin is no agent").isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", staff.integrator().token(), null)).isEqualTo(403);
        assertThat(WsClient.upgradeStatus(base, "/ws/agent", staff.department().token(), null)).isEqualTo(403);
    }

    @Test
    void theResidentSocketOpensForItsOwnResidentOnly() {
        setUp();
        String path = "/ws/resident/" + shared.conversation();
        assertThat(WsClient.upgradeStatus(base, path, null, null)).isEqualTo(401);
        assertThat(WsClient.upgradeStatus(base, path, otherResidentToken, null)).as("another conversation's token").isEqualTo(403);
        for (String token : List.of(staff.agent().token(), staff.supervisor().token(), Api.adminToken(), staff.integrator().token(),
                staff.department().token())) {
            assertThat(WsClient.upgradeStatus(base, path, token, null)).as("a staff token").isEqualTo(403);
        }
        assertThat(WsClient.upgradeStatus(base, path, shared.conversationToken(), null)).isEqualTo(101);
    }

    /** The operations of the OpenAPI document ("METHOD /path"), each with the media types of its successful answers. */
    private Map<String, Set<String>> operations() {
        JsonObject paths = new JsonObject(given().accept("application/json").get(openapi).then().statusCode(200).extract().asString())
                .getJsonObject("paths");
        Map<String, Set<String>> operations = new TreeMap<>();
        Set<String> methods = Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");
        for (String path : paths.fieldNames()) {
            for (String method : paths.getJsonObject(path).fieldNames()) {
                if (!methods.contains(method)) {
                    continue;
                }
                Set<String> accepts = new TreeSet<>();
                JsonObject responses = paths.getJsonObject(path).getJsonObject(method).getJsonObject("responses", new JsonObject());
                for (String code : responses.fieldNames()) {
                    JsonObject content = responses.getJsonObject(code).getJsonObject("content");
                    if (code.startsWith("2") && content != null) {
                        accepts.addAll(content.fieldNames());
                    }
                }
                operations.put(method.toUpperCase() + " " + path, accepts.isEmpty() ? Set.of("*/*") : accepts);
            }
        }
        assertThat(operations).as("the OpenAPI document lists the REST operations").isNotEmpty();
        return operations;
    }

    private void setUp() {
        topic = TestTopics.create(db);
        String admin = adminToken = Api.adminToken();
        departmentId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", "Matrix " + UUID.randomUUID().toString().substring(0, 6), "topics", List.of(topic)))
                .post("/api/v1/departments").then().statusCode(201).extract().path("id");
        String departmentUser = "dep-" + UUID.randomUUID().toString().substring(0, 8);
        String departmentUserId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", departmentUser, "displayName", "Balie", "password", "password-" + departmentUser,
                        "roles", List.of("department"), "topics", List.of(), "department", departmentId))
                .post("/api/v1/admin/users").then().statusCode(201).extract().path("id");
        staff = new Staff(Api.agent("Anne", List.of(topic), 3), Api.user("Sanne", List.of("supervisor"), List.of(topic), 3),
                Api.user("Ivo", List.of("integrator"), List.of(), 1),
                new Api.Agent(departmentUserId, departmentUser, Api.login(departmentUser, "password-" + departmentUser)));
        shared = targets();
        otherResidentToken = Api.start(topic, null).getString("token");
    }

    /** A conversation just started and a callback request just made, on the set-up's topic. */
    private Targets targets() {
        JsonObject conversation = Api.start(topic, null);
        JsonObject callback = new JsonObject(given().contentType(ContentType.JSON)
                .body(Map.of("topic", topic, "phone", "061" + (1_000_000 + ThreadLocalRandom.current().nextInt(9_000_000))))
                .post("/api/v1/callbacks").then().statusCode(201).extract().asString());
        return new Targets(conversation.getString("id"), conversation.getString("token"), callback.getString("id"),
                callback.getString("token"));
    }

    /** Calls the operation ("METHOD /path/{param}") as the caller; the status it answered. */
    private int call(String operation, String accept, Caller caller) {
        String method = operation.substring(0, operation.indexOf(' '));
        String template = operation.substring(operation.indexOf(' ') + 1);
        boolean throwaway = THROWAWAY.contains(operation);
        Targets targets = throwaway ? targets() : shared;
        if (operation.equals("POST /api/v1/callbacks/{id}/release")) {
            // a request the agent holds: theirs to give back, and a supervisor's for anyone's
            given().auth().oauth2(staff.agent().token()).post("/api/v1/callbacks/" + targets.callback() + "/claim").then().statusCode(200);
        }
        String path = fill(template, targets);
        RequestSpecification request = given().accept(accept);
        String token = token(caller, template, targets, throwaway);
        if (token != null) {
            request.auth().oauth2(token);
        }
        if (method.equals("POST") || method.equals("PUT")) {
            request.contentType(ContentType.JSON).body(BODIES.getOrDefault(operation, "{}"));
        }
        return request.request(method, path).statusCode();
    }

    private String fill(String template, Targets targets) {
        // the objects of the set-up, by the path's start
        Map<String, String> values = Map.of(
                "/api/v1/conversations/{id}", targets.conversation(),
                "/api/v1/admin/conversations/{id}", targets.conversation(),
                "/api/v1/callbacks/{id}", targets.callback(),
                "/api/v1/admin/users/{id}", staff.agent().id(),
                "/api/v1/departments/{id}", departmentId,
                "/api/v1/capacity/{topic}", topic,
                "/api/v1/admin/topics/{id}", topic);
        String path = template;
        for (var entry : values.entrySet()) {
            String start = entry.getKey();
            if (path.startsWith(start)) {
                path = start.substring(0, start.lastIndexOf('{')) + entry.getValue() + path.substring(start.length());
            }
        }
        // any other parameter (a canned reply, a notice): an id nobody has, where a 404 is fine
        return path.replaceAll("\\{[^}]+}", UUID.randomUUID().toString());
    }

    private String token(Caller caller, String template, Targets targets, boolean throwaway) {
        boolean callbackPath = template.startsWith("/api/v1/callbacks/{id}");
        return switch (caller) {
            case ANONYMOUS -> null;
            case RESIDENT -> callbackPath ? targets.callbackToken() : targets.conversationToken();
            case OTHER_RESIDENT -> otherResidentToken;
            case AGENT -> throwaway ? fresh(staff.agent()) : staff.agent().token();
            case SUPERVISOR -> throwaway ? fresh(staff.supervisor()) : staff.supervisor().token();
            case ADMIN -> throwaway ? Api.adminToken() : adminToken;
            case INTEGRATOR -> throwaway ? fresh(staff.integrator()) : staff.integrator().token();
            case DEPARTMENT -> throwaway ? fresh(staff.department()) : staff.department().token();
        };
    }

    /** A login of its own, for a call that may end it (the logout). */
    private static String fresh(Api.Agent user) {
        return Api.login(user.username(), "password-" + user.username());
    }

    private static Map.Entry<String, Set<Caller>> rule(String operation, Set<Caller> allowed) {
        return Map.entry(operation.replaceAll("\\s+", " "), allowed);
    }

    @SafeVarargs
    private static Map<String, Set<Caller>> matrix(Map.Entry<String, Set<Caller>>... rules) {
        Map<String, Set<Caller>> matrix = new LinkedHashMap<>();
        for (var rule : rules) {
            assertThat(matrix.put(rule.getKey(), rule.getValue())).as("one line per operation: " + rule.getKey()).isNull();
        }
        return matrix;
    }
}
