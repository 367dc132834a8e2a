package nl.loket;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Free TCP ports for the services and servers a test starts. The kernel may hand the same port
 * to two binds in a row once the first socket is closed, and a node given the same port for HTTP
 * and for its management interface starts but never answers its readiness (a CI run waited 90 s
 * for one). So a port is handed out at most once in a test JVM.
 */
public final class Ports {

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    private Ports() {
    }

    /** A port nothing listens on now, and that this JVM has not handed out before. */
    public static synchronized int free() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (HANDED_OUT.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no port that was not handed out before after 100 tries");
    }
}
