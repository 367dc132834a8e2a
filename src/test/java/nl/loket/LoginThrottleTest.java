package nl.loket;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import nl.loket.platform.Db;
import nl.loket.security.LoginThrottle;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The login throttle (nl.loket.security.LoginThrottle): no race past the limit, no spraying from
 * one address, a growing wait instead of a lock, and rows gone after the window. Each test
 * speaks from addresses of its own (X-Forwarded-For, as behind a proxy).
 */
@QuarkusTest
@TestProfile(BehindTheProxy.class)
class LoginThrottleTest {

    static final int FREE = BehindTheProxy.LOGIN_FAILURES;
    static final Duration DELAY = BehindTheProxy.LOGIN_DELAY;

    @Inject
    Db db;

    @Inject
    LoginThrottle throttle;

    @Test
    void fortyParallelWrongPasswordsGetNoMoreThroughThanTheLimit() throws Exception {
        Api.Agent agent = Api.agent("Race", List.of("afval"), 1);
        String address = "198.51.100.7";
        ExecutorService pool = Executors.newFixedThreadPool(40);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> statuses = new ArrayList<>();
        try {
            for (int i = 0; i < 40; i++) {
                int n = i;
                statuses.add(pool.submit(() -> {
                    go.await();
                    return login(agent.username(), "wrong-" + n, address).statusCode();
                }));
            }
            long start = System.nanoTime();
            go.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> f : statuses) {
                codes.add(f.get());
            }
            Duration burst = Duration.ofNanos(System.nanoTime() - start);
            long checked = codes.stream().filter(c -> c == 401).count();
            assertThat(codes).containsOnly(401, 429);
            // five are free; one more may pass for every wait that ended while the burst lasted
            assertThat(checked).isBetween(1L, FREE + waitsWithin(burst));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sprayingOnePasswordOverThirtyNamesFromOneAddressIsStopped() {
        String address = "198.51.100.20";
        List<Integer> codes = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            codes.add(login("spray-" + i + "-" + UUID.randomUUID(), "Welkom01!", address).statusCode());
        }
        assertThat(codes.subList(0, 20)).containsOnly(401);
        assertThat(codes.subList(20, 30)).containsOnly(429);
        Response refused = login("spray-last", "Welkom01!", address);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 300L);
        // the same account from another address is not affected
        Api.Agent agent = Api.agent("Elders", List.of("afval"), 1);
        login(agent.username(), "password-" + agent.username(), "198.51.100.21").then().statusCode(200);
    }

    @Test
    void repeatedFailuresMakeTheAccountWaitLongerButTheRightPasswordStillGetsIn() {
        Api.Agent colleague = Api.agent("Collega", List.of("afval"), 1);
        String office = "198.51.100.30";
        String right = "password-" + colleague.username();
        for (int i = 0; i < FREE; i++) {
            login(colleague.username(), "raden-" + i, office).then().statusCode(401).contentType("application/problem+json");
        }
        // right after the fifth failure even the right password has to wait, and is told how long
        Response early = login(colleague.username(), right, office);
        early.then().statusCode(429).contentType("application/problem+json").body("type", equalTo("/problems/too-many-attempts"));
        long firstWait = Long.parseLong(early.header("Retry-After"));
        assertThat(firstWait).isBetween(1L, DELAY.toSeconds());

        // once the wait is over, one guess is looked at; a wrong one doubles the next wait
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> login(colleague.username(), "nog-een-gok", office).statusCode() == 401);
        Response later = login(colleague.username(), right, office);
        later.then().statusCode(429);
        assertThat(Long.parseLong(later.header("Retry-After"))).isGreaterThan(DELAY.toSeconds() / 2).isLessThanOrEqualTo(2 * DELAY.toSeconds());

        // the colleague behind the same address gets in with the right password after the wait
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> login(colleague.username(), right, office).statusCode() == 200);
    }

    @Test
    void rowsAreDeletedOnceTheirWindowHasPassed() {
        String address = "198.51.100.40";
        String name = "purge-" + UUID.randomUUID();
        login(name, "wrong", address).then().statusCode(401);
        assertThat(rows(name, address)).isEqualTo(2);
        throttle.purge(Instant.now()).await().indefinitely();
        assertThat(rows(name, address)).isEqualTo(2);
        throttle.purge(Instant.now().plus(Duration.ofMinutes(6))).await().indefinitely();
        assertThat(rows(name, address)).isZero();
    }

    /** How many waits of the growing series (2 s, 4 s, 8 s, …) end within the given time. */
    private static long waitsWithin(Duration elapsed) {
        long n = 0;
        long total = 0;
        long next = DELAY.toMillis();
        while (total + next <= elapsed.toMillis()) {
            total += next;
            next *= 2;
            n++;
        }
        return n;
    }

    private long rows(String name, String address) {
        return db.query("select count(*) as n from login_failure where (scope = 'username' and key = $1) "
                        + "or (scope = 'address' and key = $2)", Tuple.of(name, address))
                .map(r -> r.iterator().next().getLong("n")).await().indefinitely();
    }

    private static Response login(String username, String password, String address) {
        return given().contentType(ContentType.JSON).header("X-Forwarded-For", address)
                .body(Map.of("username", username, "password", password)).post("/api/v1/auth/token")
                .then().extract().response();
    }
}
