package nl.loket.security;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import nl.loket.BehindTheProxy;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link ForwardedOriginTest}'s upgrades with the CORS filter switched off: the filter refuses a
 * cross-origin upgrade with 403 before the WebSocket's own Origin check runs, so there the check
 * was never seen alone. An operator who turns CORS off (QUARKUS_HTTP_CORS_ENABLED=false) still
 * gets the same answers from the Origin check by itself.
 */
@QuarkusTest
@TestProfile(ForwardedOriginWithoutCorsTest.WithoutCors.class)
class ForwardedOriginWithoutCorsTest extends ForwardedOriginTest {

    public static class WithoutCors extends BehindTheProxy {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> overrides = new HashMap<>(super.getConfigOverrides());
            overrides.put("quarkus.http.cors.enabled", "false");
            return overrides;
        }
    }
}
