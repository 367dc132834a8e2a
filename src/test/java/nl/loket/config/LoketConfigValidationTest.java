package nl.loket.config;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.ConfigValidationException;
import nl.loket.platform.Db;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.validator.BeanValidationConfigValidator;
import jakarta.validation.Validation;
import jakarta.validation.Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A setting an operator got wrong (a negative grace period, a heartbeat of nothing, a negative
 * retention) stops the start with a message naming it, as Quarkus validates the mapping at
 * start-up (quarkus-hibernate-validator); it is never taken as it is. Read here the way Quarkus
 * reads it: the mapping, with Bean Validation.
 */
class LoketConfigValidationTest {

    private static final Validator VALIDATOR = Validation.buildDefaultValidatorFactory().getValidator();

    private static SmallRyeConfig config(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("loket.feed.cursor-secret", "c", "loket.tokens.resident-secret", "r"));
        all.putAll(settings);
        return new SmallRyeConfigBuilder()
                .withMapping(LoketConfig.class)
                .withMapping(Db.Config.class)
                // "30m", "5s" as Quarkus reads them
                .withConverter(Duration.class, 100, new DurationConverter())
                .withValidator((BeanValidationConfigValidator) () -> VALIDATOR)
                .withSources(new PropertiesConfigSource(all, "test", 100))
                .build();
    }

    @Test
    void theDefaultsAndZeroWhereItMeansNoneAreAccepted() {
        SmallRyeConfig all = config(Map.of("loket.limits.open-conversations-per-address", "0", "loket.grace.resident", "0s",
                "loket.db.chat-connections", "0", "loket.db.lock-timeout", "0s", "loket.limits.open-callbacks-per-address", "0"));
        LoketConfig c = all.getConfigMapping(LoketConfig.class);
        assertThat(c.limits().openCallbacksPerAddress()).isZero();
        assertThat(config(Map.of()).getConfigMapping(LoketConfig.class).limits().openCallbacksPerAddress()).isEqualTo(3);
        assertThat(all.getConfigMapping(Db.Config.class).postBatch()).isEqualTo(32);
        assertThat(c.grace().agent()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.privacy().retentionDays()).isEqualTo(28);
    }

    @ParameterizedTest
    @CsvSource({
            "loket.grace.resident, -5s",
            "loket.grace.agent, -1s",
            "loket.grace.inactivity, 0s",
            "loket.cluster.heartbeat, 0s",
            "loket.cluster.dead-after, -10s",
            "loket.sockets.unanswered-after, -60s",
            "loket.tokens.staff-lifetime, -8h",
            "loket.limits.login-delay, -1s",
            "loket.feed.safety-lag, -5s",
            "loket.privacy.retention-days, -1",
            "loket.privacy.audit-days, 0",
            "loket.limits.public-rate-per-minute, -60",
            "loket.limits.resident-frames, 0",
            "loket.limits.concurrent-starts, 0",
            "loket.limits.open-callbacks-per-address, -1",
            "loket.db.chat-connections, -1",
            "loket.db.post-batch, 0",
            "loket.db.chat-lock-timeout, -5s",
            "loket.db.chat-statement-timeout, -30s",
            "loket.db.lock-timeout, -15s",
    })
    void aWrongValueStopsTheStartNamingTheSetting(String name, String value) {
        assertThatThrownBy(() -> config(Map.of(name, value)))
                .isInstanceOf(ConfigValidationException.class)
                .hasMessageContaining(name);
    }
}
