// Departments' reachability notices (issue 12), as a resident reads them on a topic and in the
// queue: "Burgerzaken: Alleen op afspraak tot zondag 1 maart. Maak een afspraak via de website."

import type { DepartmentNotice } from './api';
import { h, uid } from './dom';
import { capital, formatUntil } from './format';
import type { Lang, Strings } from './strings';

/** The lead of one notice: the department, what kind of reachability and until when. */
export function noticeLead(n: DepartmentNotice, s: Strings, lang: Lang, now = new Date()): string {
  const kind = s.departmentKinds[n.kind] ?? '';
  const until = n.until ? formatUntil(n.until, lang, now) : null;
  const state = [kind, until ? s.noticeUntil(until) : ''].filter(Boolean).join(' ');
  return state ? `${n.department}: ${capital(state)}.` : `${n.department}:`;
}

/** The whole notice as one sentence or two: what a screen reader hears on the topic button. */
export function noticeText(n: DepartmentNotice, s: Strings, lang: Lang, now = new Date()): string {
  const text = n.text?.trim();
  return text ? `${noticeLead(n, s, lang, now)} ${text}` : noticeLead(n, s, lang, now);
}

/**
 * The notices of a topic as one block with an id, for aria-describedby; null when there are
 * none. Texts are inserted as text, never as HTML.
 */
export function departmentNotices(list: DepartmentNotice[] | null | undefined, s: Strings, lang: Lang, now = new Date()): HTMLElement | null {
  const notices = (list ?? []).filter((n) => n && typeof n.department === 'string');
  if (!notices.length) return null;
  return h(
    'div',
    { class: 'dept-notices', id: uid('dept') },
    ...notices.map((n) => {
      const text = n.text?.trim();
      return h('p', { class: 'notice' }, h('strong', {}, noticeLead(n, s, lang, now)), text ? ' ' + text : null);
    }),
  );
}
