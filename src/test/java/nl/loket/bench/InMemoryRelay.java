package nl.loket.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The floor the hot-path benchmark compares Loket with: a WebSocket relay with the client-facing
 * shape of Loket (the public {@code POST /api/v1/conversations}, {@code /ws/resident/{id}},
 * {@code /ws/agent} with {@code claim} → {@code assigned}, {@code message} frames echoed to the
 * sender and relayed to the other side, {@code state} frames with queue positions) and nothing
 * else: no storage (but see {@code --store} below), no authentication (the bearer token is the
 * agent's name), no redaction, no estimates. Everything runs on one Vert.x event loop, so its
 * state needs no locks.
 *
 * <p>With {@code --store} it is the floor of a relay that keeps what it relays: before a message
 * is relayed, it is inserted into a table of its own embedded PostgreSQL (the server and version
 * Loket bundles, committing synchronously and with fsync, as Loket's kept database does) in one
 * statement, and relayed when that commit returns. A conversation's messages are stored one
 * after the other, as Loket's lock on the conversation orders them. Nothing else is stored: no
 * conversation, no queue, no seq taken from the table.
 *
 * <p>{@link HotPathBenchIT} starts it as its own JVM ({@code main}), like the Loket jar, so the
 * systems get a process of their own and are measured the same way (CPU, heap).
 */
public final class InMemoryRelay {

    private static final class Conversation {
        final String id;
        final String topic;
        boolean active;
        AgentConn agent;
        int seq;
        /** The last store of this conversation's messages: the next one waits for it (with --store). */
        Future<Void> stored = Future.succeededFuture();
        final List<ServerWebSocket> residents = new ArrayList<>(1);

        Conversation(String id, String topic) {
            this.id = id;
            this.topic = topic;
        }
    }

    private static final class AgentConn {
        final String name;
        final List<ServerWebSocket> sockets = new ArrayList<>(1);

        AgentConn(String name) {
            this.name = name;
        }
    }

    private final Map<String, Conversation> conversations = new HashMap<>();
    /** Waiting conversations per topic, in arrival order. */
    private final Map<String, LinkedHashMap<String, Conversation>> waiting = new HashMap<>();
    private final Map<String, AgentConn> agents = new HashMap<>();
    private final Vertx vertx;
    /** Where messages are stored before they are relayed; null: in memory only. */
    private final Pool store;
    private HttpServer server;

    private InMemoryRelay(Vertx vertx, Pool store) {
        this.vertx = vertx;
        this.store = store;
    }

    /**
     * {@code java ... nl.loket.bench.InMemoryRelay <port> [--store]}: prints {@code RELAY READY
     * <port>} once listening, followed by its PostgreSQL's postmaster pid with {@code --store}.
     */
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        String ready;
        int bound;
        try {
            InMemoryRelay relay;
            if (Arrays.asList(args).contains("--store")) {
                Path data = Files.createTempDirectory("relay-pg-");
                Pool store = startStore(vertx, data);
                relay = new InMemoryRelay(vertx, store);
                ready = " " + Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip();
            } else {
                relay = new InMemoryRelay(vertx, null);
                ready = "";
            }
            bound = relay.start(port);
        } catch (Exception e) {
            // Vert.x's threads would keep the process up, and the benchmark waiting for READY
            e.printStackTrace();
            System.exit(1);
            return;
        }
        System.out.println("RELAY READY " + bound + ready);
        System.out.flush();
        Thread.currentThread().join();
    }

    /**
     * An embedded PostgreSQL in {@code data} (deleted when the relay stops), one table, and a pool of
     * 4 connections, as many as Loket's chat statements have.
     */
    private static Pool startStore(Vertx vertx, Path data) throws Exception {
        EmbeddedPostgres pg = EmbeddedPostgres.builder().setDataDirectory(data).setCleanDataDirectory(true)
                // the library turns both off by default; Loket's kept database has them on
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                pg.close();
            } catch (IOException ignored) {
                // stopping anyway
            }
        }, "relay-pg-stop"));
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            // the key and the de-duplication Loket's message table has; no other index
            s.execute("create table message (conversation uuid not null, seq int not null, sender text not null, "
                    + "client_msg_id text, text text not null, sent_at timestamptz not null default now(), "
                    + "primary key (conversation, seq), unique (conversation, client_msg_id))");
            // a floor that did not wait for the disk would not be the floor of keeping messages
            try (var settings = s.executeQuery("select current_setting('synchronous_commit'), current_setting('fsync')")) {
                settings.next();
                String sync = settings.getString(1);
                String fsync = settings.getString(2);
                System.out.println("RELAY STORE synchronous_commit=" + sync + " fsync=" + fsync);
                if (!"on".equals(sync) || !"on".equals(fsync)) {
                    throw new IllegalStateException("the relay's PostgreSQL must commit durably");
                }
            }
        }
        return PgBuilder.pool().with(new PoolOptions().setMaxSize(4))
                .connectingTo(new PgConnectOptions().setHost("localhost").setPort(pg.getPort()).setDatabase("postgres")
                        .setUser("postgres").setCachePreparedStatements(true))
                .using(vertx).build();
    }

    int start(int port) throws Exception {
        server = vertx.createHttpServer(new HttpServerOptions().setMaxWebSocketFrameSize(16384).setTcpNoDelay(true))
                .webSocketHandler(this::socket)
                .requestHandler(this::request);
        return server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get().actualPort();
    }

    // ---- REST ----------------------------------------------------------------------------------

    private void request(HttpServerRequest req) {
        if ("/q/health/ready".equals(req.path())) {
            req.response().end("{\"status\":\"UP\"}");
            return;
        }
        if (!"/api/v1/conversations".equals(req.path()) || !"POST".equals(req.method().name())) {
            req.response().setStatusCode(404).end();
            return;
        }
        req.body().onSuccess(body -> {
            String topic;
            try {
                topic = body.toJsonObject().getString("topic");
            } catch (RuntimeException e) {
                topic = null;
            }
            if (topic == null) {
                req.response().setStatusCode(400).end();
                return;
            }
            Conversation c = new Conversation(UUID.randomUUID().toString(), topic);
            conversations.put(c.id, c);
            LinkedHashMap<String, Conversation> queue = waiting.computeIfAbsent(topic, t -> new LinkedHashMap<>());
            queue.put(c.id, c);
            JsonObject started = new JsonObject().put("id", c.id).put("token", c.id).put("topic", topic)
                    .put("state", "queued").put("position", queue.size());
            req.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(started.encode());
        });
    }

    // ---- WebSockets ----------------------------------------------------------------------------

    private void socket(ServerWebSocket ws) {
        String path = ws.path();
        if (path.startsWith("/ws/resident/")) {
            resident(ws, path.substring("/ws/resident/".length()));
        } else if (path.equals("/ws/agent")) {
            String auth = ws.headers().get("Authorization");
            agent(ws, auth == null ? "anonymous" : auth.replaceFirst("^Bearer ", ""));
        } else {
            ws.reject(404);
        }
    }

    private void resident(ServerWebSocket ws, String id) {
        Conversation c = conversations.get(id);
        if (c == null) {
            ws.reject(404);
            return;
        }
        c.residents.add(ws);
        ws.closeHandler(v -> c.residents.remove(ws));
        ws.exceptionHandler(e -> { });
        ws.writeTextMessage(stateOf(c).encode());
        ws.textMessageHandler(text -> {
            JsonObject in;
            try {
                in = new JsonObject(text);
            } catch (RuntimeException e) {
                ws.writeTextMessage(error("bad_request", null).encode());
                return;
            }
            if ("message".equals(in.getString("type"))) {
                post(c, "resident", in.getString("clientMsgId"), in.getString("text"), null);
            } else if ("leave".equals(in.getString("type")) && !c.active) {
                // leaving the queue moves nobody the bench measures (warm-up residents leave their own topic)
                LinkedHashMap<String, Conversation> queue = waiting.get(c.topic);
                if (queue != null) {
                    queue.remove(c.id);
                }
            }
        });
    }

    private void agent(ServerWebSocket ws, String name) {
        AgentConn agent = agents.computeIfAbsent(name, AgentConn::new);
        agent.sockets.add(ws);
        ws.closeHandler(v -> agent.sockets.remove(ws));
        ws.exceptionHandler(e -> { });
        ws.writeTextMessage(new JsonObject().put("type", "hello")
                .put("agent", new JsonObject().put("id", name).put("name", name)).put("conversations", new JsonArray()).encode());
        ws.textMessageHandler(text -> {
            JsonObject in;
            try {
                in = new JsonObject(text);
            } catch (RuntimeException e) {
                ws.writeTextMessage(error("bad_request", null).encode());
                return;
            }
            String ref = in.getString("ref");
            switch (String.valueOf(in.getString("type"))) {
                case "claim" -> claim(agent, in.getString("topic"), ref, ws);
                case "message" -> {
                    Conversation c = conversations.get(in.getString("conversationId"));
                    if (c == null || c.agent != agent) {
                        ws.writeTextMessage(error("not_assigned", ref).encode());
                    } else {
                        post(c, "agent", in.getString("clientMsgId"), in.getString("text"), agent.name);
                    }
                }
                default -> { }
            }
        });
    }

    private void claim(AgentConn agent, String topic, String ref, ServerWebSocket ws) {
        LinkedHashMap<String, Conversation> queue = topic == null ? null : waiting.get(topic);
        if (queue == null || queue.isEmpty()) {
            ws.writeTextMessage(error("nothing_waiting", ref).encode());
            return;
        }
        Conversation c = queue.values().iterator().next();
        queue.remove(c.id);
        c.active = true;
        c.agent = agent;
        JsonObject assigned = new JsonObject().put("type", "assigned").put("conversation", new JsonObject()
                .put("id", c.id).put("topic", c.topic).put("state", "active").put("messages", new JsonArray()));
        String frame = assigned.encode();
        agent.sockets.forEach(s -> s.writeTextMessage(frame));
        String state = stateOf(c).encode();
        c.residents.forEach(s -> s.writeTextMessage(state));
        // everyone behind moves up one place
        int position = 0;
        for (Conversation w : queue.values()) {
            position++;
            if (!w.residents.isEmpty()) {
                String moved = new JsonObject().put("type", "state").put("state", "queued").put("position", position).encode();
                w.residents.forEach(s -> s.writeTextMessage(moved));
            }
        }
    }

    private void post(Conversation c, String from, String clientMsgId, String text, String agentName) {
        int seq = ++c.seq;
        if (store == null) {
            relay(c, seq, from, clientMsgId, text, agentName);
            return;
        }
        // one statement, committed on its own; relayed when the commit returns
        c.stored = c.stored.transform(previous -> store.preparedQuery("insert into message (conversation, seq, sender, client_msg_id, text) "
                                + "values ($1, $2, $3, $4, $5)").execute(Tuple.of(UUID.fromString(c.id), seq, from, clientMsgId, text)))
                .onSuccess(stored -> relay(c, seq, from, clientMsgId, text, agentName))
                // the message is not relayed: the benchmark counts it as not delivered
                .onFailure(e -> System.err.println("relay: storing a message failed: " + e))
                .mapEmpty();
    }

    private void relay(Conversation c, int seq, String from, String clientMsgId, String text, String agentName) {
        JsonObject m = new JsonObject().put("type", "message").put("seq", seq).put("from", from).put("text", text)
                .put("sentAt", java.time.Instant.now().toString()).put("clientMsgId", clientMsgId);
        if (agentName != null) {
            m.put("agentName", agentName);
        }
        String toResident = m.encode();
        c.residents.forEach(s -> s.writeTextMessage(toResident));
        if (c.agent != null) {
            String toAgent = m.put("conversationId", c.id).encode();
            c.agent.sockets.forEach(s -> s.writeTextMessage(toAgent));
        }
    }

    private JsonObject stateOf(Conversation c) {
        JsonObject state = new JsonObject().put("type", "state");
        if (c.active) {
            return state.put("state", "active").put("agentName", c.agent.name);
        }
        int position = 0;
        for (String id : waiting.getOrDefault(c.topic, new LinkedHashMap<>()).keySet()) {
            position++;
            if (id.equals(c.id)) {
                break;
            }
        }
        return state.put("state", "queued").put("position", position);
    }

    private static JsonObject error(String code, String ref) {
        JsonObject e = new JsonObject().put("type", "error").put("code", code).put("message", code);
        return ref == null ? e : e.put("ref", ref);
    }
}
