// Form checks before a request goes out, and the server's problem+json field errors mapped back
// onto the fields. The server checks everything again; these only save a round trip and say
// it in the page's language.

import { bilingual } from './api';
import type { T } from './i18n';
import type { FieldError, NoticeKind } from './protocol';
import { amsterdamLocalToIso } from './time';

/** The messages for one field: its own, and those of its parts ("openingHours.mon", "topics[2]"). */
export function errorsFor(errors: readonly FieldError[], field: string): string[] {
  return errors
    .filter((e) => e.field === field || e.field.startsWith(field + '.') || e.field.startsWith(field + '['))
    .map((e) => e.message);
}

/** The messages about a group as a whole ("closedDates", "digitalAlternatives.url"), not about one of its numbered rows. */
export function groupErrors(errors: readonly FieldError[], field: string): string[] {
  return errors.filter((e) => e.field === field || e.field.startsWith(field + '.')).map((e) => e.message);
}

/** Errors that no shown field claims: they go into the form's summary so that nothing is lost. */
export function unclaimed(errors: readonly FieldError[], fields: readonly string[]): FieldError[] {
  return errors.filter((e) => !fields.some((f) => e.field === f || e.field.startsWith(f + '.') || e.field.startsWith(f + '[')));
}

/** Server messages come as "Nederlands / English": keep the half for the page language. */
export function localise(errors: readonly FieldError[] | undefined, lang: 'nl' | 'en'): FieldError[] {
  return (errors ?? []).map((e) => ({ field: e.field, message: bilingual(e.message, lang) }));
}

/** A refusal (an agent socket's `error` frame, a problem+json) with its message and field errors in the page language. */
export function localiseFailure(f: { message: string; errors?: readonly FieldError[] }, lang: 'nl' | 'en'): { message: string; errors: FieldError[] } {
  return { message: bilingual(f.message, lang), errors: localise(f.errors, lang) };
}

/**
 * Field errors as lines for a form's summary: "Label: message" for a field the form names in
 * `labels`, the bare message otherwise; the server's field names mean nothing to the agent.
 */
export function errorLines(errors: readonly FieldError[], labels: Readonly<Record<string, string>>): string[] {
  return errors.map((e) => (labels[e.field] ? `${labels[e.field]}: ${e.message}` : e.message));
}

/**
 * A refusal laid out over a form: the messages of the fields the form shows (`fields`), each by
 * its field, and everything else in the form's summary (the message and a line per other field
 * error, see errorLines), so that no error is lost. No summary when the shown fields say it all.
 */
export function failureOnForm(
  failure: { message: string; errors?: readonly FieldError[] } | null,
  fields: readonly string[],
  labels: Readonly<Record<string, string>>,
): { fields: Record<string, string[]>; summary: { message: string; lines: string[] } | null } {
  const errors = failure?.errors ?? [];
  const byField = Object.fromEntries(fields.map((f) => [f, errorsFor(errors, f)]));
  if (!failure) return { fields: byField, summary: null };
  const rest = unclaimed(errors, fields);
  if (errors.length > 0 && rest.length === 0) return { fields: byField, summary: null };
  return { fields: byField, summary: { message: failure.message, lines: errorLines(rest, labels) } };
}

/**
 * A list of checked choices after one checkbox changed: checked puts the item last (once, however
 * often the change arrives), unchecked takes it out.
 */
export function withChoice<X>(list: readonly X[], item: X, checked: boolean): X[] {
  const rest = list.filter((x) => x !== item);
  return checked ? [...rest, item] : rest;
}

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

/**
 * A period's end as the server keeps it: a time field cannot hold "24:00", so a period that
 * closes at 00:00 runs until midnight, and is sent as "24:00".
 */
export function periodEnd(to: string): string {
  return to === '00:00' ? '24:00' : to;
}

/**
 * A period's end as a time field shows it: "24:00" (midnight) as 00:00. An end written as the
 * day's last instant ("23:59:59.999…", as servers before 24:00 was written back answered) is
 * midnight too: shown as is, the field would be empty and the form could not be saved.
 */
export function shownEnd(to: string): string {
  return to === '24:00' || to === '24:00:00' || /^23:59:59\.9+$/.test(to) ? '00:00' : to;
}
const TOPIC_ID = /^[a-z0-9][a-z0-9-]{1,39}$/;
const USERNAME = /^[a-zA-Z0-9._@-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SLUG = /^[a-z0-9][a-z0-9-]{1,39}$/;

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && !!u.hostname;
  } catch {
    return false;
  }
}

function intIn(value: string, min: number, max: number): boolean {
  if (!/^\d+$/.test(value.trim())) return false;
  const n = Number(value);
  return n >= min && n <= max;
}

export interface CapacityForm {
  short: boolean;
  until: string; // datetime-local, Amsterdam
  reason: string;
}

export function checkCapacity(f: CapacityForm, t: T, now = Date.now()): FieldError[] {
  const errors: FieldError[] = [];
  if (f.until) {
    const iso = amsterdamLocalToIso(f.until);
    if (!iso) errors.push({ field: 'until', message: t('errDateTime') });
    else if (Date.parse(iso) <= now) errors.push({ field: 'until', message: t('errInPast') });
  }
  if (f.reason.trim().length > 500) errors.push({ field: 'reason', message: t('errMax', { max: 500 }) });
  return errors;
}

export const NOTICE_KINDS: NoticeKind[] = ['normal', 'reduced', 'appointment_only', 'unreachable'];

export interface NoticeForm {
  kind: NoticeKind | '';
  from: string; // datetime-local; empty = now
  until: string; // datetime-local; empty = until ended
  agentText: string;
  residentText: string;
}

export function checkNotice(f: NoticeForm, t: T, now = Date.now()): FieldError[] {
  const errors: FieldError[] = [];
  if (!NOTICE_KINDS.includes(f.kind as NoticeKind)) errors.push({ field: 'kind', message: t('errChoose') });
  const from = f.from ? amsterdamLocalToIso(f.from) : null;
  if (f.from && !from) errors.push({ field: 'from', message: t('errDateTime') });
  if (f.until) {
    const until = amsterdamLocalToIso(f.until);
    if (!until) errors.push({ field: 'until', message: t('errDateTime') });
    else if (Date.parse(until) <= (from ? Date.parse(from) : now)) errors.push({ field: 'until', message: t('errUntilAfterFrom') });
  }
  const agent = f.agentText.trim();
  if (!agent) errors.push({ field: 'agentText', message: t('required') });
  else if (agent.length > 1000) errors.push({ field: 'agentText', message: t('errMax', { max: 1000 }) });
  if (f.residentText.trim().length > 500) errors.push({ field: 'residentText', message: t('errMax', { max: 500 }) });
  return errors;
}

/** The notice as POST /api/v1/departments/{id}/notices takes it. */
export function noticeBody(f: NoticeForm): Record<string, string> {
  const body: Record<string, string> = { kind: f.kind, agentText: f.agentText.trim() };
  const from = f.from ? amsterdamLocalToIso(f.from) : null;
  const until = f.until ? amsterdamLocalToIso(f.until) : null;
  if (from) body.from = from;
  if (until) body.until = until;
  if (f.residentText.trim()) body.residentText = f.residentText.trim();
  return body;
}

export interface Period {
  from: string;
  to: string;
}

/** Periods of one day: each "HH:mm" to a later "HH:mm", none overlapping another. */
export function checkPeriods(periods: readonly Period[], field: string, t: T): FieldError[] {
  const errors: FieldError[] = [];
  const ends = periods.map((p) => ({ from: p.from, to: periodEnd(p.to) }));
  ends.forEach((p, i) => {
    if (!HHMM.test(p.from) || !(HHMM.test(p.to) || p.to === '24:00')) errors.push({ field: `${field}[${i}]`, message: t('errTime') });
    else if (p.from >= p.to) errors.push({ field: `${field}[${i}]`, message: t('errPeriodOrder') });
  });
  if (errors.length) return errors;
  const sorted = ends.map((p, i) => ({ ...p, i })).sort((a, b) => a.from.localeCompare(b.from));
  for (let k = 1; k < sorted.length; k++) {
    if (sorted[k].from < sorted[k - 1].to) errors.push({ field: `${field}[${sorted[k].i}]`, message: t('errOverlap') });
  }
  return errors;
}

export function checkTopicId(id: string, t: T): FieldError[] {
  return TOPIC_ID.test(id) ? [] : [{ field: 'id', message: t('errTopicId') }];
}

export function checkUserBasics(
  f: { username: string; displayName: string; password: string; roles: readonly string[]; department: string; maxConcurrent: string },
  creating: boolean,
  t: T,
): FieldError[] {
  const errors: FieldError[] = [];
  if (!f.username.trim()) errors.push({ field: 'username', message: t('required') });
  else if (!USERNAME.test(f.username.trim()) || f.username.trim().length > 64) errors.push({ field: 'username', message: t('errUsername') });
  if (!f.displayName.trim()) errors.push({ field: 'displayName', message: t('required') });
  else if (f.displayName.trim().length > 100) errors.push({ field: 'displayName', message: t('errMax', { max: 100 }) });
  if (creating && !f.password) errors.push({ field: 'password', message: t('required') });
  else if (f.password && (f.password.length < 10 || f.password.length > 200)) errors.push({ field: 'password', message: t('errPasswordLength') });
  if (f.roles.length === 0) errors.push({ field: 'roles', message: t('errRoles') });
  if (f.roles.includes('department') && !f.department) errors.push({ field: 'department', message: t('errDepartmentRequired') });
  if (!intIn(f.maxConcurrent, 1, 20)) errors.push({ field: 'maxConcurrent', message: t('errRange', { min: 1, max: 20 }) });
  return errors;
}

export function checkNewPassword(current: string, next: string, repeat: string, t: T): FieldError[] {
  const errors: FieldError[] = [];
  if (next.length < 10) errors.push({ field: 'newPassword', message: t('errPasswordLength') });
  else if (next === current) errors.push({ field: 'newPassword', message: t('errPasswordSame') });
  if (repeat !== next) errors.push({ field: 'repeat', message: t('errPasswordRepeat') });
  return errors;
}

export function checkResetPassword(temporary: string, t: T): FieldError[] {
  return temporary.length < 10 ? [{ field: 'temporaryPassword', message: t('errPasswordLength') }] : [];
}

/** A temporary password that is easy to read out over the phone: no 0/O or 1/l/I. */
export function temporaryPassword(length = 14, random: (n: number) => Uint8Array = (n) => globalThis.crypto.getRandomValues(new Uint8Array(n))): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  // 256 is not a multiple of the alphabet's 55 letters: drop the bytes that would favour the first ones
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    for (const b of random(length)) if (b < limit && out.length < length) out += alphabet[b % alphabet.length];
  }
  return out;
}

export function checkCanned(f: { title: string; text: string }, t: T): FieldError[] {
  const errors: FieldError[] = [];
  if (!f.title.trim()) errors.push({ field: 'title', message: t('required') });
  else if (f.title.trim().length > 100) errors.push({ field: 'title', message: t('errMax', { max: 100 }) });
  if (!f.text.trim()) errors.push({ field: 'text', message: t('required') });
  else if (f.text.trim().length > 2000) errors.push({ field: 'text', message: t('errMax', { max: 2000 }) });
  return errors;
}

export function checkConversationId(id: string, t: T): FieldError[] {
  return UUID.test(id.trim()) ? [] : [{ field: 'conversationId', message: t('errConversationId') }];
}

/**
 * A number to look up (a request to be forgotten): only an empty one is said before asking. The
 * service is the one judge of a number (PhoneNumbers.lookup takes any valid one, also one no
 * callback may be asked for any more); its reason shows beside the field (erasure.ts, refusal).
 */
export function checkPhone(phone: string, t: T): FieldError[] {
  return phone.trim() ? [] : [{ field: 'phone', message: t('errPhone') }];
}

export function checkDepartment(
  f: { id: string; name: string; routes: readonly { kind: string; label: string; value: string }[] },
  creating: boolean,
  t: T,
): FieldError[] {
  const errors: FieldError[] = [];
  if (creating && f.id && !SLUG.test(f.id)) errors.push({ field: 'id', message: t('errTopicId') });
  if (!f.name.trim()) errors.push({ field: 'name', message: t('required') });
  f.routes.forEach((r, i) => {
    if (!r.label.trim() || !r.value.trim()) errors.push({ field: `contactRoutes[${i}]`, message: t('errRoute') });
    else if (r.kind === 'web' && !isHttpUrl(r.value.trim())) errors.push({ field: `contactRoutes[${i}]`, message: t('errUrl') });
  });
  return errors;
}

export { isHttpUrl, intIn };
