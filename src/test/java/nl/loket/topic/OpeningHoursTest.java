package nl.loket.topic;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class OpeningHoursTest {

    private static OpeningHours weekdays(Set<LocalDate> closed) {
        Map<DayOfWeek, List<OpeningHours.Period>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
            week.put(d, List.of(new OpeningHours.Period(LocalTime.of(8, 30), LocalTime.of(17, 0))));
        }
        return new OpeningHours(week, closed);
    }

    @Test
    void openOnWeekdaysInAmsterdamTime() {
        OpeningHours hours = weekdays(Set.of());
        // Monday 30 November 2026: CET = UTC+1
        assertThat(hours.isOpen(Instant.parse("2026-11-30T07:29:59Z"))).isFalse();
        assertThat(hours.isOpen(Instant.parse("2026-11-30T07:30:00Z"))).isTrue();
        assertThat(hours.isOpen(Instant.parse("2026-11-30T15:59:59Z"))).isTrue();
        assertThat(hours.isOpen(Instant.parse("2026-11-30T16:00:00Z"))).isFalse();
        assertThat(hours.isOpen(Instant.parse("2026-11-28T10:00:00Z"))).as("Saturday").isFalse();
    }

    @Test
    void summerTimeShiftsTheUtcHours() {
        // Monday 29 June 2026: CEST = UTC+2
        assertThat(weekdays(Set.of()).isOpen(Instant.parse("2026-06-29T06:30:00Z"))).isTrue();
        assertThat(weekdays(Set.of()).isOpen(Instant.parse("2026-06-29T15:00:00Z"))).isFalse();
    }

    @Test
    void nextOpeningSkipsWeekendsAndClosedDates() {
        OpeningHours hours = weekdays(Set.of(LocalDate.of(2026, 11, 30)));
        // Friday evening → Monday is closed → Tuesday 08:30 CET
        assertThat(hours.nextOpening(Instant.parse("2026-11-27T18:00:00Z"))).contains(Instant.parse("2026-12-01T07:30:00Z"));
        assertThat(hours.isOpen(Instant.parse("2026-11-30T10:00:00Z"))).isFalse();
    }

    @Test
    void closingTimeIsTheEndOfTheCurrentPeriod() {
        OpeningHours hours = weekdays(Set.of());
        assertThat(hours.closingTime(Instant.parse("2026-11-30T10:00:00Z"))).contains(Instant.parse("2026-11-30T16:00:00Z"));
        assertThat(hours.closingTime(Instant.parse("2026-11-30T20:00:00Z"))).isEmpty();
    }

    @Test
    void periodsThatTouchOrOverlapCloseOnlyAtTheirLastEnd() {
        Map<DayOfWeek, List<OpeningHours.Period>> week = new EnumMap<>(DayOfWeek.class);
        week.put(DayOfWeek.MONDAY, List.of(new OpeningHours.Period(LocalTime.of(8, 30), LocalTime.of(12, 0)),
                new OpeningHours.Period(LocalTime.of(12, 0), LocalTime.of(14, 0)),
                new OpeningHours.Period(LocalTime.of(13, 0), LocalTime.of(17, 0)),
                new OpeningHours.Period(LocalTime.of(19, 0), LocalTime.of(21, 0))));
        OpeningHours hours = new OpeningHours(week, Set.of());
        // Monday 30 November 2026, 11:55 CET: open on until 17:00, not "closing" at 12:00
        assertThat(hours.closingTime(Instant.parse("2026-11-30T10:55:00Z"))).contains(Instant.parse("2026-11-30T16:00:00Z"));
        // a gap closes: 17:00 to 19:00
        assertThat(hours.closingTime(Instant.parse("2026-11-30T18:30:00Z"))).contains(Instant.parse("2026-11-30T20:00:00Z"));
    }

    @Test
    void aPeriodToMidnightRunsIntoTheNextDaysFirst() {
        Map<DayOfWeek, List<OpeningHours.Period>> week = new EnumMap<>(DayOfWeek.class);
        week.put(DayOfWeek.FRIDAY, List.of(new OpeningHours.Period(LocalTime.of(18, 0), OpeningHours.time("24:00"))));
        week.put(DayOfWeek.SATURDAY, List.of(new OpeningHours.Period(OpeningHours.time("00:00"), LocalTime.of(2, 0))));
        OpeningHours hours = new OpeningHours(week, Set.of());
        // Friday 27 November 2026, 23:30 CET: open until Saturday 02:00 CET
        assertThat(hours.isOpen(Instant.parse("2026-11-27T22:59:59Z"))).isTrue();
        assertThat(hours.closingTime(Instant.parse("2026-11-27T22:30:00Z"))).contains(Instant.parse("2026-11-28T01:00:00Z"));
        // Saturday closed: Friday ends at midnight
        OpeningHours closedSaturday = new OpeningHours(week, Set.of(LocalDate.of(2026, 11, 28)));
        assertThat(closedSaturday.closingTime(Instant.parse("2026-11-27T22:30:00Z")))
                .contains(LocalDate.of(2026, 11, 27).atTime(LocalTime.MAX).atZone(OpeningHours.ZONE).toInstant());
    }

    @Test
    void openAroundTheClockClosesAtTheFirstClosedDate() {
        Map<DayOfWeek, List<OpeningHours.Period>> week = new EnumMap<>(DayOfWeek.class);
        for (DayOfWeek d : DayOfWeek.values()) {
            week.put(d, List.of(new OpeningHours.Period(LocalTime.MIDNIGHT, OpeningHours.time("24:00"))));
        }
        OpeningHours hours = new OpeningHours(week, Set.of(LocalDate.of(2026, 12, 25)));
        assertThat(hours.closingTime(Instant.parse("2026-12-21T10:00:00Z")))
                .contains(LocalDate.of(2026, 12, 24).atTime(LocalTime.MAX).atZone(OpeningHours.ZONE).toInstant());
        assertThat(OpeningHours.time("08:30")).isEqualTo(LocalTime.of(8, 30));
    }

    @Test
    void anEndInTheHourThatHappensTwiceIsTheOneOfTheRunWeAreIn() {
        // Sunday 25 October 2026: summer time ends at 03:00 CEST (01:00Z), 02:00-03:00 happens twice
        Map<DayOfWeek, List<OpeningHours.Period>> week = new EnumMap<>(DayOfWeek.class);
        week.put(DayOfWeek.SUNDAY, List.of(new OpeningHours.Period(LocalTime.MIDNIGHT, LocalTime.of(2, 30))));
        OpeningHours hours = new OpeningHours(week, Set.of());
        // the first 02:15 (CEST, 00:15Z): closes at the first 02:30 (00:30Z)
        assertThat(hours.closingTime(Instant.parse("2026-10-25T00:15:00Z"))).contains(Instant.parse("2026-10-25T00:30:00Z"));
        // the second 02:15 (CET, 01:15Z) is open again; it closes at the second 02:30 (01:30Z), not at one already past
        assertThat(hours.isOpen(Instant.parse("2026-10-25T01:15:00Z"))).isTrue();
        assertThat(hours.closingTime(Instant.parse("2026-10-25T01:15:00Z"))).contains(Instant.parse("2026-10-25T01:30:00Z"));
        // between the two runs (02:45 CEST) it is closed
        assertThat(hours.closingTime(Instant.parse("2026-10-25T00:45:00Z"))).isEmpty();
    }

    @Test
    void neverOpenHasNoNextOpening() {
        assertThat(new OpeningHours(Map.of(), Set.of()).nextOpening(Instant.parse("2026-11-30T10:00:00Z"))).isEmpty();
    }
}
