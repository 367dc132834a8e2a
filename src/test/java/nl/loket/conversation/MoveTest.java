package nl.loket.conversation;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static nl.loket.conversation.ConversationState.ABANDONED;
import static nl.loket.conversation.ConversationState.ACTIVE;
import static nl.loket.conversation.ConversationState.CALLBACK;
import static nl.loket.conversation.ConversationState.CLOSED;
import static nl.loket.conversation.ConversationState.QUEUED;
import static org.assertj.core.api.Assertions.assertThat;

/** The transition table, checked for every move from every state: nothing more, nothing less is allowed. */
class MoveTest {

    /** The product's state machine, written out independently of {@link Move}. */
    private static final Map<Move, Set<ConversationState>> EXPECTED_FROM = Map.ofEntries(
            Map.entry(Move.CLAIM, EnumSet.of(QUEUED)),
            Map.entry(Move.TRANSFER_TO_TOPIC, EnumSet.of(ACTIVE)),
            Map.entry(Move.TRANSFER_TO_AGENT, EnumSet.of(ACTIVE)),
            Map.entry(Move.CLOSE, EnumSet.of(ACTIVE)),
            Map.entry(Move.LEAVE_QUEUE, EnumSet.of(QUEUED)),
            Map.entry(Move.LEAVE_CHAT, EnumSet.of(ACTIVE)),
            Map.entry(Move.ABANDON, EnumSet.of(QUEUED)),
            Map.entry(Move.REQUEUE, EnumSet.of(ACTIVE)),
            Map.entry(Move.TIME_OUT, EnumSet.of(ACTIVE)),
            Map.entry(Move.CALLBACK_FROM_QUEUE, EnumSet.of(QUEUED)),
            Map.entry(Move.CALLBACK_FROM_CHAT, EnumSet.of(ACTIVE)));

    private static final Map<Move, ConversationState> EXPECTED_TO = Map.ofEntries(
            Map.entry(Move.CLAIM, ACTIVE),
            Map.entry(Move.TRANSFER_TO_TOPIC, QUEUED),
            Map.entry(Move.TRANSFER_TO_AGENT, ACTIVE),
            Map.entry(Move.CLOSE, CLOSED),
            Map.entry(Move.LEAVE_QUEUE, ABANDONED),
            Map.entry(Move.LEAVE_CHAT, CLOSED),
            Map.entry(Move.ABANDON, ABANDONED),
            Map.entry(Move.REQUEUE, QUEUED),
            Map.entry(Move.TIME_OUT, CLOSED),
            Map.entry(Move.CALLBACK_FROM_QUEUE, CALLBACK),
            Map.entry(Move.CALLBACK_FROM_CHAT, CALLBACK));

    @Test
    void everyMoveFromEveryStateIsAllowedExactlyAsTheStateMachineSays() {
        assertThat(EXPECTED_FROM.keySet()).containsExactlyInAnyOrder(Move.values());
        for (Move move : Move.values()) {
            for (ConversationState state : ConversationState.values()) {
                assertThat(move.allowedFrom(state))
                        .as("%s from %s", move, state)
                        .isEqualTo(EXPECTED_FROM.get(move).contains(state));
            }
            assertThat(move.to()).as("%s ends in", move).isEqualTo(EXPECTED_TO.get(move));
        }
    }

    @Test
    void nothingLeavesAnEndedConversation() {
        for (ConversationState state : ConversationState.values()) {
            boolean anyMove = EnumSet.allOf(Move.class).stream().anyMatch(m -> m.allowedFrom(state));
            assertThat(anyMove).as("a move from %s", state).isEqualTo(!state.ended());
        }
    }

    @Test
    void everyMoveThatEndsSomethingRecordsWhyAndAClaimDoesNot() {
        for (Move move : Move.values()) {
            assertThat(move.reason().isPresent()).as("%s has a reason", move).isEqualTo(move != Move.CLAIM);
        }
        assertThat(Move.ABANDON.reason()).contains(EndReason.RESIDENT_GONE);
        assertThat(Move.REQUEUE.reason()).contains(EndReason.AGENT_GONE);
        assertThat(Move.TIME_OUT.reason()).contains(EndReason.TIMEOUT);
    }

    @Test
    void leavingAbandonsAWaitAndClosesAChatAndDoesNothingOnceEnded() {
        assertThat(Move.leaving(QUEUED)).contains(Move.LEAVE_QUEUE);
        assertThat(Move.leaving(ACTIVE)).contains(Move.LEAVE_CHAT);
        for (ConversationState ended : EnumSet.of(CLOSED, CALLBACK, ABANDONED)) {
            assertThat(Move.leaving(ended)).isEqualTo(Optional.empty());
        }
    }

    @Test
    void theConsoleHearsFiveReasonsOnly() {
        for (EndReason reason : EndReason.values()) {
            assertThat(reason.forAgent()).isIn("closed", "resident_left", "callback", "transferred", "timeout");
        }
        assertThat(EndReason.AGENT_GONE.forAgent()).isEqualTo("transferred");
        assertThat(EndReason.of("resident_left")).isEqualTo(EndReason.RESIDENT_LEFT);
        for (ConversationState state : ConversationState.values()) {
            assertThat(ConversationState.of(state.wire())).isEqualTo(state);
        }
    }
}
