package nl.loket.platform;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Signals cross nodes as NOTIFY text: what one node encodes, another decodes to the same signal. */
class SignalTest {

    @Test
    void anArrivalStaysAnArrivalAcrossNodes() {
        Signal.Queue arrival = new Signal.Queue("paspoort", true);
        assertThat(Signal.decode(arrival.encode())).isEqualTo(arrival);
    }

    @Test
    void anyOtherQueueChangeIsNoArrival() {
        Signal.Queue change = new Signal.Queue("paspoort");
        assertThat(change.arrival()).isFalse();
        assertThat(Signal.decode(change.encode())).isEqualTo(change);
    }
}
