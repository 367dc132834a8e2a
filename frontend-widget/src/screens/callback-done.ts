// The confirmation of a callback request: the number we call, when, its short reference to quote
// on the phone, and a button to cancel it (which asks first). Shown again after a reload for as
// long as the tab keeps the request; then the number by its last digits only.

import { ApiError } from '../api';
import { focusStayedIn, h, uid } from '../dom';
import { windowName, type CallbackWindow } from '../format';
import type { CallbackSession, ChatSession } from '../store';
import type { Strings } from '../strings';

export interface CallbackDoneContext {
  s: Strings;
  saved: ChatSession | CallbackSession;
  callbackId: string;
  /** The short reference the service gave (docs/protocol.md §7); null from an older service: the id then. */
  reference?: string | null;
  /** The number as the resident typed it, right after sending; null after a reload. */
  phone?: string | null;
  /** Its last two digits, kept with the session. */
  phoneEnd?: string | null;
  cancelled: boolean;
  cancel(): Promise<void>;
  /** The cancellation is done (or the request had ended already): remember it. */
  markCancelled(): void;
  /** Only when the request came out of a chat. */
  transcript: (() => Promise<void>) | null;
  newQuestion(): void;
}

export function callbackDoneView(ctx: CallbackDoneContext): HTMLElement {
  const { s, saved, cancelled } = ctx;
  const result = h('p', { role: 'status' });
  const error = h('p', { class: 'error', role: 'alert' });
  const cancel = h('button', { type: 'button', class: 'secondary' }, s.callbackCancel);
  const preferred = saved.kind === 'callback' ? saved.window : saved.callbackWindow;
  const transcript = ctx.transcript;
  const heading = h('h3', { tabindex: -1 }, cancelled ? s.callbackCancelled : s.callbackDoneHeading);
  // what only a request still open says ("we call you"): it goes when the request is cancelled
  const doneText = cancelled ? null : h('p', {}, s.callbackDoneText);
  const windowText = preferred && !cancelled ? h('p', {}, s.callbackDoneWindow(windowName(preferred as CallbackWindow, s))) : null;
  const number = cancelled ? null
    : ctx.phone ? h('p', {}, s.callbackDoneNumber(ctx.phone))
    : ctx.phoneEnd ? h('p', {}, s.callbackDoneNumberEnd(ctx.phoneEnd))
    : null;
  const reference = ctx.reference || ctx.callbackId;
  const view = h(
    'div',
    { class: 'view' },
    heading,
    doneText,
    h('p', { class: 'topic-name' }, saved.topicName),
    number,
    windowText,
    h('p', { class: 'ref' }, s.callbackReference + ': ', h('code', {}, reference)),
    ctx.reference ? h('p', { class: 'hint' }, s.callbackReferenceHint) : null,
    result,
    error,
    h(
      'div',
      { class: 'actions' },
      cancelled ? null : cancel,
      transcript
        ? h('button', {
          type: 'button',
          class: 'secondary',
          onclick: async () => {
            error.textContent = '';
            try {
              await transcript();
            } catch {
              error.textContent = s.transcriptError;
            }
          },
        }, s.transcript)
        : null,
      h('button', { type: 'button', class: 'secondary', onclick: () => ctx.newQuestion() }, s.newChat),
    ),
  );
  // A stray tap on a phone must not cancel the request: the button asks first, inline. The safe
  // answer comes first, where the button was, and has the focus; the question labels the group.
  const questionId = uid('cancel-q');
  const no = h('button', { type: 'button', class: 'secondary' }, s.callbackCancelNo);
  const yes = h('button', { type: 'button', class: 'secondary' }, s.callbackCancelYes);
  const confirm = h('div', { class: 'confirm', role: 'group', 'aria-labelledby': questionId },
    h('p', { id: questionId }, s.callbackCancelConfirm), no, yes);
  cancel.addEventListener('click', () => {
    error.textContent = '';
    cancel.replaceWith(confirm);
    no.focus();
  });
  no.addEventListener('click', () => {
    confirm.replaceWith(cancel);
    cancel.focus();
  });
  yes.addEventListener('click', async () => {
    yes.disabled = true;
    no.disabled = true;
    error.textContent = '';
    try {
      await ctx.cancel();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'access-ended') {
        // only the chat's token here (a tab from before the request had its own), which the
        // service no longer lets open the request: trying again cannot help, so say what can
        const hadFocus = focusStayedIn(confirm);
        confirm.remove();
        cancel.remove();
        error.textContent = s.callbackCancelAccessEnded;
        if (hadFocus) heading.focus();
        return;
      }
      // 409: it had ended already (done, failed or cancelled elsewhere): nothing left to cancel
      if (!(err instanceof ApiError && err.status === 409)) {
        yes.disabled = false;
        no.disabled = false;
        error.textContent = s.callbackCancelError;
        return;
      }
    }
    ctx.markCancelled();
    // as a reload shows it; the focus was on the button that goes (the browser drops it while the
    // button is disabled), unless the resident moved on meanwhile
    const hadFocus = focusStayedIn(confirm);
    confirm.remove();
    cancel.remove();
    doneText?.remove();
    windowText?.remove();
    number?.remove();
    heading.textContent = s.callbackCancelled;
    if (hadFocus) heading.focus();
    else result.textContent = s.callbackCancelled;
  });
  return view;
}
