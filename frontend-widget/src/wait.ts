import type { Strings } from './strings';

/**
 * The wait a resident is shown: a range, never a promise. The service's estimate (EWT) held
 * every actual wait of its scripted day within [EWT/2, max(2·EWT, 5 min)] (see the README), so
 * that is the range; `null` means no agent is available and the wait is unknown, not zero.
 */
export function waitRange(ewtSeconds: number | null | undefined): { lo: number; hi: number } | null {
  if (ewtSeconds == null || !Number.isFinite(ewtSeconds) || ewtSeconds < 0) return null;
  return { lo: ewtSeconds / 2, hi: Math.max(2 * ewtSeconds, 300) };
}

/** Minutes rounded to what a person says: whole minutes below 10, then fives. */
function roundMinutes(seconds: number, up: boolean): number {
  const m = seconds / 60;
  const step = m < 10 ? 1 : 5;
  return (up ? Math.ceil(m / step) : Math.floor(m / step)) * step;
}

export function formatWait(ewtSeconds: number | null | undefined, s: Strings): string {
  const range = waitRange(ewtSeconds);
  if (!range) return s.waitUnknown;
  const lo = roundMinutes(range.lo, false);
  const hi = roundMinutes(range.hi, true);
  if (lo < 1) return s.waitUnder(hi);
  if (hi <= 90) return s.waitMinutes(lo, Math.max(hi, lo + 1));
  const hiHours = Math.ceil(hi / 60);
  if (lo < 60) return s.waitMinutesHours(lo, hiHours);
  return s.waitHours(Math.floor(lo / 60), Math.max(hiHours, Math.floor(lo / 60) + 1));
}
