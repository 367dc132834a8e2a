package nl.loket;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.net.URL;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;

/** What Prometheus scrapes from {@code /q/metrics} on the management port, read as an operator's query would. */
public final class Metrics {

    private final String text;

    private Metrics(String text) {
        this.text = text;
    }

    /** A scrape now; {@code url} is the management port's {@code /q/metrics} (a {@code @TestHTTPResource(management = true)}). */
    public static Metrics scrape(URL url) {
        return new Metrics(given().get(url).then().statusCode(200).extract().asString());
    }

    /**
     * The sample of {@code name} whose labels include {@code label} ({@code where="rest"}; null:
     * any), or -1 when there is none.
     */
    public double value(String name, String label) {
        Matcher m = Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*\\})? (\\S+)$", Pattern.MULTILINE).matcher(text);
        while (m.find()) {
            if (label == null || (m.group(1) != null && m.group(1).contains(label))) {
                return Double.parseDouble(m.group(2));
            }
        }
        return -1;
    }

    public double value(String name) {
        return value(name, null);
    }

    /** {@code loket_failures_total{where}}; 0 before the first failure of that path. */
    public double failures(String where) {
        return Math.max(0, value("loket_failures_total", "where=\"" + where + "\""));
    }

    /**
     * {@code loket_failures_total{where}} as the registry of the test's own node counts it (a
     * {@code @QuarkusTest}'s injected {@link MeterRegistry}, no scrape); 0 before the first failure.
     */
    public static double failures(MeterRegistry registry, String where) {
        Counter counter = registry.find("loket.failures").tag("where", where).counter();
        return counter == null ? 0 : counter.count();
    }

    @Override
    public String toString() {
        return text;
    }
}
