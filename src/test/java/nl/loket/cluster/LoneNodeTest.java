package nl.loket.cluster;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import jakarta.inject.Inject;
import nl.loket.Api;
import nl.loket.TestTopics;
import nl.loket.WsClient;
import nl.loket.platform.Db;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static nl.loket.Api.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node alone notifies nobody (V34), and one that registers is told everything from then on:
 * its registration waits for the transactions that could not see it. Listened to from outside,
 * on the channel every node listens on.
 */
@QuarkusTest
class LoneNodeTest {

    @TestHTTPResource("/")
    URI base;

    @Inject
    Db db;

    @Inject
    Presence presence;

    @Inject
    Vertx vertx;

    @Test
    void aLoneNodeNotifiesNobodyAndANodeThatRegistersHearsEveryMessageAfter() throws Exception {
        List<String> heard = new CopyOnWriteArrayList<>();
        PgSubscriber listener = listen(heard);
        UUID other = UUID.randomUUID();
        try {
            assertThat(db.query("select count(*) as n from node").await().indefinitely().iterator().next().getLong("n"))
                    .as("nodes registered when the test starts (this one)").isEqualTo(1L);
            String topic = TestTopics.create(db);
            Api.Chat chat = Api.chatAgentFirst(base, topic, "Anne", 3, "Jan");
            String id = chat.id();
            try (WsClient agent = chat.console(); WsClient resident = chat.resident()) {
                agent.send(frame("claim", "topic", topic));
                agent.next("assigned");

                resident.send(frame("message", "clientMsgId", "alone-1", "text", "hallo"));
                agent.next(f -> "message".equals(f.getString("type")) && "alone-1".equals(f.getString("clientMsgId")));
                // a marker notified by hand after the message: once it is heard, the message's notification would have been too
                marker("first");
                await().atMost(Duration.ofSeconds(10)).until(() -> heard.contains("marker-first"));
                assertThat(heard).as("notifications while the node is alone").noneMatch(p -> p.contains(id));

                presence.register(other).await().atMost(Duration.ofSeconds(10));
                assertThat(presence.othersCaughtUp(Duration.ofSeconds(5)).await().atMost(Duration.ofSeconds(10)))
                        .as("transactions in progress at the registration ended").isTrue();
                resident.send(frame("message", "clientMsgId", "told-2", "text", "nog een vraag"));
                agent.next(f -> "message".equals(f.getString("type")) && "told-2".equals(f.getString("clientMsgId")));
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> heard.stream().anyMatch(p -> p.contains(id) && p.contains("told-2")));
                assertThat(heard).as("the message sent while alone is never told").noneMatch(p -> p.contains("alone-1"));
            }
        } finally {
            presence.removeNode(other).await().atMost(Duration.ofSeconds(10));
            listener.closeAndForget();
        }
    }

    @Test
    void registeringWaitsForTheTransactionsInProgress() throws Exception {
        UUID other = UUID.randomUUID();
        SqlConnection open = db.pool().getConnection().await().atMost(Duration.ofSeconds(10));
        try {
            open.query("begin").execute().await().indefinitely();
            // a transaction id, as a transaction that has written has when it checks for other nodes
            open.query("select pg_current_xact_id()").execute().await().indefinitely();

            presence.register(other).await().atMost(Duration.ofSeconds(10));
            CompletableFuture<Boolean> registered = presence.othersCaughtUp(Duration.ofSeconds(30)).subscribeAsCompletionStage()
                    .toCompletableFuture();
            Thread.sleep(500);
            assertThat(registered).as("registration while a transaction that began before it is open").isNotDone();
            assertThat(db.query("select count(*) as n from node where id = $1", Tuple.of(other)).await().indefinitely()
                    .iterator().next().getLong("n")).as("the row is committed meanwhile").isEqualTo(1L);

            open.query("commit").execute().await().indefinitely();
            assertThat(registered.get(10, TimeUnit.SECONDS)).as("caught up once it ended").isTrue();

            open.query("begin").execute().await().indefinitely();
            open.query("select pg_current_xact_id()").execute().await().indefinitely();
            assertThat(presence.othersCaughtUp(Duration.ofMillis(200)).await().atMost(Duration.ofSeconds(10)))
                    .as("out of patience with a transaction that stays open").isFalse();
            open.query("rollback").execute().await().indefinitely();
        } finally {
            open.close().await().indefinitely();
            presence.removeNode(other).await().atMost(Duration.ofSeconds(10));
        }
    }

    private void marker(String name) {
        db.query("select pg_notify($1, $2)", Tuple.of(Db.CHANNEL, "marker-" + name)).await().atMost(Duration.ofSeconds(10));
    }

    private PgSubscriber listen(List<String> heard) {
        var config = ConfigProvider.getConfig();
        PgConnectOptions options = PgConnectOptions.fromUri(config.getValue("quarkus.datasource.reactive.url", String.class))
                .setUser(config.getValue("quarkus.datasource.username", String.class));
        config.getOptionalValue("quarkus.datasource.password", String.class).ifPresent(options::setPassword);
        PgSubscriber subscriber = PgSubscriber.subscriber(vertx, options);
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        subscriber.channel(Db.CHANNEL).handler(heard::add).subscribeHandler(() -> subscribed.complete(null));
        subscriber.connect().await().atMost(Duration.ofSeconds(10));
        subscribed.join();
        return subscriber;
    }
}
