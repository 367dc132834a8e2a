package nl.loket.platform;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of PostgreSQL that can go silent the way a firewall, a NAT or a cloud load
 * balancer does when it forgets an idle connection: {@link #blackhole()} stops forwarding bytes in
 * both directions on every connection it carries, and closes neither socket, so neither end hears
 * of it. {@link #refuseNew(boolean)} closes new connections at once, as a network partition lets
 * none through; lifted, new connections are forwarded again. Plain sockets and threads: a test
 * helper, a handful of connections.
 */
final class BlackholeProxy implements AutoCloseable {

    /** One client connection and its connection to the server. */
    private static final class Pair {
        final Socket client;
        final Socket server;
        /** Bytes are read and dropped from now on, on both sides; nothing is closed. */
        volatile boolean dropped;

        Pair(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }
    }

    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listening;
    private final List<Pair> pairs = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;

    private BlackholeProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "blackhole-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    static BlackholeProxy to(String host, int port) {
        try {
            return new BlackholeProxy(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return listening.getLocalPort();
    }

    /** Connections open now (dropped ones included). */
    int connections() {
        return pairs.size();
    }

    /** Every connection open now stops carrying bytes, both ways, and stays open. */
    void blackhole() {
        pairs.forEach(p -> p.dropped = true);
    }

    /**
     * Closes the connections that were made silent (their PostgreSQL backends end); those opened
     * since go on. For the end of a test: the database may outlive the application.
     */
    void closeDropped() {
        for (Pair p : pairs) {
            if (p.dropped) {
                quietly(p.client);
                quietly(p.server);
                pairs.remove(p);
            }
        }
    }

    /** While on, a new connection is closed as soon as it is accepted. */
    void refuseNew(boolean refuse) {
        refusing = refuse;
    }

    private void accept() {
        while (!listening.isClosed()) {
            Socket client;
            try {
                client = listening.accept();
            } catch (IOException closed) {
                return;
            }
            if (refusing) {
                quietly(client);
                continue;
            }
            try {
                Socket server = new Socket(targetHost, targetPort);
                Pair pair = new Pair(client, server);
                pairs.add(pair);
                pump(pair, client, server, "up");
                pump(pair, server, client, "down");
            } catch (IOException e) {
                quietly(client);
            }
        }
    }

    private void pump(Pair pair, Socket from, Socket to, String direction) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!pair.dropped) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
                if (!pair.dropped) {
                    // an end passed on: a close the proxy carries, not one it makes
                    quietly(to);
                }
            } catch (IOException ended) {
                if (!pair.dropped) {
                    quietly(to);
                }
            }
            if (!pair.dropped) {
                pairs.remove(pair);
            }
        }, "blackhole-proxy-" + direction);
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        try {
            listening.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Pair p : pairs) {
            quietly(p.client);
            quietly(p.server);
        }
        pairs.clear();
    }
}
