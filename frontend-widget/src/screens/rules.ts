// House rules and privacy before a chat starts (how long we keep what is said, as configured;
// what this browser keeps and for how long; no BSN), with an optional name. A start that fails
// for a passing reason (the service briefly unavailable, no answer) is tried again here, by
// itself and on "Opnieuw proberen", with what the resident typed left in place.

import { ApiError, isPassing, newStartKey, type Topic } from '../api';
import { h, uid } from '../dom';
import { AUTO_RETRIES, retryDelay } from '../retry';
import { serverText, type Lang, type Strings } from '../strings';

export interface RulesContext {
  s: Strings;
  lang: Lang;
  topic: Topic;
  /** Days personal data is kept (`GET /api/v1/settings`); null when unknown. */
  retentionDays: Promise<number | null>;
  /** How long after the widget last ran another tab can still open the conversation (src/store.ts). */
  keptSeconds: number;
  /**
   * Starts the conversation and moves on (to the chat, or the callback form for a refusal it
   * understands); a failure it leaves to this screen rejects: a passing one is tried again. A
   * start whose answer comes after the resident left this screen resolves, whatever the answer.
   * `startKey` is the same on every try from this screen: a try whose answer was lost and is
   * sent again is the conversation the first made.
   */
  start(name: string | undefined, startKey: string): Promise<void>;
  back(): void;
}

export function rulesView(ctx: RulesContext): HTMLElement {
  const s = ctx.s;
  const nameId = uid('name');
  const name = h('input', { id: nameId, type: 'text', autocomplete: 'name', maxlength: 100 });
  const error = h('p', { class: 'error', role: 'alert' });
  const start = h('button', { type: 'submit', class: 'primary' }, s.startChat);
  // the service briefly unavailable: said politely, with the next try by itself and a way to try now
  const unavailableText = h('p', { class: 'news', role: 'status' });
  const again = h('button', { type: 'button', class: 'link', hidden: true, onclick: () => attempt(true) }, s.retryNow);
  // one start from this screen, however often it is tried: the service makes one conversation of it
  const startKey = newStartKey();
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** Passing failures in a row since the resident last asked. */
  let failures = 0;
  const stopRetrying = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  // wording without a number until the service has said how long (usually known already: asked on opening)
  const stored = h('li', {}, s.rulesStored(null));
  ctx.retentionDays.then((days) => (stored.textContent = s.rulesStored(days)), () => {});
  const form = h(
    'form',
    { class: 'view', novalidate: true },
    h('h3', { tabindex: -1 }, s.rulesHeading),
    h('p', { class: 'topic-name' }, ctx.topic.name),
    h('ul', { class: 'rules' }, h('li', {}, s.rulesChat), stored, h('li', {}, s.rulesBrowser(ctx.keptSeconds)), h('li', { class: 'strong' }, s.rulesBsn)),
    h('div', { class: 'field' }, h('label', { for: nameId }, s.nameLabel), name),
    error,
    h('div', { class: 'unavailable' }, unavailableText, again),
    h('div', { class: 'actions' }, start, h('button', { type: 'button', class: 'secondary', onclick: () => {
      stopRetrying();
      ctx.back();
    } }, s.back)),
  );

  /** One try to start; `asked`: by the resident (the button, or "Opnieuw proberen"), not by itself. */
  async function attempt(asked: boolean): Promise<void> {
    stopRetrying();
    // a try in flight already; or, for a try by itself, the resident went elsewhere meanwhile
    if (start.disabled || (!asked && !form.isConnected)) return;
    start.disabled = true;
    if (asked) {
      failures = 0;
      unavailableText.textContent = ''; // "over n seconden" no longer holds
      error.textContent = s.starting;
    }
    try {
      await ctx.start(name.value.trim() || undefined, startKey);
    } catch (err) {
      start.disabled = false;
      if (isPassing(err)) {
        // the name stays as typed; the resident is told, and it is tried again by itself a few times
        error.textContent = '';
        again.hidden = false;
        if (failures < AUTO_RETRIES) {
          const ms = retryDelay(failures++, (err as ApiError).retryAfter);
          unavailableText.textContent = s.startUnavailable(Math.ceil(ms / 1000));
          timer = setTimeout(() => attempt(false), ms);
        } else {
          unavailableText.textContent = s.startStillUnavailable;
        }
        return;
      }
      failures = 0;
      unavailableText.textContent = '';
      const focused = (form.getRootNode() as Document | ShadowRoot).activeElement === again;
      again.hidden = true;
      if (focused) start.focus();
      // a refusal for too many chats or requests from this address says why and what to do
      error.textContent = err instanceof ApiError && err.errors.length
        ? err.errors.map((x) => serverText(x.message, ctx.lang)).join(' ')
        : err instanceof ApiError && err.status === 429 && err.message
          ? serverText(err.message, ctx.lang)
          : s.startError;
    }
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    attempt(true);
  });
  return form;
}
