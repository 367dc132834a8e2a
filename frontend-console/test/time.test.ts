import { describe, expect, it } from 'vitest';
import { addDays, amsterdamDayStart, amsterdamLocalToIso, amsterdamOffsetMs, formatDay, formatInstant, isDay, isoToAmsterdamLocal } from '../src/time';

describe('Amsterdam wall time', () => {
  it('knows the offset in winter and summer', () => {
    expect(amsterdamOffsetMs(Date.parse('2026-01-15T12:00:00Z'))).toBe(3_600_000);
    expect(amsterdamOffsetMs(Date.parse('2026-07-15T12:00:00Z'))).toBe(7_200_000);
  });

  it('reads a datetime-local value as Dutch time, whatever the browser zone', () => {
    expect(amsterdamLocalToIso('2026-03-01T17:00')).toBe('2026-03-01T16:00:00.000Z');
    expect(amsterdamLocalToIso('2026-07-01T09:30')).toBe('2026-07-01T07:30:00.000Z');
    // the night the clocks go forward (29 March 2026, 02:00 → 03:00) and back (25 October, 03:00 → 02:00)
    expect(amsterdamLocalToIso('2026-03-29T01:30')).toBe('2026-03-29T00:30:00.000Z');
    expect(amsterdamLocalToIso('2026-03-29T03:30')).toBe('2026-03-29T01:30:00.000Z');
    expect(amsterdamLocalToIso('2026-10-25T04:00')).toBe('2026-10-25T03:00:00.000Z');
    expect(amsterdamLocalToIso('')).toBeNull();
    expect(amsterdamLocalToIso('1 maart')).toBeNull();
  });

  it('shows an instant back as the value the input had', () => {
    for (const local of ['2026-03-01T17:00', '2026-07-01T09:30', '2026-12-31T23:59', '2026-10-25T04:00']) {
      expect(isoToAmsterdamLocal(amsterdamLocalToIso(local))).toBe(local);
    }
    expect(isoToAmsterdamLocal(null)).toBe('');
    expect(isoToAmsterdamLocal('nonsense')).toBe('');
  });

  it('handles days: valid ones, adding days over month ends, the start of an Amsterdam day', () => {
    expect(isDay('2026-02-28')).toBe(true);
    expect(isDay('2026-02-29')).toBe(false);
    expect(isDay('2026-2-1')).toBe(false);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
    expect(amsterdamDayStart('2026-06-01')).toBe('2026-05-31T22:00:00.000Z');
    expect(amsterdamDayStart('2026-12-01')).toBe('2026-11-30T23:00:00.000Z');
    expect(amsterdamDayStart('gisteren')).toBeNull();
  });

  it('formats days and instants for people, in the page language', () => {
    expect(formatDay('2026-12-25', 'nl')).toBe('vr 25 dec 2026');
    expect(formatDay('2026-12-25', 'en')).toBe('Fri, 25 Dec 2026');
    expect(formatInstant('2026-03-01T16:00:00Z', 'nl')).toBe('1 mrt 2026, 17:00');
    expect(formatInstant(null, 'nl')).toBe('');
  });
});
