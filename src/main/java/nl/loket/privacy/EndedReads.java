package nl.loket.privacy;

import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.config.LoketConfig;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a resident token still reads its conversation after the end: the open page's needs
 * (its transcript download) for {@code loket.privacy.resident-read-after-end} (15 min), not the
 * rest of the token's 24 h. After that the resident's REST reads answer 403 {@code access-ended}
 * and the socket an {@code access_ended} error, so a token left in a browser (a reopened tab, a
 * library computer) no longer opens the transcript, nor the callback request the chat became (its
 * phone number, name and note; that request's own token still opens it, and reads it until the
 * same while after the request itself ended). Staff and integrators
 * are not affected, nor the rating (it reads nothing) (README, *Privacy*).
 */
@ApplicationScoped
public class EndedReads {

    /** The problem's and error's text, Dutch first. */
    public static final String MESSAGE = "Dit gesprek is beëindigd en is hier niet meer te lezen. / "
            + "This conversation has ended and can no longer be read here.";

    private final Duration grace;

    public EndedReads(LoketConfig config) {
        this.grace = config.privacy().residentReadAfterEnd();
    }

    /** Whether a conversation that ended at {@code closedAt} (null: not ended) is past what its resident may still read. */
    public boolean over(Instant closedAt) {
        return closedAt != null && closedAt.plus(grace).isBefore(Instant.now());
    }
}
