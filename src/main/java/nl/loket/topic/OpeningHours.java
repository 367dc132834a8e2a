package nl.loket.topic;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A topic's weekly schedule in Europe/Amsterdam plus the dates it is closed. Pure: the caller
 * passes the clock.
 */
public record OpeningHours(Map<DayOfWeek, List<Period>> week, Set<LocalDate> closedDates) {

    public static final ZoneId ZONE = ZoneId.of("Europe/Amsterdam");

    public record Period(LocalTime from, LocalTime to) {
    }

    public boolean isOpen(Instant at) {
        ZonedDateTime local = at.atZone(ZONE);
        if (closedDates.contains(local.toLocalDate())) {
            return false;
        }
        LocalTime time = local.toLocalTime();
        return week.getOrDefault(local.getDayOfWeek(), List.of()).stream()
                .anyMatch(p -> !time.isBefore(p.from()) && time.isBefore(p.to()));
    }

    /** When the topic next opens after {@code at} (within two weeks), or empty if never. */
    public Optional<Instant> nextOpening(Instant at) {
        ZonedDateTime local = at.atZone(ZONE);
        for (int day = 0; day <= 14; day++) {
            LocalDate date = local.toLocalDate().plusDays(day);
            if (closedDates.contains(date)) {
                continue;
            }
            for (Period p : week.getOrDefault(date.getDayOfWeek(), List.of()).stream()
                    .sorted((a, b) -> a.from().compareTo(b.from())).toList()) {
                Instant start = date.atTime(p.from()).atZone(ZONE).toInstant();
                if (start.isAfter(at)) {
                    return Optional.of(start);
                }
            }
        }
        return Optional.empty();
    }

    /** Closed all day at {@code at}: a closed date (these win over everything, LOKET_ALWAYS_OPEN too). */
    public boolean closedDay(Instant at) {
        return closedDates.contains(at.atZone(ZONE).toLocalDate());
    }

    /** The start of the first day after {@code at}'s day that is not a closed date (within two weeks), for a topic open around the clock. */
    public Optional<Instant> nextOpenDay(Instant at) {
        LocalDate today = at.atZone(ZONE).toLocalDate();
        for (int day = 1; day <= 14; day++) {
            LocalDate date = today.plusDays(day);
            if (!closedDates.contains(date)) {
                return Optional.of(date.atStartOfDay(ZONE).toInstant());
            }
        }
        return Optional.empty();
    }

    /** When the current open period ends, if the topic is open at {@code at}. */
    public Optional<Instant> closingTime(Instant at) {
        if (!isOpen(at)) {
            return Optional.empty();
        }
        ZonedDateTime local = at.atZone(ZONE);
        LocalTime time = local.toLocalTime();
        return week.getOrDefault(local.getDayOfWeek(), List.of()).stream()
                .filter(p -> !time.isBefore(p.from()) && time.isBefore(p.to()))
                .map(p -> local.toLocalDate().atTime(p.to()).atZone(ZONE).toInstant())
                .findFirst();
    }
}
