// Small formatting rules shared by several screens.

import type { Lang, Strings } from './strings';
import { formatWait } from './wait';

export type CallbackWindow = 'asap' | 'morning' | 'afternoon';

/** "Wachttijd: ongeveer 5–20 minuten." or "Wachttijd onbekend." */
export function waitSentence(ewt: number | null | undefined, s: Strings): string {
  return ewt == null ? capital(s.waitUnknown) + '.' : s.queueWait(formatWait(ewt, s));
}

export function capital(t: string): string {
  return t.charAt(0).toUpperCase() + t.slice(1);
}

/** A moment as a resident reads it, in the municipality's time zone: "maandag 30 november om 08:30". */
export function formatWhen(iso: string, lang: Lang): string {
  try {
    return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      hour: '2-digit',
      minute: '2-digit',
      timeZone: 'Europe/Amsterdam',
    }).format(new Date(iso));
  } catch {
    return iso;
  }
}

export function windowName(w: CallbackWindow, s: Strings): string {
  return w === 'morning' ? s.windowMorning : w === 'afternoon' ? s.windowAfternoon : s.windowAsap;
}

/** Links from the topic catalogue are http(s) only: no javascript: URLs on the municipal site. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url, document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '#';
  } catch {
    return '#';
  }
}

/**
 * The end of a period: "zondag 1 maart" when it ends at midnight in Amsterdam (the usual case:
 * "until a date"), with the time otherwise, and with the year when it is not this year's.
 */
export function formatUntil(iso: string, lang: Lang, now = new Date()): string | null {
  const d = new Date(iso);
  if (isNaN(d.getTime())) return null;
  const zone = 'Europe/Amsterdam';
  const part = (date: Date, opts: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, ...opts }).format(date);
  const midnight = part(d, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }) === '00:00';
  const sameYear = part(d, { year: 'numeric' }) === part(now, { year: 'numeric' });
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'nl-NL', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    ...(sameYear ? {} : { year: 'numeric' }),
    ...(midnight ? {} : { hour: '2-digit', minute: '2-digit' }),
    timeZone: zone,
  }).format(d);
}
