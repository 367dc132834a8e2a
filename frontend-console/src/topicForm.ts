// The administrator's topic form: the API's topic ↔ what the form edits, the edits themselves
// (pure, so they are unit-tested), and the checks before saving.

import { type Period, checkPeriods, checkTopicId, intIn, isHttpUrl, periodEnd, shownEnd } from './forms';
import { type Key, type Lang, type T, translate } from './i18n';
import type { AdminTopic, FieldError, Weekday } from './protocol';
import { addDays, isDay } from './time';

export const WEEKDAYS: Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * The administrator's list of topics in the order the service keeps everywhere (`sortOrder`, then
 * id): the boards, the residents' topic list. Ties are common (a new topic gets 100), and a tie
 * broken by name here put topics in another order than on the boards.
 */
export function byConfiguredOrder(a: Pick<AdminTopic, 'id' | 'sortOrder'>, b: Pick<AdminTopic, 'id' | 'sortOrder'>): number {
  return a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** How long a closed day that has passed stays in the list of topics (the topic's form shows them all). */
export const RECENT_PAST_DAYS = 90;

/**
 * A topic's closed days around `today` (an Amsterdam day): the coming ones (today included) in
 * order, those that have passed newest first, and of those the last `RECENT_PAST_DAYS` days'. A
 * day that has passed closes nothing any more, but the administrator must still see what was set.
 */
export function closedDaysAround(dates: string[], today: string): { upcoming: string[]; past: string[]; recentPast: string[] } {
  const sorted = [...new Set(dates)].sort();
  const past = sorted.filter((d) => d < today).reverse();
  const since = addDays(today, -RECENT_PAST_DAYS);
  return { upcoming: sorted.filter((d) => d >= today), past, recentPast: past.filter((d) => d >= since) };
}

const SHORT_DAYS: Record<Weekday, Key> = {
  mon: 'monShort',
  tue: 'tueShort',
  wed: 'wedShort',
  thu: 'thuShort',
  fri: 'friShort',
  sat: 'satShort',
  sun: 'sunShort',
};

/**
 * A topic's week for the list of topics, so the administrator sees at a glance when it is closed:
 * a line per run of days with the same hours ("ma–do 08:30–17:00", "za–zo gesloten"), a day's
 * periods side by side, times as "HH:mm" and an end at midnight as 24:00. A day the service
 * leaves out is closed.
 */
export function openingHoursSummary(hours: AdminTopic['openingHours'], lang: Lang): string[] {
  const dayHours = (d: Weekday) =>
    (hours[d] ?? []).map(([from, to]) => `${from.slice(0, 5)}–${periodEnd(shownEnd(to)).slice(0, 5)}`).join(', ') || translate(lang, 'closedShort');
  const lines: string[] = [];
  let first = 0;
  WEEKDAYS.forEach((d, i) => {
    const next = WEEKDAYS[i + 1];
    if (next && dayHours(next) === dayHours(d)) return;
    const days = translate(lang, SHORT_DAYS[WEEKDAYS[first]]) + (i > first ? '–' + translate(lang, SHORT_DAYS[d]) : '');
    lines.push(`${days} ${dayHours(d)}`);
    first = i + 1;
  });
  return lines;
}

/** A digital alternative as the form edits it: an empty English title is none. */
export interface AlternativeForm {
  title: string;
  titleEn: string;
  url: string;
}

export interface TopicForm {
  id: string;
  nameNl: string;
  nameEn: string;
  sortOrder: string;
  hours: Record<Weekday, Period[]>;
  closedDates: string[];
  callbackThresholdSeconds: string;
  alternatives: AlternativeForm[];
  notice: string;
  noticeEn: string;
}

export function emptyTopicForm(): TopicForm {
  const hours = {} as Record<Weekday, Period[]>;
  for (const d of WEEKDAYS) hours[d] = d === 'sat' || d === 'sun' ? [] : [{ from: '09:00', to: '17:00' }];
  return {
    id: '',
    nameNl: '',
    nameEn: '',
    sortOrder: '100',
    hours,
    closedDates: [],
    callbackThresholdSeconds: '600',
    alternatives: [],
    notice: '',
    noticeEn: '',
  };
}

export function topicToForm(t: AdminTopic): TopicForm {
  const hours = {} as Record<Weekday, Period[]>;
  for (const d of WEEKDAYS) hours[d] = (t.openingHours?.[d] ?? []).map(([from, to]) => ({ from, to: shownEnd(to) }));
  return {
    id: t.id,
    nameNl: t.nameNl,
    nameEn: t.nameEn,
    sortOrder: String(t.sortOrder ?? 100),
    hours,
    closedDates: [...(t.closedDates ?? [])].sort(),
    callbackThresholdSeconds: String(t.callbackThresholdSeconds ?? 600),
    alternatives: (t.digitalAlternatives ?? []).map((a) => ({ title: a.title, titleEn: a.titleEn ?? '', url: a.url })),
    notice: t.notice ?? '',
    noticeEn: t.noticeEn ?? '',
  };
}

/** The body of POST/PUT /api/v1/admin/topics. */
export function formToTopic(f: TopicForm): Omit<AdminTopic, 'openNow' | 'nextOpenAt'> {
  const openingHours: AdminTopic['openingHours'] = {};
  for (const d of WEEKDAYS) openingHours[d] = f.hours[d].map((p) => [p.from, periodEnd(p.to)] as [string, string]);
  return {
    id: f.id.trim(),
    nameNl: f.nameNl.trim(),
    nameEn: f.nameEn.trim(),
    sortOrder: Number(f.sortOrder),
    openingHours,
    closedDates: [...new Set(f.closedDates)].sort(),
    callbackThresholdSeconds: Number(f.callbackThresholdSeconds),
    digitalAlternatives: f.alternatives.map((a) => ({ title: a.title.trim(), titleEn: a.titleEn.trim() || null, url: a.url.trim() })),
    notice: f.notice.trim() || null,
    noticeEn: f.noticeEn.trim() || null,
  };
}

export type TopicEdit =
  | { type: 'set'; field: 'id' | 'nameNl' | 'nameEn' | 'sortOrder' | 'callbackThresholdSeconds' | 'notice' | 'noticeEn'; value: string }
  | { type: 'add-period'; day: Weekday }
  | { type: 'set-period'; day: Weekday; index: number; part: 'from' | 'to'; value: string }
  | { type: 'remove-period'; day: Weekday; index: number }
  | { type: 'copy-day'; from: Weekday; to: Weekday[] }
  | { type: 'add-closed'; date: string }
  | { type: 'remove-closed'; date: string }
  | { type: 'add-alternative' }
  | { type: 'set-alternative'; index: number; part: 'title' | 'titleEn' | 'url'; value: string }
  | { type: 'remove-alternative'; index: number };

export function editTopic(f: TopicForm, e: TopicEdit): TopicForm {
  switch (e.type) {
    case 'set':
      return { ...f, [e.field]: e.value };
    case 'add-period': {
      const list = f.hours[e.day];
      // a new period starts where the last one ended, so that it is valid once its end is set
      const last = list[list.length - 1];
      const from = last ? last.to : '09:00';
      return { ...f, hours: { ...f.hours, [e.day]: [...list, { from, to: last ? '' : '17:00' }] } };
    }
    case 'set-period':
      return {
        ...f,
        hours: { ...f.hours, [e.day]: f.hours[e.day].map((p, i) => (i === e.index ? { ...p, [e.part]: e.value } : p)) },
      };
    case 'remove-period':
      return { ...f, hours: { ...f.hours, [e.day]: f.hours[e.day].filter((_, i) => i !== e.index) } };
    case 'copy-day': {
      const hours = { ...f.hours };
      for (const d of e.to) hours[d] = f.hours[e.from].map((p) => ({ ...p }));
      return { ...f, hours };
    }
    case 'add-closed':
      if (!isDay(e.date) || f.closedDates.includes(e.date)) return f;
      return { ...f, closedDates: [...f.closedDates, e.date].sort() };
    case 'remove-closed':
      return { ...f, closedDates: f.closedDates.filter((d) => d !== e.date) };
    case 'add-alternative':
      return { ...f, alternatives: [...f.alternatives, { title: '', titleEn: '', url: '' }] };
    case 'set-alternative':
      return { ...f, alternatives: f.alternatives.map((a, i) => (i === e.index ? { ...a, [e.part]: e.value } : a)) };
    case 'remove-alternative':
      return { ...f, alternatives: f.alternatives.filter((_, i) => i !== e.index) };
  }
}

/**
 * The form as it is saved: a day picked in the closed days' date field but not added with
 * **Dag toevoegen** is added all the same. The administrator who picked 31 December and pressed
 * **Opslaan** saw it on screen; before, the save dropped it without a word.
 */
export function withPendingClosedDay(f: TopicForm, pending: string): TopicForm {
  return pending ? editTopic(f, { type: 'add-closed', date: pending }) : f;
}

/** Field names follow the API ("openingHours.mon[0]", "digitalAlternatives[1]") so server errors land on the same fields. */
export function checkTopic(f: TopicForm, creating: boolean, t: T): FieldError[] {
  const errors: FieldError[] = [];
  if (creating) errors.push(...checkTopicId(f.id.trim(), t));
  for (const field of ['nameNl', 'nameEn'] as const) {
    const v = f[field].trim();
    if (!v) errors.push({ field, message: t('required') });
    else if (v.length > 100) errors.push({ field, message: t('errMax', { max: 100 }) });
  }
  if (!/^-?\d+$/.test(f.sortOrder.trim())) errors.push({ field: 'sortOrder', message: t('errWholeNumber') });
  for (const d of WEEKDAYS) errors.push(...checkPeriods(f.hours[d], 'openingHours.' + d, t));
  f.closedDates.forEach((d, i) => {
    if (!isDay(d)) errors.push({ field: `closedDates[${i}]`, message: t('errDate') });
  });
  if (!intIn(f.callbackThresholdSeconds, 0, 86400)) errors.push({ field: 'callbackThresholdSeconds', message: t('errRange', { min: 0, max: 86400 }) });
  f.alternatives.forEach((a, i) => {
    if (!a.title.trim()) errors.push({ field: `digitalAlternatives[${i}].title`, message: t('required') });
    if (a.titleEn.trim().length > 200) errors.push({ field: `digitalAlternatives[${i}].titleEn`, message: t('errMax', { max: 200 }) });
    if (!isHttpUrl(a.url.trim())) errors.push({ field: `digitalAlternatives[${i}].url`, message: t('errUrl') });
  });
  if (f.notice.trim().length > 500) errors.push({ field: 'notice', message: t('errMax', { max: 500 }) });
  if (f.noticeEn.trim().length > 500) errors.push({ field: 'noticeEn', message: t('errMax', { max: 500 }) });
  return errors;
}
