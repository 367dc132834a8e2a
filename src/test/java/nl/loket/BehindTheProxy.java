package nl.loket;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One profile for the tests of a service behind a trusted proxy (X-Forwarded-*) on a municipality's
 * site: ForwardedOriginTest, AllowedOriginsTest, CallbackLimitsTest, LoginThrottleTest,
 * StrictTransportSecurityTest (which only reads headers, and asks for no callback and no login) and
 * UpgradeSecurityHeadersTest (the headers of WebSocket upgrades; its agent logs in once). They had
 * a profile each, and each profile is a Quarkus restart (about 5 s); none of them asserts anything
 * the others' settings change (each test speaks from addresses of its own, or from a bare socket;
 * only LoginThrottleTest fails a login, only CallbackLimitsTest asks for callbacks, only
 * AllowedOriginsTest sends the site's origin), so they share one start.
 */
public class BehindTheProxy implements QuarkusTestProfile {

    /** The trusted proxy: the tests' own client, on loopback. */
    public static final String PROXY = "127.0.0.1";
    /** The municipality's site that embeds the widget (loket.allowed-origins). */
    public static final String SITE = "https://www.voorbeeld.nl";
    /** Open callback requests one address may have (CallbackLimitsTest). */
    public static final int OPEN_CALLBACKS = 2;
    /** Failed logins of an account before the throttle makes it wait (LoginThrottleTest). */
    public static final int LOGIN_FAILURES = 5;
    /** The throttle's first wait (LoginThrottleTest). */
    public static final Duration LOGIN_DELAY = Duration.ofSeconds(2);

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.http.proxy.proxy-address-forwarding", "true",
                "quarkus.http.proxy.allow-x-forwarded", "true",
                "quarkus.http.proxy.trusted-proxies", PROXY,
                "loket.allowed-origins", SITE,
                "loket.limits.open-callbacks-per-address", Integer.toString(OPEN_CALLBACKS),
                "loket.limits.login-failures", Integer.toString(LOGIN_FAILURES),
                "loket.limits.login-failures-per-address", "20",
                "loket.limits.login-delay", LOGIN_DELAY.toSeconds() + "s",
                "loket.limits.login-max-delay", "60s");
    }

    /**
     * Sends {@code request} (request line, headers and the empty line) on a bare socket bound to
     * {@code from}, to the service on {@code port}, and answers the response's head: a request
     * that seems to come from the trusted proxy or from anyone else, which a test client cannot
     * choose otherwise.
     */
    public static String responseHead(String from, int port, String request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            socket.connect(new InetSocketAddress(PROXY, port), 5_000);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder head = new StringBuilder();
            for (int c = in.read(); c >= 0; c = in.read()) {
                head.append((char) c);
                if (head.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            return head.toString();
        }
    }
}
