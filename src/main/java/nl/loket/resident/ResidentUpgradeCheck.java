package nl.loket.resident;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import nl.loket.security.UpgradeChecks;

/** A resident upgrade with an {@code after} that is not a plain number is refused with 400 before it opens. */
@ApplicationScoped
public class ResidentUpgradeCheck implements HttpUpgradeCheck {

    @Override
    public boolean appliesTo(String endpointId) {
        return UpgradeChecks.RESIDENT_ENDPOINT.equals(endpointId);
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        return After.valid(context.httpRequest().query()) ? CheckResult.permitUpgrade() : CheckResult.rejectUpgrade(400);
    }
}
