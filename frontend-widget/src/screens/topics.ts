// The first screen: which topics there are, open or closed and when they open again, the wait
// as a range, the admin's notice, departments' reachability notices and what the resident can
// also do online.

import type { Topic } from '../api';
import { append, clear, focusStayedIn, h, uid } from '../dom';
import { formatWhen, safeUrl, waitSentence } from '../format';
import { departmentNotices } from '../notices';
import type { Lang, Strings } from '../strings';

export interface TopicsContext {
  s: Strings;
  lang: Lang;
  load(): Promise<Topic[]>;
  choose(topic: Topic): void;
  retry(): void;
  /** The topic the resident came back from ("Terug"): its button takes the focus once the list is there. */
  chosen?: string;
}

/** The topic list; it fills itself once `load` answers, or offers to try again. */
export function topicsView(ctx: TopicsContext): HTMLElement {
  const s = ctx.s;
  const list = h('ul', { class: 'topics' });
  const status = h('p', { class: 'muted' }, s.loading);
  const view = h('div', { class: 'view' }, h('h3', { tabindex: -1 }, s.topicsHeading), h('p', {}, s.topicsIntro), status, list);
  ctx.load().then(
    (topics) => {
      status.remove();
      for (const t of topics) list.append(topicItem(t, ctx));
      // back from the house rules or the callback form: on where they were, unless they moved on meanwhile
      const chosen = topics.findIndex((t) => t.id === ctx.chosen);
      if (chosen >= 0 && view.isConnected && focusStayedIn(view)) {
        list.querySelectorAll<HTMLButtonElement>('.topic-btn')[chosen]?.focus();
      }
    },
    () => {
      clear(status);
      status.className = 'error';
      append(status, s.topicsError, ' ', h('button', { type: 'button', class: 'link', onclick: () => ctx.retry() }, s.retry));
    },
  );
  return view;
}

function topicItem(t: Topic, ctx: TopicsContext): HTMLElement {
  const s = ctx.s;
  const metaId = uid('meta');
  // with no agent free the choice leads to the callback form: said before it, not "waiting time unknown"
  const state = t.open
    ? `${s.topicOpen}. ${t.callbackOffered && t.callbackReason === 'no_agents' ? s.topicCallback + '.' : waitSentence(t.estimatedWaitSeconds, s)}`
    : `${s.topicClosed}.${t.nextOpenAt ? ' ' + s.topicNextOpen(formatWhen(t.nextOpenAt, ctx.lang)) + '.' : ''}`;
  const described = [metaId];
  // the Dutch text an English reader gets where there is no English one is marked as Dutch, so that a screen reader reads it as Dutch
  const inLang = (lang: string | null | undefined) => (lang && lang !== ctx.lang ? lang : undefined);
  const notice = t.notice
    ? h('p', { class: 'notice', id: uid('notice') }, h('strong', {}, s.notice + ': '), h('span', { lang: inLang(t.noticeLang) }, t.notice))
    : null;
  if (notice) described.push(notice.id);
  // what a department says about its reachability is part of the choice, so part of the button's description
  const departments = departmentNotices(t.departmentNotices, s, ctx.lang);
  if (departments) described.push(departments.id);
  const item = h(
    'li',
    { class: 'topic' },
    h('button', { type: 'button', class: 'topic-btn', 'aria-describedby': described.join(' '), onclick: () => ctx.choose(t) }, t.name),
    h('p', { class: 'meta', id: metaId }, h('span', { class: t.open ? 'dot open' : 'dot shut', 'aria-hidden': 'true' }), state),
    notice,
    departments,
  );
  if (t.digitalAlternatives?.length) {
    const alts = h('ul', { class: 'alts' });
    for (const a of t.digitalAlternatives) alts.append(h('li', {}, h('a', { href: safeUrl(a.url), lang: inLang(a.lang) }, a.title)));
    append(item, h('p', { class: 'alt-h' }, s.onlineHeading), alts);
  }
  return item;
}
