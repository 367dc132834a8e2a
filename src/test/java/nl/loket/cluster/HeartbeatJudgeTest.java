package nl.loket.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When a node may take another's silence for its death (production's 2 s beat and 10 s
 * dead-after: a gap is 5 s). {@code PostgresRestartIT} shows the rule on a real outage; this
 * shows each of its cases on its own.
 */
class HeartbeatJudgeTest {

    private static final long S = 1_000_000_000L;
    private static final long GAP = 5 * S;
    private static final long DEAD_AFTER = 10 * S;
    /** An arbitrary System.nanoTime origin: the rule must go by differences only. */
    private static final long T = 7_777 * S;

    @Test
    void aNodeNotRegisteredYetJudgesAsBefore() {
        assertThat(Heartbeat.mayJudgeOthers(T, 0, 0, GAP, DEAD_AFTER)).isTrue();
    }

    @Test
    void aNodeWhoseBeatsGetThroughJudges() {
        assertThat(Heartbeat.mayJudgeOthers(T + 2 * S, T, 0, GAP, DEAD_AFTER)).isTrue();
        assertThat(Heartbeat.mayJudgeOthers(T + 5 * S, T, 0, GAP, DEAD_AFTER)).isTrue();
    }

    @Test
    void aNodeWhoseOwnBeatsHaveNotGotThroughForAGapJudgesNobody() {
        // the database away for 6 s: this node's silence says as much about the others' as theirs
        assertThat(Heartbeat.mayJudgeOthers(T + 6 * S, T, 0, GAP, DEAD_AFTER)).isFalse();
        assertThat(Heartbeat.mayJudgeOthers(T + 60 * S, T, 0, GAP, DEAD_AFTER)).isFalse();
    }

    @Test
    void afterAnOutageANodeWaitsDeadAfterFromItsFirstBeatThatCameThrough() {
        long back = T + 15 * S; // a 15 s outage: the others' last beats are as old as this node's
        assertThat(Heartbeat.mayJudgeOthers(back, back, back, GAP, DEAD_AFTER)).isFalse();
        assertThat(Heartbeat.mayJudgeOthers(back + 8 * S, back + 8 * S, back, GAP, DEAD_AFTER)).isFalse();
        assertThat(Heartbeat.mayJudgeOthers(back + 10 * S, back + 10 * S, back, GAP, DEAD_AFTER)).isTrue();
        // ...unless its beats stop getting through again meanwhile
        assertThat(Heartbeat.mayJudgeOthers(back + 16 * S, back + 10 * S, back, GAP, DEAD_AFTER)).isFalse();
    }
}
