package nl.loket.resident;

import nl.loket.resident.ResidentProtocol.Out;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one connection tells its resident about the callback offer, place after place: the offer
 * when a reason starts to hold, its withdrawal once it no longer does, and nothing in between,
 * so an estimate that hovers around the threshold does not make the offer come and go.
 */
class OfferToldTest {

    static final long SECOND = 1_000_000_000L;
    static final long SHOWN = OfferTold.MIN_SHOWN_NANOS;

    /** A place at position 3 with this estimate, the reason as decided now, and the one with a quarter more wait. */
    static WaitingRoom.Place place(Integer ewt, String offer, String loosely) {
        return new WaitingRoom.Place(3, ewt, offer, loosely);
    }

    @Test
    void theFirstPlaceOfAConnectionSaysWhetherAnOfferStands() {
        OfferTold told = new OfferTold();
        assertThat(told.next(place(1200, "long_wait", "long_wait"), 0)).isEqualTo(new Out.CallbackOffer("long_wait", 1200));

        OfferTold none = new OfferTold();
        // an offer shown before a drop does not stand any more: said without a reason
        assertThat(none.next(place(60, null, null), 0)).isEqualTo(new Out.CallbackOfferWithdrawn(null));
        assertThat(none.next(place(60, null, null), SECOND)).isNull();
    }

    @Test
    void anOfferIsToldOnceAndNotAgainWhileItsReasonHolds() {
        OfferTold told = new OfferTold();
        told.next(place(1200, "long_wait", "long_wait"), 0);
        assertThat(told.next(place(1500, "long_wait", "long_wait"), SECOND)).isNull();
        assertThat(told.next(place(900, "long_wait", "long_wait"), 2 * SECOND)).isNull();
    }

    @Test
    void anEstimateHoveringAroundTheThresholdKeepsTheOffer() {
        OfferTold told = new OfferTold();
        told.next(place(620, "long_wait", "long_wait"), 0);
        for (int i = 1; i <= 20; i++) {
            // just under a threshold of 600 s, then just over: still long with a quarter more
            WaitingRoom.Place p = i % 2 == 0 ? place(590, null, "long_wait") : place(610, "long_wait", "long_wait");
            assertThat(told.next(p, i * 5 * SECOND)).as("place %d", i).isNull();
        }
    }

    @Test
    void anOfferWhoseReasonNoLongerHoldsIsWithdrawnWithThatReason() {
        OfferTold told = new OfferTold();
        told.next(place(null, "no_agents", "no_agents"), 0);
        // an agent came a moment after the offer: it stays a little while, so a page reload of theirs does not make it flash
        assertThat(told.next(place(0, null, null), SECOND)).isNull();
        assertThat(told.next(place(0, null, null), SHOWN - 1)).isNull();
        assertThat(told.next(place(0, null, null), SHOWN)).isEqualTo(new Out.CallbackOfferWithdrawn("no_agents"));
        assertThat(told.next(place(0, null, null), SHOWN + 5 * SECOND)).isNull();
        // the reason holds again: offered again
        assertThat(told.next(place(null, "no_agents", "no_agents"), SHOWN + 10 * SECOND)).isEqualTo(new Out.CallbackOffer("no_agents", null));
    }

    @Test
    void anOfferToldLongAgoIsWithdrawnAtOnce() {
        OfferTold told = new OfferTold();
        told.next(place(null, "no_agents", "no_agents"), 0);
        assertThat(told.next(place(null, "no_agents", "no_agents"), 60 * SECOND)).isNull();
        // the wait is under the threshold but within a quarter of it: the no_agents words are wrong now all the same
        assertThat(told.next(place(500, null, "long_wait"), 61 * SECOND)).isEqualTo(new Out.CallbackOfferWithdrawn("no_agents"));
    }

    @Test
    void aMorePressingReasonIsToldAtOnceAndALessPressingOneOnlyOnceTheToldOneIsGone() {
        OfferTold told = new OfferTold();
        told.next(place(700, "long_wait", "long_wait"), 0);
        assertThat(told.next(place(700, "closing", "closing"), SECOND)).isEqualTo(new Out.CallbackOffer("closing", 700));
        // the estimate shrank a little: no longer past closing time, but close to it; the closing words stay
        assertThat(told.next(place(650, "long_wait", "closing"), 2 * SECOND)).isNull();
        // well before closing time now: the reason that holds is told
        assertThat(told.next(place(500, "long_wait", "long_wait"), 3 * SECOND)).isEqualTo(new Out.CallbackOffer("long_wait", 500));
    }

    @Test
    void backInTheQueueAfterBeingServedNothingIsWithdrawnThatWasNotShown() {
        OfferTold told = new OfferTold();
        told.next(place(null, "no_agents", "no_agents"), 0);
        told.left(); // an agent took the conversation: the widget put the offer away itself
        assertThat(told.next(place(0, null, null), 60 * SECOND)).isNull();
        assertThat(told.next(place(null, "no_agents", "no_agents"), 61 * SECOND)).isEqualTo(new Out.CallbackOffer("no_agents", null));
    }
}
