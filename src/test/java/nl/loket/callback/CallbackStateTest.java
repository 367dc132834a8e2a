package nl.loket.callback;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import static nl.loket.callback.CallbackState.CANCELLED;
import static nl.loket.callback.CallbackState.CLAIMED;
import static nl.loket.callback.CallbackState.DONE;
import static nl.loket.callback.CallbackState.FAILED;
import static nl.loket.callback.CallbackState.MERGED;
import static nl.loket.callback.CallbackState.OPEN;
import static org.assertj.core.api.Assertions.assertThat;

/** The callback state machine, checked for every pair of states: nothing more, nothing less is allowed. */
class CallbackStateTest {

    /** The product's callback life cycle (docs/protocol.md §7), written out independently of {@link CallbackState}. */
    private static final Map<CallbackState, Set<CallbackState>> EXPECTED = Map.of(
            OPEN, EnumSet.of(CLAIMED, CANCELLED),
            CLAIMED, EnumSet.of(OPEN, DONE, FAILED, CANCELLED),
            MERGED, EnumSet.of(OPEN, CLAIMED, DONE, FAILED, CANCELLED),
            DONE, EnumSet.noneOf(CallbackState.class),
            FAILED, EnumSet.noneOf(CallbackState.class),
            CANCELLED, EnumSet.noneOf(CallbackState.class));

    @Test
    void everyStateMayBecomeExactlyWhatTheLifeCycleSays() {
        assertThat(EXPECTED.keySet()).containsExactlyInAnyOrder(CallbackState.values());
        for (CallbackState from : CallbackState.values()) {
            for (CallbackState to : CallbackState.values()) {
                assertThat(from.mayBecome(to)).as("%s -> %s", from, to).isEqualTo(EXPECTED.get(from).contains(to));
            }
        }
    }

    @Test
    void liveStatesAreThoseThatCanStillEnd() {
        for (CallbackState state : CallbackState.values()) {
            assertThat(state.live()).as("%s live", state).isEqualTo(state.mayBecome(CANCELLED));
        }
    }

    @Test
    void anAttemptEndsTheRequestWhenReachedOrWrongAndRetriesUntilTheLastAttempt() {
        assertThat(CallbackState.afterAttempt("reached", 1, 3)).isEqualTo(DONE);
        assertThat(CallbackState.afterAttempt("wrong_number", 1, 3)).isEqualTo(FAILED);
        assertThat(CallbackState.afterAttempt("no_answer", 1, 3)).isEqualTo(OPEN);
        assertThat(CallbackState.afterAttempt("no_answer", 2, 3)).isEqualTo(OPEN);
        assertThat(CallbackState.afterAttempt("no_answer", 3, 3)).isEqualTo(FAILED);
        for (String result : new String[] {"reached", "wrong_number", "no_answer"}) {
            for (long attempt = 1; attempt <= 4; attempt++) {
                assertThat(CLAIMED.mayBecome(CallbackState.afterAttempt(result, attempt, 3))).isTrue();
            }
        }
    }

    @Test
    void theStoredFormIsTheLowerCaseNameBothWays() {
        for (CallbackState state : CallbackState.values()) {
            assertThat(CallbackState.of(state.wire())).isEqualTo(state);
            assertThat(state.wire()).isEqualTo(state.name().toLowerCase());
        }
    }
}
