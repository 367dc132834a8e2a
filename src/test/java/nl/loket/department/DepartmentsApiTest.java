package nl.loket.department;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.platform.Db;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/** The departments' reachability board (docs/departments.md): who may write what, what each reader sees. */
@QuarkusTest
class DepartmentsApiTest {

    @Inject
    Db db;

    /** A department of its own for each test, behind a fresh topic; returns {id, name, topic}. */
    private record Dept(String id, String name, String topic) {
    }

    private static Dept department(String admin) {
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String topic = TestTopics.create();
        String name = "Burgerzaken " + suffix;
        String id = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("name", name, "contactRoutes", List.of(Map.of("kind", "phone", "label", "Telefonisch", "value", "14 020")),
                        "topics", List.of(topic)))
                .post("/api/v1/departments").then().statusCode(201)
                .body("name", equalTo(name)).body("topics", equalTo(List.of(topic))).body("notices", equalTo(List.of()))
                .body("contactRoutes[0].value", equalTo("14 020"))
                .extract().path("id");
        assertThat(id).isEqualTo("burgerzaken-" + suffix); // made from the name
        return new Dept(id, name, topic);
    }

    /** A user with the role department for this department, logged in. */
    private static String departmentUser(String admin, String departmentId) {
        String username = "dep-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("username", username, "displayName", "Balie", "password", "password-" + username,
                        "roles", List.of("department"), "topics", List.of(), "department", departmentId))
                .post("/api/v1/admin/users").then().statusCode(201).body("department", equalTo(departmentId));
        return Api.login(username, "password-" + username);
    }

    private static Map<String, Object> notice(String kind, String agentText, Object... more) {
        Map<String, Object> body = new HashMap<>(Map.of("kind", kind, "agentText", agentText));
        for (int i = 0; i < more.length; i += 2) {
            body.put((String) more[i], more[i + 1]);
        }
        return body;
    }

    private static JsonPath departments(String token) {
        return given().auth().oauth2(token).get("/api/v1/departments").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath topics(String lang) {
        return given().get("/api/v1/topics?lang=" + lang).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aDepartmentWritesItsOwnNoticesOnlyAndEveryStaffMemberReadsThem() {
        String admin = Api.adminToken();
        Dept burgerzaken = department(admin);
        Dept belastingen = department(admin);
        String dora = departmentUser(admin, burgerzaken.id());
        String agent = Api.agent("Anne", List.of(burgerzaken.topic()), 3).token();
        String supervisor = Api.user("Sara", List.of("supervisor"), List.of(burgerzaken.topic()), 3).token();

        // the department's token names its department
        String claims = new String(Base64.getUrlDecoder().decode(dora.split("\\.")[1]));
        assertThat(claims).contains("\"department\":\"" + burgerzaken.id() + "\"").contains("\"department\"]");

        String id = given().auth().oauth2(dora).contentType(ContentType.JSON)
                .body(notice("appointment_only", "Paspoort alleen op afspraak.", "residentText", "Voor een paspoort komt u alleen op afspraak."))
                .post("/api/v1/departments/" + burgerzaken.id() + "/notices").then().statusCode(201)
                .body("kind", equalTo("appointment_only")).body("departmentId", equalTo(burgerzaken.id()))
                .body("setBy", equalTo(claims.replaceAll(".*\"upn\":\"([^\"]+)\".*", "$1")))
                .body("endedAt", equalTo(null)).body("until", equalTo(null))
                .extract().path("id");
        // not another department's
        given().auth().oauth2(dora).contentType(ContentType.JSON).body(notice("reduced", "x"))
                .post("/api/v1/departments/" + belastingen.id() + "/notices").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("/problems/forbidden"));
        // agents read but do not write; nobody but an admin keeps departments
        given().auth().oauth2(agent).contentType(ContentType.JSON).body(notice("reduced", "x"))
                .post("/api/v1/departments/" + burgerzaken.id() + "/notices").then().statusCode(403);
        given().auth().oauth2(agent).delete("/api/v1/departments/" + burgerzaken.id() + "/notices/" + id).then().statusCode(403);
        given().auth().oauth2(supervisor).contentType(ContentType.JSON).body(Map.of("name", "Vergunningen"))
                .post("/api/v1/departments").then().statusCode(403);
        given().auth().oauth2(dora).contentType(ContentType.JSON).body(Map.of("name", "Eigen naam"))
                .put("/api/v1/departments/" + burgerzaken.id()).then().statusCode(403);
        given().get("/api/v1/departments").then().statusCode(401);
        // a supervisor writes for every department
        given().auth().oauth2(supervisor).contentType(ContentType.JSON).body(notice("unreachable", "Telefonisch niet bereikbaar."))
                .post("/api/v1/departments/" + belastingen.id() + "/notices").then().statusCode(201);
        // unknown department: 404 before anything else
        given().auth().oauth2(dora).contentType(ContentType.JSON).body(notice("reduced", "x"))
                .post("/api/v1/departments/bestaat-niet/notices").then().statusCode(404);

        // every staff member reads the board, the department's own people and the agent alike
        for (String reader : List.of(agent, dora, supervisor, admin)) {
            JsonPath board = departments(reader);
            assertThat(board.getList("find { it.id == '" + burgerzaken.id() + "' }.notices.agentText"))
                    .containsExactly("Paspoort alleen op afspraak.");
            assertThat(board.getList("find { it.id == '" + belastingen.id() + "' }.notices.kind")).containsExactly("unreachable");
        }
        given().auth().oauth2(agent).get("/api/v1/departments/" + burgerzaken.id()).then().statusCode(200)
                .body("contactRoutes[0].label", equalTo("Telefonisch")).body("notices[0].id", equalTo(id));

        // the department ends its notice: gone from the board at once
        given().auth().oauth2(dora).delete("/api/v1/departments/" + burgerzaken.id() + "/notices/" + id).then().statusCode(204);
        assertThat(departments(agent).getList("find { it.id == '" + burgerzaken.id() + "' }.notices")).isEmpty();
    }

    @Test
    void badInputIsAnsweredWithFieldErrors() {
        String admin = Api.adminToken();
        Dept d = department(admin);
        String path = "/api/v1/departments/" + d.id() + "/notices";
        Instant from = Instant.now().plus(1, ChronoUnit.DAYS);

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(notice("closed", " ", "from", from.toString(), "until", from.minusSeconds(60).toString()))
                .post(path).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("kind", "agentText", "until"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(notice("reduced", "x", "until", Instant.now().minusSeconds(60).toString()))
                .post(path).then().statusCode(400).body("errors.field", equalTo(List.of("until")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(notice("reduced", "x", "from", "morgen"))
                .post(path).then().statusCode(400).body("errors.field", hasItem("from"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(notice("reduced", "x", "residentText", "r".repeat(501)))
                .post(path).then().statusCode(400).body("errors.field", equalTo(List.of("residentText")));

        // departments: unknown topic, missing name, a route without value, a taken or malformed id
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", "Vergunningen!", "name", "", "contactRoutes", List.of(Map.of("kind", "web", "label", "Website", "value", "javascript:alert(1)"),
                        Map.of("kind", "phone", "label", "Telefoon", "value", "")), "topics", List.of("bestaat-niet")))
                .post("/api/v1/departments").then().statusCode(400)
                .body("errors.field", hasItems("name", "contactRoutes[0]", "contactRoutes[1]", "topics"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("id", "a b", "name", "Vergunningen"))
                .post("/api/v1/departments").then().statusCode(400).body("errors.field", equalTo(List.of("id")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("id", d.id(), "name", "Nog een keer"))
                .post("/api/v1/departments").then().statusCode(400).body("errors.field", equalTo(List.of("id")))
                .body("errors[0].message", equalTo("bestaat al / already exists"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "X", "topics", List.of("bestaat-niet")))
                .put("/api/v1/departments/" + d.id()).then().statusCode(400).body("errors.field", equalTo(List.of("topics")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "X"))
                .put("/api/v1/departments/bestaat-niet").then().statusCode(404);

        // a user: an unknown department, or the role without one
        String username = "dep-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> user = new HashMap<>(Map.of("username", username, "displayName", "Balie", "password", "password-" + username,
                "roles", List.of("department"), "topics", List.of(), "department", "bestaat-niet"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(user).post("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", equalTo(List.of("department")));
        user.remove("department");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(user).post("/api/v1/admin/users").then().statusCode(400)
                .body("errors.field", equalTo(List.of("department")));
        user.put("department", d.id());
        String userId = given().auth().oauth2(admin).contentType(ContentType.JSON).body(user).post("/api/v1/admin/users")
                .then().statusCode(201).extract().path("id");
        user.put("department", "bestaat-niet");
        user.remove("password");
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(user).put("/api/v1/admin/users/" + userId).then().statusCode(400)
                .body("errors.field", equalTo(List.of("department")));
        given().auth().oauth2(admin).get("/api/v1/admin/users/" + userId).then().statusCode(200).body("department", equalTo(d.id()));
    }

    @Test
    void twoDepartmentsCannotShareANameNeitherOnCreateNorOnRename() {
        String admin = Api.adminToken();
        Dept taken = department(admin);
        Dept other = department(admin);
        // another case and spaces around it are the same name to a reader
        String same = "  " + taken.name().toUpperCase() + " ";

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", "dubbel-" + UUID.randomUUID().toString().substring(0, 6), "name", same))
                .post("/api/v1/departments").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/department-name-taken"))
                .body("detail", equalTo("Er is al een afdeling met deze naam. / A department with this name already exists."))
                .body("errors.field", equalTo(List.of("name")));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", same))
                .put("/api/v1/departments/" + other.id()).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/department-name-taken")).body("errors.field", equalTo(List.of("name")));
        assertThat(departments(admin).getString("find { it.id == '" + other.id() + "' }.name")).isEqualTo(other.name());
        assertThat(departments(admin).getList("findAll { it.name.equalsIgnoreCase('" + taken.name() + "') }.id"))
                .containsExactly(taken.id());

        // a department keeps its own name, also in another case; a free name is free
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", taken.name().toLowerCase(), "topics", List.of(taken.topic())))
                .put("/api/v1/departments/" + taken.id()).then().statusCode(200).body("name", equalTo(taken.name().toLowerCase()));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", other.name() + " Noord", "topics", List.of(other.topic())))
                .put("/api/v1/departments/" + other.id()).then().statusCode(200);
        // its old name is free again
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", "weer-" + UUID.randomUUID().toString().substring(0, 6), "name", other.name()))
                .post("/api/v1/departments").then().statusCode(201);
    }

    /**
     * Two departments stored before names were unique may share a name: they are neither found
     * nor merged, but each is marked with the other's id so an administrator renames one. Renaming
     * one to a free name clears the mark on both.
     */
    @Test
    void departmentsStoredWithOneNameBeforeTheCheckAreMarkedUntilOneIsRenamed() {
        String admin = Api.adminToken();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String first = "wijkbeheer-" + suffix;
        String second = "wijkbeheer-oud-" + suffix;
        String name = "Wijkbeheer " + suffix;
        // stored as before the check: straight into the table, past the API
        db.query("insert into department (id, name) values ($1, $2), ($3, $4)", Tuple.of(first, name, second, " " + name.toUpperCase()))
                .await().atMost(Duration.ofSeconds(5));
        Dept unrelated = department(admin); // a write: the board is read again

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonPath board = departments(admin);
            assertThat(board.getList("find { it.id == '" + first + "' }.nameSharedWith")).containsExactly(second);
            assertThat(board.getList("find { it.id == '" + second + "' }.nameSharedWith")).containsExactly(first);
            assertThat(board.getList("find { it.id == '" + unrelated.id() + "' }.nameSharedWith")).isEmpty();
        });
        given().auth().oauth2(admin).get("/api/v1/departments/" + first).then().statusCode(200)
                .body("nameSharedWith", equalTo(List.of(second)));

        // keeping its own name is no rename; the mark stays
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", name))
                .put("/api/v1/departments/" + first).then().statusCode(200).body("nameSharedWith", equalTo(List.of(second)));
        // the other's name is taken, a free one is not
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", name + " "))
                .put("/api/v1/departments/" + second).then().statusCode(200).body("nameSharedWith", equalTo(List.of(first)));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", "Wijkbeheer Noord " + suffix))
                .put("/api/v1/departments/" + second).then().statusCode(200)
                .body("name", equalTo("Wijkbeheer Noord " + suffix)).body("nameSharedWith", equalTo(List.of()));
        JsonPath board = departments(admin);
        assertThat(board.getList("find { it.id == '" + first + "' }.nameSharedWith")).isEmpty();
        assertThat(board.getString("find { it.id == '" + first + "' }.name")).isEqualTo(name);
    }

    /**
     * The check on create and rename and the mark on the board share one definition of "the
     * same name": whatever the check refuses as a clash, the mark shows on a pair stored before
     * the check, and nothing else. An em space (U+2003) around a name is white space the API
     * strips from a name it is sent, so a department stored with one is taken by that name.
     */
    @Test
    void theMarkShowsAPairExactlyWhenTheCheckRefusesTheName() {
        String admin = Api.adminToken();
        String suffix = UUID.randomUUID().toString().substring(0, 6);
        String name = "Stadsdeel " + suffix;
        String stored = "stadsdeel-" + suffix;
        db.query("insert into department (id, name) values ($1, $2)", Tuple.of(stored, name + "\u2003"))
                .await().atMost(Duration.ofSeconds(5));

        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("id", "stadsdeel-nieuw-" + suffix, "name", name))
                .post("/api/v1/departments").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("/problems/department-name-taken")).body("errors.field", equalTo(List.of("name")));
        Dept other = department(admin);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", name.toLowerCase()))
                .put("/api/v1/departments/" + other.id()).then().statusCode(409)
                .body("type", equalTo("/problems/department-name-taken"));

        // so the same name stored beside it before the check makes a pair, marked on both
        String storedToo = "stadsdeel-oud-" + suffix;
        db.query("insert into department (id, name) values ($1, $2)", Tuple.of(storedToo, name.toUpperCase()))
                .await().atMost(Duration.ofSeconds(5));
        // letters outside ASCII: whether 'É' and 'é' are one name is the database's to say (its
        // LC_CTYPE); whichever it says, the mark says the same
        String accented = "emigratie-" + suffix;
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("id", accented, "name", "Émigratie " + suffix))
                .post("/api/v1/departments").then().statusCode(201);
        String accentedToo = "emigratie-klein-" + suffix;
        int answer = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(Map.of("id", accentedToo, "name", "émigratie " + suffix))
                .post("/api/v1/departments").then().extract().statusCode();
        assertThat(answer).isIn(201, 409);
        boolean clash = answer == 409;
        if (clash) {
            db.query("insert into department (id, name) values ($1, $2)", Tuple.of(accentedToo, "émigratie " + suffix))
                    .await().atMost(Duration.ofSeconds(5));
        }
        // a write: the board is read again
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", other.name(), "topics", List.of(other.topic())))
                .put("/api/v1/departments/" + other.id()).then().statusCode(200);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonPath board = departments(admin);
            assertThat(board.getList("find { it.id == '" + stored + "' }.nameSharedWith")).containsExactly(storedToo);
            assertThat(board.getList("find { it.id == '" + storedToo + "' }.nameSharedWith")).containsExactly(stored);
            assertThat(board.getList("find { it.id == '" + other.id() + "' }.nameSharedWith")).isEmpty();
            assertThat(board.getList("find { it.id == '" + accented + "' }.nameSharedWith"))
                    .isEqualTo(clash ? List.of(accentedToo) : List.of());
            assertThat(board.getList("find { it.id == '" + accentedToo + "' }.nameSharedWith"))
                    .isEqualTo(clash ? List.of(accented) : List.of());
        });
        // keeping its own name stays allowed for either of the stored pair
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", name))
                .put("/api/v1/departments/" + stored).then().statusCode(200).body("nameSharedWith", equalTo(List.of(storedToo)));
    }

    @Test
    void twoCreatesOfOneNameAtTheSameMomentMakeOneDepartment() throws Exception {
        String admin = Api.adminToken();
        String name = "Gelijktijdig " + UUID.randomUUID().toString().substring(0, 6);
        int creates = 4;
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(creates);
        try {
            List<java.util.concurrent.Future<Integer>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < creates; i++) {
                String id = "gelijk-" + i + "-" + UUID.randomUUID().toString().substring(0, 6);
                answers.add(pool.submit(() -> {
                    start.await();
                    return given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("id", id, "name", name))
                            .post("/api/v1/departments").then().extract().statusCode();
                }));
            }
            start.countDown();
            List<Integer> statuses = new java.util.ArrayList<>();
            for (java.util.concurrent.Future<Integer> answer : answers) {
                statuses.add(answer.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertThat(statuses).containsExactlyInAnyOrder(201, 409, 409, 409);
        } finally {
            pool.shutdownNow();
        }
        Integer stored = db.query("select count(*)::int as n from department where name = $1", Tuple.of(name))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getInteger("n");
        assertThat(stored).isEqualTo(1);
    }

    @Test
    void historyKeepsWhoSetWhatWhenAndNothingIsOverwritten() {
        String admin = Api.adminToken();
        Dept d = department(admin);
        String dora = departmentUser(admin, d.id());
        String supervisor = Api.user("Sara", List.of("supervisor"), List.of(d.topic()), 3).token();
        String path = "/api/v1/departments/" + d.id() + "/notices";

        String first = given().auth().oauth2(dora).contentType(ContentType.JSON).body(notice("reduced", "Beperkt bereikbaar door ziekte."))
                .post(path).then().statusCode(201).extract().path("id");
        String later = given().auth().oauth2(supervisor).contentType(ContentType.JSON)
                .body(notice("appointment_only", "Vanaf morgen op afspraak.", "from", Instant.now().plus(1, ChronoUnit.DAYS).toString()))
                .post(path).then().statusCode(201).extract().path("id");
        // a new notice does not replace the first: both stand
        assertThat(given().auth().oauth2(dora).get(path).then().statusCode(200).extract().jsonPath().getList("id"))
                .containsExactly(first, later);
        // the scheduled one is not in force yet
        assertThat(departments(dora).getList("find { it.id == '" + d.id() + "' }.notices.id")).containsExactly(first);

        given().auth().oauth2(supervisor).delete(path + "/" + first).then().statusCode(204);
        String endedAt = given().auth().oauth2(dora).get(path + "?all=true").then().statusCode(200)
                .body("id", equalTo(List.of(later, first))) // newest first
                .body("find { it.id == '" + first + "' }.agentText", equalTo("Beperkt bereikbaar door ziekte."))
                .body("find { it.id == '" + first + "' }.endedBy", not(equalTo(null)))
                .body("find { it.id == '" + later + "' }.endedAt", equalTo(null))
                .extract().path("find { it.id == '" + first + "' }.endedAt");
        assertThat(given().auth().oauth2(dora).get(path).then().extract().jsonPath().getList("id")).containsExactly(later);
        // ending it again changes nothing: who ended it, and when, stays
        given().auth().oauth2(dora).delete(path + "/" + first).then().statusCode(204);
        given().auth().oauth2(dora).get(path + "?all=true").then()
                .body("find { it.id == '" + first + "' }.endedAt", equalTo(endedAt));
        given().auth().oauth2(dora).delete(path + "/" + UUID.randomUUID()).then().statusCode(404);

        // the table itself refuses to lose history, whoever asks
        UUID firstId = UUID.fromString(first);
        assertThatThrownBy(() -> db.query("delete from department_notice where id = $1", Tuple.of(firstId))
                .await().atMost(Duration.ofSeconds(5))).hasMessageContaining("history");
        assertThatThrownBy(() -> db.query("update department_notice set agent_text = 'anders' where id = $1", Tuple.of(UUID.fromString(later)))
                .await().atMost(Duration.ofSeconds(5))).hasMessageContaining("never changed in place");
        assertThatThrownBy(() -> db.query("update department_notice set ended_at = now(), ended_by = 'x' where id = $1", Tuple.of(firstId))
                .await().atMost(Duration.ofSeconds(5))).hasMessageContaining("has ended");
    }

    @Test
    void residentsSeeNoticesWithAResidentTextOnTheLinkedTopicsInTheirLanguage() {
        String admin = Api.adminToken();
        Dept d = department(admin);
        String other = TestTopics.create();
        String path = "/api/v1/departments/" + d.id() + "/notices";
        Instant until = Instant.now().plus(3, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(notice("appointment_only", "Alleen op afspraak; verwijs naar de website.", "until", until.toString(),
                        "residentText", "Maak een afspraak via de website.", "residentTextEn", "Book an appointment on the website."))
                .post(path).then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(notice("reduced", "Alleen voor medewerkers."))
                .post(path).then().statusCode(201);

        JsonPath nl = topics("nl");
        assertThat(nl.getList("find { it.id == '" + d.topic() + "' }.departmentNotices")).hasSize(1);
        assertThat(nl.getString("find { it.id == '" + d.topic() + "' }.departmentNotices[0].department")).isEqualTo(d.name());
        assertThat(nl.getString("find { it.id == '" + d.topic() + "' }.departmentNotices[0].kind")).isEqualTo("appointment_only");
        assertThat(nl.getString("find { it.id == '" + d.topic() + "' }.departmentNotices[0].text")).isEqualTo("Maak een afspraak via de website.");
        assertThat(Instant.parse(nl.getString("find { it.id == '" + d.topic() + "' }.departmentNotices[0].until"))).isEqualTo(until);
        assertThat(nl.getList("find { it.id == '" + other + "' }.departmentNotices")).isEmpty();
        assertThat(topics("en").getString("find { it.id == '" + d.topic() + "' }.departmentNotices[0].text"))
                .isEqualTo("Book an appointment on the website.");

        // linking the department to another topic brings its notice there too
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("name", d.name(), "topics", List.of(d.topic(), other)))
                .put("/api/v1/departments/" + d.id()).then().statusCode(200).body("topics", hasItems(d.topic(), other))
                .body("notices.kind", hasItems("appointment_only", "reduced"));
        assertThat(topics("nl").getList("find { it.id == '" + other + "' }.departmentNotices.text"))
                .containsExactly("Maak een afspraak via de website.");
    }

    @Test
    void aNoticeShowsOnlyWithinItsPeriod() {
        String admin = Api.adminToken();
        Dept d = department(admin);
        String path = "/api/v1/departments/" + d.id() + "/notices";
        Instant now = Instant.now();

        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(notice("unreachable", "Even niet bereikbaar.", "until", now.plusSeconds(3).toString(), "residentText", "Even niet bereikbaar."))
                .post(path).then().statusCode(201);
        given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body(notice("reduced", "Straks beperkt.", "from", now.plusSeconds(3).toString(), "residentText", "Straks beperkt bereikbaar."))
                .post(path).then().statusCode(201);

        assertThat(departments(admin).getList("find { it.id == '" + d.id() + "' }.notices.kind")).containsExactly("unreachable");
        assertThat(topics("nl").getList("find { it.id == '" + d.topic() + "' }.departmentNotices.kind")).containsExactly("unreachable");
        // without any write in between, the first runs out and the second starts
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            assertThat(departments(admin).getList("find { it.id == '" + d.id() + "' }.notices.kind")).containsExactly("reduced");
            assertThat(topics("nl").getList("find { it.id == '" + d.topic() + "' }.departmentNotices.kind")).containsExactly("reduced");
        });
        // the one that ran out is history; it cannot be ended any more
        given().auth().oauth2(admin).get(path + "?all=true").then().body("kind", hasItems("unreachable", "reduced"))
                .body("find { it.kind == 'unreachable' }.endedAt", equalTo(null));
    }
}
