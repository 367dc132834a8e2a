package nl.loket.events;

import com.rabbitmq.client.AMQP;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.rabbitmq.RabbitMQClient;
import io.vertx.rabbitmq.RabbitMQOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The route of {@code LOKET_EVENTS=rabbitmq}: each event to a durable topic exchange with the
 * event type as routing key, persistent, and counted as sent only once the broker confirmed it.
 * The connection is opened on first use and opened anew after any failure.
 */
@ApplicationScoped
public class RabbitMqSink implements EventSink {

    private static final long CONFIRM_TIMEOUT_MILLIS = 10_000;

    private final Vertx vertx;
    private final EventsConfig.RabbitMq config;
    private volatile RabbitMQClient client;

    public RabbitMqSink(Vertx vertx, EventsConfig config) {
        this.vertx = vertx;
        this.config = config.rabbitmq();
    }

    @Override
    public Uni<Void> publish(OutboxEvent event) {
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).messageId(Long.toString(event.id())).type(event.type()).build();
        return connected()
                .chain(c -> c.basicPublish(config.exchange(), event.type(), properties, Buffer.buffer(event.toJson().encode()))
                        .chain(() -> c.waitForConfirms(CONFIRM_TIMEOUT_MILLIS)))
                .onFailure().call(this::reset);
    }

    private Uni<RabbitMQClient> connected() {
        RabbitMQClient current = client;
        if (current != null && current.isConnected()) {
            return Uni.createFrom().item(current);
        }
        RabbitMQOptions options = new RabbitMQOptions().setHost(config.host()).setPort(config.port())
                .setUser(config.user()).setPassword(config.password())
                .setConnectionTimeout(5_000).setAutomaticRecoveryEnabled(false).setReconnectAttempts(0);
        RabbitMQClient fresh = RabbitMQClient.create(vertx, options);
        return fresh.start()
                .chain(() -> fresh.exchangeDeclare(config.exchange(), "topic", true, false))
                .chain(fresh::confirmSelect)
                .invoke(() -> {
                    client = fresh;
                    Log.infof("Publishing domain events to RabbitMQ exchange %s on %s:%d", config.exchange(), config.host(), config.port());
                })
                .onFailure().call(() -> fresh.stop().onFailure().recoverWithNull())
                .replaceWith(fresh);
    }

    private Uni<Void> reset(Throwable failure) {
        RabbitMQClient current = client;
        client = null;
        return current == null ? Uni.createFrom().voidItem() : current.stop().onFailure().recoverWithNull();
    }

    void stop(@Observes ShutdownEvent event) {
        RabbitMQClient current = client;
        if (current != null) {
            current.stopAndForget();
        }
    }
}
