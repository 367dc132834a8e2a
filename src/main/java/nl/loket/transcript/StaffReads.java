package nl.loket.transcript;

import nl.loket.audit.Audit;
import nl.loket.platform.Problem;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** What the supervisors' and administrators' reads share: the role an audit entry names, and periods of Amsterdam days. */
final class StaffReads {

    private StaffReads() {
    }

    /** The role the audit log names for this reader: the most specific one their token carries. */
    static String role(JsonWebToken jwt) {
        return Audit.role(jwt.getGroups());
    }

    /** A period of Amsterdam days, both inclusive, at most a year. */
    static void checkPeriod(LocalDate from, LocalDate to, List<Problem.FieldError> errors) {
        if (from != null && to != null && (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) > 366)) {
            errors.add(new Problem.FieldError("to", "op of na from, hoogstens een jaar later / on or after from, at most a year later"));
        }
    }

    /** SQL for "instant {@code column} lies in the Amsterdam days $a..$b" (both inclusive). */
    static String inDays(String column, int from, int to) {
        return column + " >= ($" + from + "::date)::timestamp at time zone 'Europe/Amsterdam' and "
                + column + " < ($" + to + "::date + 1)::timestamp at time zone 'Europe/Amsterdam'";
    }
}
