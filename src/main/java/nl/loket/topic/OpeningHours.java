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

    /** A time as an administrator writes it: "HH:mm" or "HH:mm:ss", and "24:00" for the end of the day. */
    public static LocalTime time(String written) {
        return "24:00".equals(written) || "24:00:00".equals(written) ? LocalTime.MAX : LocalTime.parse(written);
    }

    /** A time as an administrator writes it, the inverse of {@link #time}: the end of the day is "24:00". */
    public static String written(LocalTime time) {
        return LocalTime.MAX.equals(time) ? "24:00" : time.toString();
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

    /**
     * When the topic closes, if it is open at {@code at}: the end of the current period, or of the
     * ones that follow on from it (a period that starts where this one ends or before, the next
     * day's from 00:00 after one to "24:00"), at most two weeks ahead. Two periods that touch are
     * not a closing: a resident is not offered a callback because the day is written in two parts.
     */
    public Optional<Instant> closingTime(Instant at) {
        Optional<Instant> end = endOfPeriodsAt(at);
        for (int step = 0; end.isPresent() && step < 14 * 8; step++) {
            Instant e = end.get();
            // a period to "24:00" ends on the day's last nanosecond: the next day's 00:00 follows on
            Instant probe = e.atZone(ZONE).toLocalTime().equals(LocalTime.MAX) ? e.plusNanos(1) : e;
            Optional<Instant> next = endOfPeriodsAt(probe);
            if (next.isEmpty() || !next.get().isAfter(e)) {
                break;
            }
            end = next;
        }
        return end;
    }

    /**
     * The latest end of the periods that hold {@code at}, if any does (and the day is not closed).
     * An end in the hour that happens twice when summer time ends is taken in {@code at}'s offset
     * where it can be: at the second 02:15 (CET) a period to 02:30 ends at the second 02:30, not
     * at the first, which has passed.
     */
    private Optional<Instant> endOfPeriodsAt(Instant at) {
        if (!isOpen(at)) {
            return Optional.empty();
        }
        ZonedDateTime local = at.atZone(ZONE);
        LocalTime time = local.toLocalTime();
        return week.getOrDefault(local.getDayOfWeek(), List.of()).stream()
                .filter(p -> !time.isBefore(p.from()) && time.isBefore(p.to()))
                .map(p -> ZonedDateTime.ofLocal(local.toLocalDate().atTime(p.to()), ZONE, local.getOffset()).toInstant())
                .max(Instant::compareTo);
    }
}
