package nl.loket.db;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * LOKET_DB_URL as an operator writes it for a managed PostgreSQL: the user (and perhaps the
 * password) in the URL, as in the README's pg_dump example, and TLS required. Nothing of it may be
 * dropped silently: Flyway's JDBC URL and the reactive pools' settings carry all of it, and what
 * cannot be used stops the start with a message that says why.
 */
class DatabaseUrlTest {

    @Test
    void theUserAndSslModeOfTheUrlAreKept() {
        DatabaseConfigSource.Connection c = DatabaseConfigSource.Connection.of(
                "postgresql://loket@db-host:5432/loket?sslmode=require", null, null);
        assertThat(c.user()).isEqualTo("loket");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db-host:5432/loket?sslmode=require");
        assertThat(c.reactiveUrl()).isEqualTo("postgresql://db-host:5432/loket?sslmode=require");
        // require encrypts without checking the certificate, in pgjdbc and so in the reactive pools
        assertThat(c.properties()).containsEntry(DatabaseConfigSource.SSL_MODE, "require")
                .containsEntry(DatabaseConfigSource.TRUST_ALL, "true")
                .containsEntry(DatabaseConfigSource.HOSTNAME_VERIFICATION, "NONE")
                .doesNotContainKeys(DatabaseConfigSource.TRUST_PEM, DatabaseConfigSource.TRUST_JKS);
    }

    @Test
    void verifyFullChecksTheCertificateAgainstTheGivenCaAndTheHostName() {
        DatabaseConfigSource.Connection c = DatabaseConfigSource.Connection.of(
                "postgresql://loket@db-host:5432/loket?sslmode=verify-full&sslrootcert=/etc/loket/db%20ca.pem", null, "s3cret");
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db-host:5432/loket?sslmode=verify-full&sslrootcert=%2Fetc%2Floket%2Fdb+ca.pem");
        Map<String, String> p = c.properties();
        assertThat(p).containsEntry(DatabaseConfigSource.USERNAME, "loket")
                .containsEntry(DatabaseConfigSource.PASSWORD, "s3cret")
                .containsEntry(DatabaseConfigSource.SSL_MODE, "verify-full")
                .containsEntry(DatabaseConfigSource.HOSTNAME_VERIFICATION, "HTTPS")
                .containsEntry(DatabaseConfigSource.TRUST_ALL, "false")
                .containsEntry(DatabaseConfigSource.TRUST_PEM, "true")
                .containsEntry(DatabaseConfigSource.TRUST_PEM_CERTS, "/etc/loket/db ca.pem");
    }

    @Test
    void sslRootCertSystemMeansTheJvmsTrustStoreForBothDrivers() {
        DatabaseConfigSource.Connection c = DatabaseConfigSource.Connection.of(
                "postgresql://db-host/loket?sslmode=verify-ca&sslrootcert=system", null, null);
        assertThat(c.jdbcUrl()).isEqualTo("jdbc:postgresql://db-host:5432/loket?sslmode=verify-ca&sslfactory=org.postgresql.ssl.DefaultJavaSSLFactory");
        assertThat(c.properties()).containsEntry(DatabaseConfigSource.TRUST_JKS, "true")
                .containsEntry(DatabaseConfigSource.TRUST_JKS_PATH, DatabaseConfigSource.Tls.systemTrustStore())
                .containsEntry(DatabaseConfigSource.HOSTNAME_VERIFICATION, "NONE");
    }

    @Test
    void thePasswordMayBeInTheUrlAndTheVariablesWinOverIt() {
        DatabaseConfigSource.Connection fromUrl = DatabaseConfigSource.Connection.of("postgres://loket:p%40ss%3Aw0rd@db-host:6432/loket", null, null);
        assertThat(fromUrl.user()).isEqualTo("loket");
        assertThat(fromUrl.password()).isEqualTo("p@ss:w0rd");
        assertThat(fromUrl.port()).isEqualTo(6432);
        assertThat(fromUrl.jdbcUrl()).as("no credentials in the URLs").isEqualTo("jdbc:postgresql://db-host:6432/loket");
        assertThat(fromUrl.properties()).doesNotContainKey(DatabaseConfigSource.SSL_MODE);

        DatabaseConfigSource.Connection overridden = DatabaseConfigSource.Connection.of("postgres://loket:url-pw@db-host/loket", "ops", "env-pw");
        assertThat(overridden.user()).isEqualTo("ops");
        assertThat(overridden.password()).isEqualTo("env-pw");
        assertThat(DatabaseConfigSource.Connection.of("postgresql://db-host/loket", null, null).user()).isEqualTo("postgres");
    }

    @Test
    void whatCannotBeUsedStopsTheStartWithAReasonAndWithoutTheUrlsSecrets() {
        assertThatThrownBy(() -> DatabaseConfigSource.Connection.of("postgresql://loket:geheim@db-host/loket?sslmode=verify-full", null, null))
                .hasMessageContaining("sslrootcert").hasMessageNotContaining("geheim");
        assertThatThrownBy(() -> DatabaseConfigSource.Connection.of("postgresql://loket:geheim@db-host/loket?sslmode=verify", null, null))
                .hasMessageContaining("verify-full").hasMessageNotContaining("geheim");
        assertThatThrownBy(() -> DatabaseConfigSource.Connection.of("postgresql://db-host/loket?sslmode=require&sslkey=/k.pem", null, null))
                .hasMessageContaining("'sslkey' is not supported");
        assertThatThrownBy(() -> DatabaseConfigSource.Connection.of("postgresql://db-host/loket?sslrootcert=/ca.pem", null, null))
                .hasMessageContaining("verify-full");
        assertThatThrownBy(() -> DatabaseConfigSource.Connection.of("mysql://db-host/loket", null, null))
                .hasMessageContaining("postgresql://");
    }
}
