// House rules and privacy before a chat starts (how long we keep what is said, as configured;
// no BSN), with an optional name.

import { ApiError, type Topic } from '../api';
import { h, uid } from '../dom';
import { serverText, type Lang, type Strings } from '../strings';

export interface RulesContext {
  s: Strings;
  lang: Lang;
  topic: Topic;
  /** Days personal data is kept (`GET /api/v1/settings`); null when unknown. */
  retentionDays: Promise<number | null>;
  /** Starts the conversation and moves on; a failure it leaves to this screen rejects. */
  start(name: string | undefined): Promise<void>;
  back(): void;
}

export function rulesView(ctx: RulesContext): HTMLElement {
  const s = ctx.s;
  const nameId = uid('name');
  const name = h('input', { id: nameId, type: 'text', autocomplete: 'name', maxlength: 100 });
  const error = h('p', { class: 'error', role: 'alert' });
  const start = h('button', { type: 'submit', class: 'primary' }, s.startChat);
  // wording without a number until the service has said how long (usually known already: asked on opening)
  const stored = h('li', {}, s.rulesStored(null));
  ctx.retentionDays.then((days) => (stored.textContent = s.rulesStored(days)), () => {});
  const form = h(
    'form',
    { class: 'view', novalidate: true },
    h('h3', { tabindex: -1 }, s.rulesHeading),
    h('p', { class: 'topic-name' }, ctx.topic.name),
    h('ul', { class: 'rules' }, h('li', {}, s.rulesChat), stored, h('li', { class: 'strong' }, s.rulesBsn)),
    h('div', { class: 'field' }, h('label', { for: nameId }, s.nameLabel), name),
    error,
    h('div', { class: 'actions' }, start, h('button', { type: 'button', class: 'secondary', onclick: () => ctx.back() }, s.back)),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (start.disabled) return;
    start.disabled = true;
    error.textContent = s.starting;
    try {
      await ctx.start(name.value.trim() || undefined);
    } catch (err) {
      start.disabled = false;
      error.textContent = err instanceof ApiError && err.errors.length
        ? err.errors.map((x) => serverText(x.message, ctx.lang)).join(' ')
        : s.startError;
    }
  });
  return form;
}
