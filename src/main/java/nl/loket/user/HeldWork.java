package nl.loket.user;

import io.smallrye.mutiny.Uni;
import nl.loket.platform.Db;

import java.util.UUID;

/**
 * Work a staff member holds that their colleagues must get back when the account can no longer
 * do it: disabled, or without the role that does it (the callback requests they claimed).
 * Implemented by the feature that owns the work, on a higher floor; {@link UserRepository} calls
 * it in the transaction that changes the account.
 */
public interface HeldWork {

    /** Gives back everything {@code userId} holds, in {@code tx}. */
    Uni<Void> giveBack(Db.Tx tx, UUID userId);
}
