package nl.loket.events;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import nl.loket.platform.Db;
import nl.loket.platform.Failures;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The route of {@code LOKET_EVENTS=webhook}: every outbox event is POSTed as JSON to each URL in
 * {@code LOKET_WEBHOOK_URLS}, signed ({@link WebhookSignature}), in order, at least once.
 *
 * <p>Per URL a cursor over the outbox (see V15__webhooks.sql): the event after the cursor is
 * sent until the receiver answers 2xx, with a doubling wait after each failure, and blocks
 * the events after it meanwhile. Every node runs this; a transaction-scoped advisory lock per
 * URL lets one node at a time send to it, and the cursor moves in the same transaction, so a
 * node that dies mid-way leaves the cursor where it was and the next sender repeats at most
 * the batch it was in (the event {@code id} lets a receiver drop repeats).
 *
 * <p>A receiver that is down fails every attempt, for as long as it is down: each failed attempt
 * is counted ({@code loket_failures_total{where="webhook"}}), and the log gets, per URL, the
 * first, a line a minute while they go on, and the recovery.
 */
@ApplicationScoped
public class WebhookSender {

    static final int BATCH = 20;
    private static final int NUMBER_AT_ONCE = 10_000;

    private final Db db;
    private final Vertx vertx;
    private final EventsConfig.Webhook config;
    private final boolean active;
    private volatile List<String> urls = List.of();
    private volatile HttpClient http;
    private final Failures failures;
    /** Per URL: its failed attempts in a row, for the log. */
    private final ConcurrentHashMap<String, Failures.Streak> refusals = new ConcurrentHashMap<>();
    /** Rounds that failed before reaching a receiver (the database). */
    private final Failures.Streak rounds;

    public WebhookSender(Db db, Vertx vertx, EventsConfig config, Failures failures) {
        this.db = db;
        this.failures = failures;
        this.rounds = failures.streak("webhook");
        this.vertx = vertx;
        this.config = config.webhook();
        this.active = config.sink() == EventsConfig.Sink.WEBHOOK;
    }

    void start(@Observes StartupEvent event) {
        if (!active) {
            return;
        }
        List<String> configured = config.urls().orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty()).distinct().toList();
        if (configured.isEmpty() || config.secret().map(String::isBlank).orElse(true)) {
            throw new IllegalStateException("LOKET_EVENTS=webhook needs LOKET_WEBHOOK_URLS (comma-separated) and LOKET_WEBHOOK_SECRET");
        }
        for (String url : configured) {
            URI uri = URI.create(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new IllegalStateException("LOKET_WEBHOOK_URLS: not an http(s) URL: " + WebhookStatus.display(url));
            }
        }
        urls = configured;
        http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) config.timeout().toMillis())
                .setMaxPoolSize(configured.size() + 1));
        Log.infof("Sending domain events to %d webhook URL(s)", configured.size());
    }

    public List<String> urls() {
        return urls;
    }

    public boolean active() {
        return active;
    }

    @Scheduled(every = "${loket.events.drain-every:1s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        if (!active) {
            return Uni.createFrom().voidItem();
        }
        Uni<Void> chain = number();
        long deadline = System.nanoTime() + EventDrainer.ROUND.toNanos();
        for (String url : urls) {
            // batch after batch while they come back full (a surge writes hundreds a second), within the round
            chain = chain.chain(() -> EventDrainer.whileFull(() -> deliver(url), BATCH, deadline));
        }
        return chain.invoke(() -> rounds.succeeded("Webhook delivery rounds work again"))
                .onFailure().invoke(e -> rounds.failed(e, "Webhook delivery round failed; the next one retries"))
                .onFailure().recoverWithNull();
    }

    /**
     * Numbers the committed events that have no number yet, in id order, and registers URLs seen
     * for the first time (they start with the events written from now on). One node at a time.
     */
    Uni<Void> number() {
        return db.tx(tx -> tx.query("select pg_try_advisory_xact_lock(hashtextextended('loket.webhook.sequencer', 0)) as got", Tuple.tuple())
                .chain(lock -> {
                    if (!lock.iterator().next().getBoolean("got")) {
                        return Uni.createFrom().voidItem();
                    }
                    return tx.query("""
                                    with base as (select coalesce(max(seq), 0) as m from outbox),
                                    fresh as (select id, row_number() over (order by id) as n
                                              from (select id from outbox where seq is null order by id limit $1) f)
                                    update outbox o set seq = base.m + fresh.n from base, fresh where o.id = fresh.id""",
                                    Tuple.of(NUMBER_AT_ONCE))
                            .chain(() -> tx.query("""
                                    insert into webhook_endpoint (url, delivered_seq, from_id)
                                    select u, (select coalesce(max(seq), 0) from outbox), (select coalesce(max(id), 0) from outbox)
                                    from unnest($1::text[]) u
                                    on conflict (url) do nothing""", Tuple.of(urls.toArray(new String[0]))))
                            .replaceWithVoid();
                }));
    }

    /** Sends what is due to one URL, if no other node is at it; the number delivered. */
    Uni<Integer> deliver(String url) {
        return db.tx(tx -> tx.query("select pg_try_advisory_xact_lock(hashtextextended('loket.webhook:' || $1, 0)) as got", Tuple.of(url))
                .chain(lock -> !lock.iterator().next().getBoolean("got") ? Uni.createFrom().item(0)
                        : tx.query("select delivered_seq, from_id, failures from webhook_endpoint where url = $1 and next_attempt_at <= now()",
                                Tuple.of(url)).chain(endpoint -> {
                            if (endpoint.size() == 0) {
                                return Uni.createFrom().item(0);
                            }
                            Row ep = endpoint.iterator().next();
                            return tx.query("select " + OutboxEvent.COLUMNS + ", seq from outbox where seq > $1 and id > $2 order by seq limit $3",
                                            Tuple.of(ep.getLong("delivered_seq"), ep.getLong("from_id"), BATCH))
                                    .chain(events -> events.size() == 0 ? Uni.createFrom().item(0)
                                            // each post waits up to the timeout between two statements, which may be longer than the bound
                                            : EventDrainer.liftIdleBound(tx).chain(() -> sendInOrder(tx, url, events, ep.getInteger("failures"))));
                        })));
    }

    private Uni<Integer> sendInOrder(Db.Tx tx, String url, RowSet<Row> rows, int failures) {
        Uni<Integer> chain = Uni.createFrom().item(0);
        for (Row row : rows) {
            OutboxEvent event = OutboxEvent.of(row);
            long seq = row.getLong("seq");
            chain = chain.chain(sent -> sent < 0 ? Uni.createFrom().item(sent) : post(url, event)
                    .chain(() -> tx.query("update webhook_endpoint set delivered_seq = $2, last_event_id = $3, last_success_at = now(), "
                            + "failures = 0, next_attempt_at = now() where url = $1", Tuple.of(url, seq, event.id())))
                    .invoke(() -> refusals(url).succeeded("Webhook %s accepts events again", WebhookStatus.display(url)))
                    .replaceWith(sent + 1)
                    .onFailure().recoverWithUni(e -> {
                        Duration wait = backoff(failures + 1);
                        refusals(url).failed(e, "Webhook %s refused event %d (%s); next attempt in %s", WebhookStatus.display(url),
                                event.id(), describe(e), wait);
                        return tx.query("update webhook_endpoint set failures = failures + 1, total_failures = total_failures + 1, "
                                        + "last_error = $2, last_error_at = now(), next_attempt_at = now() + make_interval(secs => $3) where url = $1",
                                Tuple.of(url, describe(e), wait.toMillis() / 1000.0)).replaceWith(-1);
                    }));
        }
        return chain.map(sent -> Math.max(sent, 0));
    }

    private Failures.Streak refusals(String url) {
        return refusals.computeIfAbsent(url, u -> failures.streak("webhook"));
    }

    /** The first retry after base, then twice as long each time, at most max. */
    Duration backoff(int failures) {
        Duration wait = config.backoffBase().multipliedBy(1L << Math.min(Math.max(failures - 1, 0), 20));
        return wait.compareTo(config.backoffMax()) > 0 ? config.backoffMax() : wait;
    }

    private Uni<Void> post(String url, OutboxEvent event) {
        String body = event.toJson().encode();
        long now = Instant.now().getEpochSecond();
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url)
                .setIdleTimeout(config.timeout().toMillis()).setConnectTimeout(config.timeout().toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "Loket")
                .putHeader(WebhookSignature.HEADER, WebhookSignature.header(config.secret().orElseThrow(), now, body));
        return http.request(request)
                .chain(req -> req.send(body))
                .chain(response -> response.body().map(ignored -> response.statusCode()))
                .ifNoItem().after(config.timeout().plusSeconds(1)).fail()
                .chain(status -> status >= 200 && status < 300 ? Uni.createFrom().voidItem()
                        : Uni.createFrom().failure(new RefusedException(status)));
    }

    private static String describe(Throwable e) {
        if (e instanceof RefusedException r) {
            return "HTTP " + r.status;
        }
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message.lines().findFirst().orElse(""));
    }

    private static final class RefusedException extends RuntimeException {
        final int status;

        RefusedException(int status) {
            super("HTTP " + status, null, false, false);
            this.status = status;
        }
    }
}
