package nl.loket.platform;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.vertx.core.net.JksOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.SslMode;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chat pool and the LISTEN connection connect as the shared pool does: from the same
 * quarkus.datasource.* keys, TLS included. They used to take only the URL and the account, and
 * ran without TLS beside a shared pool that used it.
 */
class PgOptionsTest {

    private static SmallRyeConfig config(Map<String, String> values) {
        Map<String, String> all = new HashMap<>(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://db-host:5433/loket?sslmode=verify-full",
                "quarkus.datasource.username", "loket",
                "quarkus.datasource.password", "pw",
                "quarkus.datasource.reactive.cache-prepared-statements", "true",
                "quarkus.datasource.reactive.additional-properties.jit", "off"));
        all.putAll(values);
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(all, "test", 100)).build();
    }

    @Test
    void verifyFullWithACaFileAsLoketDbUrlGivesIt() {
        PgConnectOptions o = PgOptions.from(config(Map.of(
                "quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full",
                "quarkus.datasource.reactive.hostname-verification-algorithm", "HTTPS",
                "quarkus.datasource.reactive.trust-all", "false",
                "quarkus.datasource.reactive.trust-certificate-pem", "true",
                "quarkus.datasource.reactive.trust-certificate-pem.certs", "/etc/loket/ca.pem")), "loket-chat");
        assertThat(o.getHost()).isEqualTo("db-host");
        assertThat(o.getPort()).isEqualTo(5433);
        assertThat(o.getUser()).isEqualTo("loket");
        assertThat(o.getPassword()).isEqualTo("pw");
        assertThat(o.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(o.getHostnameVerificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(o.isTrustAll()).isFalse();
        assertThat(o.getTrustOptions()).isInstanceOfSatisfying(PemTrustOptions.class,
                pem -> assertThat(pem.getCertPaths()).containsExactly("/etc/loket/ca.pem"));
        assertThat(o.getProperties()).containsEntry("jit", "off");
        assertThat(o.getCachePreparedStatements()).isTrue();
        assertThat(o.getMetricsName()).isEqualTo("postgresql|loket-chat");
    }

    @Test
    void requireEncryptsWithoutCheckingAndTheJvmTrustStoreIsAJksStore() {
        PgConnectOptions require = PgOptions.from(config(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://db-host/loket",
                "quarkus.datasource.reactive.postgresql.ssl-mode", "REQUIRE",
                "quarkus.datasource.reactive.trust-all", "true")), "loket-listen");
        assertThat(require.getSslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(require.isTrustAll()).isTrue();
        assertThat(require.getHostnameVerificationAlgorithm()).isEmpty();

        PgConnectOptions system = PgOptions.from(config(Map.of(
                "quarkus.datasource.reactive.postgresql.ssl-mode", "verify-ca",
                "quarkus.datasource.reactive.url", "postgresql://db-host/loket",
                "quarkus.datasource.reactive.trust-certificate-jks", "true",
                "quarkus.datasource.reactive.trust-certificate-jks.path", "/jvm/cacerts",
                "quarkus.datasource.reactive.trust-certificate-jks.password", "changeit")), "loket-listen");
        assertThat(system.getTrustOptions()).isInstanceOfSatisfying(JksOptions.class,
                jks -> assertThat(jks.getPath()).isEqualTo("/jvm/cacerts"));
    }

    @Test
    void withoutTlsSettingsNothingChanges() {
        PgConnectOptions o = PgOptions.from(config(Map.of("quarkus.datasource.reactive.url", "postgresql://localhost:5432/postgres")), "x");
        assertThat(o.getSslMode()).isEqualTo(SslMode.DISABLE);
        assertThat(o.getTrustOptions()).isNull();
        assertThat(o.isTrustAll()).isFalse();
    }

    @Test
    void verifyFullWithoutAHostNameCheckIsRefusedAsQuarkusRefusesItForTheSharedPool() {
        assertThatThrownBy(() -> PgOptions.from(config(Map.of(
                "quarkus.datasource.reactive.postgresql.ssl-mode", "verify-full")), "x"))
                .hasMessageContaining("hostname-verification-algorithm");
    }
}
