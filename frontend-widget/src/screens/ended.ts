// What a resident sees when a conversation has ended: why it ended, a rating 1–5 with a
// comment (only after an agent closed it), the transcript download and "Nieuwe vraag".

import { ApiError } from '../api';
import { focusStayedIn, h, uid } from '../dom';
import type { StateEvent } from '../protocol';
import type { Strings } from '../strings';

export interface EndedContext {
  s: Strings;
  rated(): boolean;
  rate(score: number, comment?: string): Promise<void>;
  transcript(): Promise<void>;
  newQuestion(): void;
}

/** The end of a conversation in a terminal state other than `callback`; focus its heading. */
export function endedView(ev: StateEvent, ctx: EndedContext): { heading: HTMLElement; nodes: HTMLElement[] } {
  const s = ctx.s;
  const text = ev.state === 'abandoned' ? s.endedAbandoned
    : ev.reason === 'resident_left' ? s.endedLeft
      : ev.reason === 'timeout' ? s.endedTimeout : s.endedClosed;
  const error = h('p', { class: 'error', role: 'alert' });
  const heading = h('h3', { tabindex: -1 }, text);
  const nodes: HTMLElement[] = [heading];
  if (ev.state === 'closed') nodes.push(ratingForm(ctx));
  nodes.push(
    error,
    h(
      'div',
      { class: 'actions' },
      h('button', {
        type: 'button',
        class: 'secondary',
        // the service reads an ended conversation to its resident only for a while (access-ended after that)
        onclick: () => ctx.transcript().catch((e) => (error.textContent = e instanceof ApiError && e.code === 'access-ended' ? s.transcriptGone : s.transcriptError)),
      }, s.transcript),
      h('button', { type: 'button', class: 'secondary', onclick: () => ctx.newQuestion() }, s.newChat),
    ),
  );
  return { heading, nodes };
}

/**
 * A conversation that ended before this page saw it (a reload, a reopened tab, the next person at
 * a shared computer): that it ended, and "Nieuwe vraag"; the browser no longer holds anything that
 * opens it, so neither the transcript nor the rating is offered.
 */
export function endedNoticeView(s: Strings, newQuestion: () => void, callbackReference: string | null = null): HTMLElement {
  return h(
    'div',
    { class: 'view' },
    h('h3', { tabindex: -1 }, s.endedHiddenHeading),
    h('p', {}, s.endedHiddenText),
    // a request the chat became still stands, but this tab holds no token that opens it
    callbackReference ? h('p', {}, s.endedCallbackStands, ' ', h('code', {}, callbackReference)) : null,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'primary', onclick: () => newQuestion() }, s.newChat)),
  );
}

function ratingForm(ctx: EndedContext): HTMLElement {
  const s = ctx.s;
  const box = h('div', { class: 'rating' });
  if (ctx.rated()) {
    box.append(h('p', { role: 'status' }, s.ratingThanks));
    return box;
  }
  let score = 0;
  const commentId = uid('comment');
  const comment = h('textarea', { id: commentId, rows: 2, maxlength: 1000 }) as HTMLTextAreaElement;
  const error = h('p', { class: 'error', role: 'alert' });
  // it takes the focus from the form it replaces (tabindex -1: a text, not a stop on Tab)
  const thanks = h('p', { role: 'status', tabindex: -1 });
  const scores = h('div', { class: 'scores' });
  for (let i = 1; i <= 5; i++) {
    scores.append(h('button', {
      type: 'button',
      class: 'score',
      'aria-pressed': 'false',
      onclick: (e: Event) => {
        score = i;
        error.textContent = '';
        scores.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b === e.currentTarget)));
      },
    }, String(i)));
  }
  const submit = h('button', { type: 'submit', class: 'primary' }, s.ratingSubmit);
  const form = h(
    'form',
    { novalidate: true },
    h('fieldset', {}, h('legend', {}, s.ratingLegend), scores),
    h('div', { class: 'field' }, h('label', { for: commentId }, s.ratingComment), comment),
    error,
    submit,
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!score) {
      error.textContent = s.ratingChoose;
      return;
    }
    submit.disabled = true;
    try {
      await ctx.rate(score, comment.value.trim() || undefined);
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 409)) {
        submit.disabled = false;
        error.textContent = s.ratingError;
        return;
      }
    }
    // the focus was on the form's button (the browser drops it while the button is disabled),
    // unless the resident moved on while the rating was on its way
    const hadFocus = focusStayedIn(form);
    form.remove();
    thanks.textContent = s.ratingThanks;
    if (hadFocus) thanks.focus();
  });
  box.append(form, thanks);
  return box;
}
