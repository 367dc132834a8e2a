package nl.loket.resident;

import nl.loket.resident.ResidentProtocol.Out;

/**
 * What one resident connection has told about the callback offer (docs/protocol.md §4), and what
 * it tells next. Pure, and touched only in its session's pump runs.
 *
 * <ul>
 *   <li>The first place of a connection says whether an offer stands: the offer, or a
 *       withdrawal without a reason (a widget that showed an offer before a drop drops it).</li>
 *   <li>An offer is told when a reason starts to hold, or when a reason other than the one told
 *       holds and the told one would not hold even with a quarter more wait.</li>
 *   <li>It is withdrawn once no reason holds and the told one would not hold even with a
 *       quarter more wait, and not before it has stood {@link #MIN_SHOWN_NANOS}. An estimate
 *       hovering around the line does not make it come and go, nor does an agent's page reload
 *       that makes nobody available for a second.</li>
 * </ul>
 * The place carries both reasons, worked out once per topic per tick ({@link WaitingRoom}); this
 * is a comparison or two per resident.
 */
final class OfferTold {

    /** How long, at least, a told offer stands before it is withdrawn. */
    static final long MIN_SHOWN_NANOS = 10_000_000_000L;

    /** The reason of the offer standing on this connection, or null. */
    private String told;
    private long toldAt;
    /** This connection said whether an offer stands. */
    private boolean settled;

    /** What to tell for this place at {@code nowNanos} (System.nanoTime()), or null: nothing. */
    Out next(WaitingRoom.Place p, long nowNanos) {
        String reason = p.offer();
        boolean toldStays = told != null && told.equals(p.offerLoosely());
        if (reason != null) {
            settled = true;
            if (reason.equals(told) || toldStays) {
                return null;
            }
            told = reason;
            toldAt = nowNanos;
            return new Out.CallbackOffer(reason, p.estimatedWaitSeconds());
        }
        if (!settled) {
            settled = true;
            return new Out.CallbackOfferWithdrawn(null);
        }
        if (told == null || toldStays || nowNanos - toldAt < MIN_SHOWN_NANOS) {
            return null;
        }
        String was = told;
        told = null;
        return new Out.CallbackOfferWithdrawn(was);
    }

    /** The resident is no longer waiting: the widget puts the offer away itself, and nothing stands. */
    void left() {
        told = null;
        settled = true;
    }
}
