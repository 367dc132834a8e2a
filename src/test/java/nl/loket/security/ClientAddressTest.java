package nl.loket.security;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ClientAddressTest {

    @Test
    void anIpv6ClientCountsAsItsSlash64AndAnIpv4ClientAsItsAddress() {
        assertThat(ClientAddress.key("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.key("2001:0db8:0001:0002:0:0:0:1")).isEqualTo("2001:db8:1:2::/64");
        assertThat(ClientAddress.key("2001:db8:1:3::1")).isEqualTo("2001:db8:1:3::/64");
        assertThat(ClientAddress.key("fe80:0:0:0:0:0:0:1%1")).isEqualTo("fe80:0:0:0::/64");
        assertThat(ClientAddress.key("0:0:0:0:0:0:0:1")).isEqualTo("0:0:0:0::/64");
        assertThat(ClientAddress.key("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(ClientAddress.key("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(ClientAddress.key("unknown")).isEqualTo("unknown");
    }
}
