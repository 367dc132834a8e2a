package nl.loket.security;

import io.vertx.core.http.HttpServerRequest;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Who a request comes from, as the per-client limits count it (the public rate limit, the open
 * conversations per client, the login throttle); Quarkus substitutes the forwarded address when
 * proxy forwarding is on. An IPv4 address as it is; an IPv6 address as its /64 network, which is
 * what one subscriber gets: a client that may pick any of its 2^64 addresses for each request
 * otherwise passed every per-address limit.
 */
public final class ClientAddress {

    private ClientAddress() {
    }

    public static String of(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : key(request.remoteAddress().hostAddress());
    }

    /** The address, or for IPv6 its /64 network ("2001:db8:1:2::/64"). */
    static String key(String hostAddress) {
        if (hostAddress == null || hostAddress.indexOf(':') < 0) {
            return hostAddress;
        }
        try {
            // a literal with a colon is parsed, never looked up
            InetAddress address = InetAddress.getByName(hostAddress);
            if (!(address instanceof Inet6Address)) {
                return address.getHostAddress(); // IPv4 written as IPv6 (::ffff:192.0.2.1)
            }
            byte[] b = address.getAddress();
            StringBuilder network = new StringBuilder();
            for (int i = 0; i < 8; i += 2) {
                network.append(Integer.toHexString(((b[i] & 0xff) << 8) | (b[i + 1] & 0xff))).append(':');
            }
            return network.append(":/64").toString();
        } catch (UnknownHostException e) {
            return hostAddress;
        }
    }
}
