// Dates and times as the KCC reads them: Europe/Amsterdam wall time, whatever the browser's zone.
// The API speaks UTC instants and Amsterdam days (yyyy-mm-dd).

export const ZONE = 'Europe/Amsterdam';

const PARTS = new Intl.DateTimeFormat('en-US', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

function wallClock(ms: number): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts = PARTS.formatToParts(new Date(ms));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

/** How far Amsterdam is ahead of UTC at this instant, in ms (3 600 000 in winter, 7 200 000 in summer). */
export function amsterdamOffsetMs(ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const w = wallClock(whole);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - whole;
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/;

/**
 * A `datetime-local` value read as Amsterdam wall time → ISO instant (UTC). Null when empty or
 * malformed. In the hour that does not exist (spring forward) the result lands an hour later.
 */
export function amsterdamLocalToIso(local: string): string | null {
  const m = LOCAL.exec(local.trim());
  if (!m) return null;
  const naive = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  if (Number.isNaN(naive)) return null;
  let guess = naive - amsterdamOffsetMs(naive);
  guess = naive - amsterdamOffsetMs(guess);
  return new Date(guess).toISOString();
}

/** An ISO instant → a `datetime-local` value in Amsterdam wall time ("" when absent). */
export function isoToAmsterdamLocal(iso: string | null | undefined): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '';
  const w = wallClock(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${p(w.mo)}-${p(w.d)}T${p(w.h)}:${p(w.mi)}`;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isDay(value: string): boolean {
  const m = DAY.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
}

/** yyyy-mm-dd plus n days (calendar days, no zone involved). */
export function addDays(day: string, n: number): string {
  const m = DAY.exec(day);
  if (!m) return day;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3] + n));
  return d.toISOString().slice(0, 10);
}

/** The instant an Amsterdam day starts, for APIs that filter on instants (the audit log). */
export function amsterdamDayStart(day: string): string | null {
  return isDay(day) ? amsterdamLocalToIso(day + 'T00:00') : null;
}

/** "vr 25 dec 2026" / "Fri 25 Dec 2026" for a yyyy-mm-dd day. */
export function formatDay(day: string, lang: 'nl' | 'en'): string {
  if (!isDay(day)) return day;
  const [y, m, d] = day.split('-').map(Number);
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** "25 dec 2026 14:05" in Amsterdam time, with the year (history and audit span years). */
export function formatInstant(iso: string | null | undefined, lang: 'nl' | 'en'): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZone: ZONE,
  }).format(d);
}
