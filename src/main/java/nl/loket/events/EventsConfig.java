package nl.loket.events;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Where domain events go, chosen when the service starts (LOKET_EVENTS), not when it is built. */
@ConfigMapping(prefix = "loket.events")
public interface EventsConfig {

    enum Sink { NONE, RABBITMQ, WEBHOOK }

    /** none: logged in-process; rabbitmq: a topic exchange; webhook: signed HTTP POSTs. */
    @WithDefault("none")
    Sink sink();

    /** How often the outbox is looked at. */
    @WithDefault("1s")
    Duration drainEvery();

    RabbitMq rabbitmq();

    Webhook webhook();

    interface RabbitMq {
        @WithDefault("localhost")
        String host();

        @WithDefault("5672")
        int port();

        @WithDefault("guest")
        String user();

        @WithDefault("guest")
        String password();

        /** A topic exchange; the routing key is the event type. */
        @WithDefault("loket.events")
        String exchange();
    }

    interface Webhook {
        /** Receivers; each gets every event, in order, at least once. */
        Optional<List<String>> urls();

        /** Key of the HMAC-SHA256 in the Loket-Signature header; required with the webhook sink. */
        Optional<String> secret();

        /** A delivery that has not answered within this time has failed. */
        @WithDefault("10s")
        Duration timeout();

        /** Wait after the first failure; doubled after every further one. */
        @WithDefault("1s")
        Duration backoffBase();

        /** The longest wait between two attempts. */
        @WithDefault("5m")
        Duration backoffMax();
    }
}
