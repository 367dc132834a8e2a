// Scales for the small hourly chart: round axis maxima, ticks, bar heights, the hours worth showing.

import type { HourStats } from './protocol';

/** The smallest "round" number (1, 2, 2.5, 5 × 10^n) at or above the value; 1 for nothing. */
export function niceMax(value: number): number {
  if (!Number.isFinite(value) || value <= 0) return 1;
  const exp = Math.floor(Math.log10(value));
  const base = 10 ** exp;
  for (const step of [1, 2, 2.5, 5, 10]) {
    const candidate = step * base;
    if (candidate >= value - 1e-9) return exp < 0 ? Number(candidate.toFixed(-exp + 1)) : candidate;
  }
  return 10 * base;
}

/**
 * Ticks from 0 to a niceMax() value in round steps (10 → 0, 2, 4 …; 2.5 → 0, 0.5, 1 …). For
 * counts, `whole` keeps only whole numbers: half a conversation is not a thing.
 */
export function ticks(max: number, whole = false): number[] {
  const lead = max / 10 ** Math.floor(Math.log10(max));
  const count = Math.abs(lead - 2) < 1e-9 ? 4 : 5;
  const all = Array.from({ length: count + 1 }, (_, i) => Math.round(((max * i) / count) * 1000) / 1000);
  return whole ? all.filter((v) => Number.isInteger(v)) : all;
}

/**
 * The labels of an axis's ticks in the console's language, with as many decimals as the finest
 * tick needs (0.05 steps get two), so no two ticks read the same.
 */
export function axisLabels(values: readonly number[], lang: 'nl' | 'en'): string[] {
  const decimals = Math.max(0, ...values.map((v) => (String(Math.round(v * 1000) / 1000).split('.')[1] ?? '').length));
  return values.map((v) => v.toLocaleString(lang === 'en' ? 'en-GB' : 'nl-NL', { maximumFractionDigits: decimals }));
}

/** A bar's height in px for a value on a 0..max axis; a non-zero value is never invisible. */
export function barHeight(value: number | null | undefined, max: number, height: number): number {
  if (!value || value <= 0 || max <= 0) return 0;
  return Math.max(1, Math.round((Math.min(value, max) / max) * height));
}

/**
 * The hours to draw: at least office hours (8–18), widened to every hour with any activity, so a
 * quiet night does not squeeze the day into a corner and an evening peak is never cut off.
 */
export function hourWindow(hours: readonly HourStats[], minStart = 8, minEnd = 18): [number, number] {
  let start = minStart;
  let end = minEnd;
  for (const h of hours) {
    const busy = h.offered > 0 || h.answered > 0 || h.abandoned > 0 || h.callbacks > 0;
    if (!busy) continue;
    start = Math.min(start, h.hour);
    end = Math.max(end, h.hour);
  }
  return [start, end];
}

/** 24 entries in hour order, whatever the server left out or repeated. */
export function fullDay(hours: readonly HourStats[]): HourStats[] {
  const byHour = new Map(hours.filter((h) => h.hour >= 0 && h.hour <= 23).map((h) => [h.hour, h]));
  return Array.from(
    { length: 24 },
    (_, hour) =>
      byHour.get(hour) ?? { hour, offered: 0, answered: 0, abandoned: 0, callbacks: 0, waiting: 0, medianWaitSeconds: null, p90WaitSeconds: null },
  );
}

/** The busiest hour by offered conversations (the earliest of equals); null on a day without any. */
export function peakHour(hours: readonly HourStats[]): HourStats | null {
  let best: HourStats | null = null;
  for (const h of hours) if (h.offered > 0 && (!best || h.offered > best.offered)) best = h;
  return best;
}
