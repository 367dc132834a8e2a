package nl.loket.queue;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class WaitEstimateTest {

    private static final double AHT = 300;

    @Test
    void noAgentAvailableMeansUnknownNotZero() {
        assertThat(WaitEstimate.seconds(1, List.of(), AHT)).isNull();
    }

    @Test
    void aFreeSlotMeansNoWait() {
        assertThat(WaitEstimate.seconds(1, List.of(new WaitEstimate.Agent(3, 0)), AHT)).isZero();
        assertThat(WaitEstimate.seconds(3, List.of(new WaitEstimate.Agent(3, 0)), AHT)).isZero();
    }

    @Test
    void oneAgentWithThreeSlotsServesThreeAtATime() {
        List<WaitEstimate.Agent> one = List.of(new WaitEstimate.Agent(3, 0));
        // positions 4, 5, 6 need one slot each to free up; three slots free one every AHT/3
        assertThat(WaitEstimate.seconds(4, one, AHT)).isEqualTo(100);
        assertThat(WaitEstimate.seconds(6, one, AHT)).isEqualTo(300);
    }

    @Test
    void allAgentsFullMeansWaitingForTheFirstSlot() {
        List<WaitEstimate.Agent> full = List.of(new WaitEstimate.Agent(3, 3), new WaitEstimate.Agent(2, 2));
        assertThat(WaitEstimate.seconds(1, full, AHT)).isEqualTo(60);
        assertThat(WaitEstimate.seconds(10, full, AHT)).isEqualTo(600);
    }

    @Test
    void busySlotsOfAnAgentStillCountTowardsTheRate() {
        List<WaitEstimate.Agent> mixed = List.of(new WaitEstimate.Agent(3, 1));
        assertThat(WaitEstimate.seconds(2, mixed, AHT)).isZero();
        assertThat(WaitEstimate.seconds(3, mixed, AHT)).isEqualTo(100);
    }

    @Test
    void freeSlotsNobodyTakesWithinTheGraceAreNotCounted() {
        List<WaitEstimate.Agent> idle = List.of(new WaitEstimate.Agent(2, 0));
        assertThat(WaitEstimate.freeSlotsIdle(WaitEstimate.IDLE_GRACE_SECONDS)).isFalse();
        assertThat(WaitEstimate.freeSlotsIdle(WaitEstimate.IDLE_GRACE_SECONDS + 1)).isTrue();
        // the queue moves: the two free slots are taken at once
        assertThat(WaitEstimate.forQueue(idle, AHT, false).apply(2)).isZero();
        // the head waited past the grace: every place waits for a slot, at S / AHT
        assertThat(WaitEstimate.forQueue(idle, AHT, true).apply(1)).isEqualTo(150);
        assertThat(WaitEstimate.forQueue(idle, AHT, true).apply(3)).isEqualTo(450);
        // no agent: still unknown
        assertThat(WaitEstimate.forQueue(List.of(), AHT, true).apply(1)).isNull();
        // the snapshot's flag reaches the estimate given to residents, boards and the topic list
        QueueSnapshot.TopicLoad load = new QueueSnapshot.TopicLoad("afval", 9, java.time.Instant.now().minusSeconds(300), idle,
                AHT, false, 0, 0, 0, true);
        assertThat(load.estimate(1)).isEqualTo(150);
        assertThat(load.estimates().apply(9)).isEqualTo(1350);
    }

    @Test
    void withoutHistoryTheDefaultHandleTimeIsUsed() {
        assertThat(QueueService.DEFAULT_HANDLE_SECONDS).isEqualTo(300);
        QueueSnapshot.TopicLoad empty = new QueueSnapshot(java.time.Instant.now(), java.util.Map.of(), 0).topic("afval");
        assertThat(empty.averageHandleSeconds()).isEqualTo(300);
        assertThat(empty.estimate(1)).isNull();
    }

    @Test
    void aNewPlaceIsAlwaysToldButASmallDriftAtTheSamePlaceIsNot() {
        // the wait became known or unknown: always
        assertThat(WaitEstimate.worthTelling(null, 0)).isTrue();
        assertThat(WaitEstimate.worthTelling(600, null)).isTrue();
        assertThat(WaitEstimate.worthTelling(null, null)).isFalse();
        // a drift below 15 s, or below a tenth of a long wait: not on its own
        assertThat(WaitEstimate.worthTelling(100, 114)).isFalse();
        assertThat(WaitEstimate.worthTelling(100, 86)).isFalse();
        assertThat(WaitEstimate.worthTelling(1200, 1319)).isFalse();
        // once it adds up, it is told
        assertThat(WaitEstimate.worthTelling(100, 115)).isTrue();
        assertThat(WaitEstimate.worthTelling(100, 85)).isTrue();
        assertThat(WaitEstimate.worthTelling(1200, 1320)).isTrue();
        assertThat(WaitEstimate.worthTelling(10, 0)).isFalse();
        assertThat(WaitEstimate.worthTelling(300, 0)).isTrue();
    }
}
