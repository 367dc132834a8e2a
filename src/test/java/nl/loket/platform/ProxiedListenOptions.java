package nl.loket.platform;

import io.vertx.pgclient.PgConnectOptions;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * The node's own connection options, with the LISTEN connection ({@code loket-listen}, and only
 * it) led through a {@link BlackholeProxy}: the shared pool, the chat pool and every statement of
 * the test still reach PostgreSQL directly. Enabled by {@link ListenBlackholeTest}'s profile only.
 */
@Alternative
@Singleton // not a normal scope: a client proxy would need a constructor without arguments
public class ProxiedListenOptions extends PgOptions {

    private static BlackholeProxy proxy;

    public ProxiedListenOptions(Config config) {
        super(config);
    }

    /** The proxy in front of the LISTEN connection, started by the first options asked for it. */
    static synchronized BlackholeProxy proxy() {
        return proxy;
    }

    @Override
    public PgConnectOptions connectOptions(String name) {
        PgConnectOptions options = super.connectOptions(name);
        if (!"loket-listen".equals(name)) {
            return options;
        }
        synchronized (ProxiedListenOptions.class) {
            if (proxy == null) {
                proxy = BlackholeProxy.to(options.getHost(), options.getPort());
            }
            return options.setHost("127.0.0.1").setPort(proxy.port());
        }
    }
}
