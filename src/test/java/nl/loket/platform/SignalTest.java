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

    @Test
    void typingAndTypingStoppedCrossNodesApart() {
        java.util.UUID id = java.util.UUID.randomUUID();
        Signal.Typing typing = new Signal.Typing(id, "agent");
        Signal.Typing stopped = new Signal.Typing(id, "agent", true);
        assertThat(Signal.decode(typing.encode())).isEqualTo(typing);
        assertThat(Signal.decode(stopped.encode())).isEqualTo(stopped);
        // as a node from before "stopped" sends it
        assertThat(Signal.decode("t|" + id + "|resident")).isEqualTo(new Signal.Typing(id, "resident", false));
    }

    @Test
    void aLogoutCrossesNodesWithItsTokenIdWhateverItHolds() {
        Signal.Logout logout = new Signal.Logout(java.util.UUID.randomUUID(), 1_700_000_000L, "sha256:ab|cd");
        assertThat(Signal.decode(logout.encode())).isEqualTo(logout);
        // as the trigger of V42 writes it (PostgreSQL's text of a uuid and a bigint)
        java.util.UUID user = java.util.UUID.randomUUID();
        assertThat(Signal.decode("l|" + user + "|1700000000|0b6c-jti")).isEqualTo(new Signal.Logout(user, 1_700_000_000L, "0b6c-jti"));
    }

    @Test
    void aKindOfANewerNodeIsPassedOverQuietlyAndAMangledKnownKindIsNot() {
        // a rolling upgrade: a node of the next version may send a kind this one does not know
        assertThat(Signal.decode("z|whatever it carries")).isNull();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Signal.decode("a|not-a-uuid"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
