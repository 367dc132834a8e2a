// The conversation: the queue position, the wait and departments' notices while queued, then
// the chat with the agent's name, typing indicator and system messages; messages typed offline
// wait in place until the server echoes them. A callback offer appears above the log without
// taking focus or the draft, in words that match its reason; once the reason no longer holds
// (callback_offer_withdrawn) it goes quiet: why, said once, and a "Liever teruggebeld worden?" link.

import { append, clear, focusStayedIn, h, uid, withLinks } from '../dom';
import type { DepartmentNotice } from '../api';
import { waitSentence } from '../format';
import { departmentNotices } from '../notices';
import {
  MAX_TEXT,
  type ChatMessage,
  type ConnectionStatus,
  type OfferEvent,
  type PendingMessage,
  type StateEvent,
} from '../protocol';
import { serverText, type Lang, type Strings } from '../strings';
import { endedView, type EndedContext } from './ended';

/** What the chat asks of the widget; the end of a conversation (rating, transcript) included. */
export interface ChatActions extends Omit<EndedContext, 's'> {
  send(text: string): PendingMessage | null | undefined;
  typing(): void;
  discard(clientMsgId: string): void;
  retry(clientMsgId: string): void;
  leave(): boolean;
  acceptOffer(): void;
  /** What is in the message box changed (empty once sent): kept over a reload of the page. */
  draft?(text: string): void;
  /** After the server replaced this window's socket: connect again here (see `ResidentClient.continueHere`). */
  continueHere?(): void;
}

export class ChatView {
  readonly el: HTMLElement;
  private readonly statusLine: HTMLElement;
  /** The wait last said, in words; and whether being next was said. */
  private saidWait: string | null = null;
  private saidNext = false;
  /** Shown while another window (or this phone on another network) has the conversation. */
  private readonly replacedBox: HTMLElement;
  private readonly offerBox: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typingLine: HTMLElement;
  private readonly composer: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly inputError: HTMLElement;
  private readonly end: HTMLElement;
  private readonly noticeBox: HTMLElement;
  /**
   * After a reload (or in another tab) the history comes from the server, not from the browser,
   * which keeps none of it: while the connection is away the resident is told it is still there.
   */
  private readonly resumeNote: HTMLElement;
  /** This view resumes a conversation whose history has not come yet. */
  private awaitingHistory = false;
  private noticeId: string | null = null;
  private readonly bySeq = new Map<number, HTMLElement>();
  private readonly pendingEls = new Map<string, HTMLElement>();
  private readonly ackedIds = new Set<string>();
  private agentName = '';
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private current: StateEvent | null = null;
  /** The resident confirmed "Gesprek beëindigen": the end they asked for takes the focus when it comes. */
  private leaving = false;
  /** The reason of the offer shown in full, or null (none, or only the quiet link). */
  private offerReason: string | null = null;
  /** The reason of an offer the resident answered with "Blijf wachten": the same one again stays quiet. */
  private declined: string | null = null;
  /**
   * The log shows its newest lines (the resident has not scrolled up to read): when it gets
   * smaller (the end's rating appears under it, an offer or "Geen verbinding" above it, a phone's
   * keyboard comes up) it stays at its end, so the last words are not pushed out of view.
   */
  private pinned = true;
  /** The log's height when the ResizeObserver last saw it. */
  private logHeight = -1;

  constructor(private readonly s: Strings, private readonly lang: Lang, private readonly actions: ChatActions) {
    const inputId = uid('msg');
    const errId = uid('msgerr');
    // shown on every change, said only when it means something (`say`): in a surge the place
    // changes every few seconds, and a screen reader would say all of it each time
    this.statusLine = h('p', { class: 'queue', role: 'status' }, s.connConnecting);
    this.replacedBox = h('div', { class: 'replaced', hidden: true },
      h('p', { role: 'alert' }, s.connReplaced),
      h('button', { type: 'button', class: 'secondary', onclick: () => this.actions.continueHere?.() }, s.continueHere));
    this.offerBox = h('div', { class: 'offer-wrap', 'aria-live': 'polite' });
    this.noticeBox = h('div', { class: 'queue-notices', hidden: true });
    this.log = h('div', { class: 'log', role: 'log', 'aria-label': s.messagesLabel, tabindex: 0 });
    const observed = typeof ResizeObserver === 'function';
    this.log.addEventListener('scroll', () => {
      // a scroll the browser made for a change of size (its event can come after a later change,
      // say the end's rating appearing) says nothing of where the resident wants to be: the
      // observer below, which runs after it, keeps the end in view
      if (observed && this.log.clientHeight !== this.logHeight) return;
      this.pinned = this.nearEnd();
    });
    if (observed) {
      new ResizeObserver(() => {
        this.logHeight = this.log.clientHeight;
        if (this.pinned) this.scroll();
      }).observe(this.log);
    }
    this.typingLine = h('p', { class: 'typing', hidden: true });
    this.input = h('textarea', { id: inputId, rows: 2, maxlength: MAX_TEXT, 'data-autofocus': true, 'aria-describedby': errId }) as HTMLTextAreaElement;
    // a live region: "Geen verbinding", "te lang" and the server's refusals are said, not only shown
    this.inputError = h('p', { class: 'error', id: errId, role: 'status' });
    this.input.addEventListener('input', () => {
      actions.draft?.(this.input.value);
      if (this.input.value.trim()) actions.typing();
      this.inputError.textContent = '';
    });
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.submit();
      }
    });
    const leaveBtn = h('button', { type: 'button', class: 'link leave' }, s.leave);
    const confirm = h(
      'div',
      { class: 'confirm', hidden: true },
      h('p', {}, s.leaveConfirm),
      h('button', {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          if (actions.leave()) {
            this.leaving = true;
            confirm.hidden = true;
          } else this.notice(s.connOfflineShort);
        },
      }, s.leaveYes),
      h('button', {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          confirm.hidden = true;
          leaveBtn.focus();
        },
      }, s.leaveNo),
    );
    leaveBtn.addEventListener('click', () => {
      confirm.hidden = false;
      (confirm.querySelector('button') as HTMLElement).focus();
    });
    this.composer = h(
      'form',
      { class: 'composer', novalidate: true },
      h('label', { for: inputId }, s.messageLabel),
      h('div', { class: 'row' }, this.input, h('button', { type: 'submit', class: 'primary' }, s.send)),
      this.inputError,
      leaveBtn,
      confirm,
    ) as HTMLFormElement;
    this.composer.addEventListener('submit', (e) => {
      e.preventDefault();
      this.submit();
      // a tap on "Verstuur" took the focus to the button: on a phone the on-screen keyboard went
      // down after every message. The message box takes it back for the next line.
      this.focusComposer();
    });
    this.end = h('div', { class: 'end', hidden: true });
    this.resumeNote = h('p', { class: 'resume-note', role: 'status', hidden: true });
    this.el = h('div', { class: 'chat' }, this.statusLine, this.noticeBox, this.replacedBox, this.offerBox, this.resumeNote, this.log, this.typingLine, this.composer, this.end);
  }

  /** This view resumes a conversation (a reload, another tab): its history is on its way from the server. */
  resuming(): void {
    this.awaitingHistory = true;
  }

  /** Whether the server has answered on this view (a state or a message), so the conversation was shown. */
  get shown(): boolean {
    return !this.awaitingHistory;
  }

  /** The server answered: the history (or the state of a conversation without one) is here. */
  private historyCame(): void {
    this.awaitingHistory = false;
    this.resumeNote.hidden = true;
    this.resumeNote.textContent = '';
  }

  /**
   * Departments' notices for this topic, shown while the resident waits. The message box (which
   * has the focus then) is described by them, so a screen reader says them too.
   */
  departmentNotices(list: DepartmentNotice[]): void {
    clear(this.noticeBox);
    const block = departmentNotices(list, this.s, this.lang);
    this.noticeId = block?.id ?? null;
    if (block) this.noticeBox.append(block);
    this.showNotices();
  }

  private showNotices(): void {
    const waiting = !this.current || this.current.state === 'queued';
    this.noticeBox.hidden = !waiting || !this.noticeId;
    const ids = [waiting ? this.noticeId : null, this.inputError.id].filter(Boolean);
    this.input.setAttribute('aria-describedby', ids.join(' '));
  }

  focusComposer(): void {
    if (!this.composer.hidden) this.input.focus();
  }

  /** Focus where the chat starts for the resident: the message box, or once it has ended the end's heading or button. */
  focusStart(): void {
    if (!this.composer.hidden) this.input.focus();
    else this.end.querySelector<HTMLElement>('h3, button')?.focus();
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    if (text.length > MAX_TEXT) {
      this.inputError.textContent = this.s.tooLong(MAX_TEXT);
      return;
    }
    if (this.actions.send(text)) {
      this.input.value = '';
      this.actions.draft?.('');
    }
  }

  /**
   * Put text the resident wrote elsewhere (the callback form's note, when an agent took the chat
   * while it was open) into the message box, after what is already there, to send or change.
   */
  takeText(text: string): void {
    this.input.value = this.input.value.trim() ? this.input.value.trimEnd() + '\n' + text : text;
    this.actions.draft?.(this.input.value);
  }

  /** Put back what the resident was typing before the page was reloaded. */
  restoreDraft(text: string): void {
    if (!this.input.value) this.input.value = text;
  }

  connection(st: ConnectionStatus): void {
    this.replacedBox.hidden = st !== 'replaced';
    if (st === 'offline' && this.awaitingHistory && this.resumeNote.hidden) {
      this.resumeNote.hidden = false;
      this.resumeNote.textContent = this.s.resumeOffline;
    }
    // the connection itself is shown and said in the header's line (shell.ts), which moves nothing here;
    // before the first state (a reload) the status line says we connect: not while the header says we cannot
    if (!this.current && (st === 'offline' || st === 'connecting')) {
      this.statusLine.textContent = st === 'offline' ? '' : this.s.connConnecting;
    }
    if (st === 'gone') {
      // the token or the conversation is no more (expired, or removed on request): start afresh
      const hadFocus = this.hasFocus();
      this.composer.hidden = true;
      this.end.hidden = false;
      clear(this.end);
      const again = h('button', { type: 'button', class: 'secondary', onclick: () => this.actions.newQuestion() }, this.s.newChat);
      append(this.end, h('p', { role: 'alert' }, this.s.connGone), again);
      // the message box that had the focus is gone: the one thing left to do takes it
      if (hadFocus) again.focus();
    }
  }

  /** A line under the message box: a refusal or a problem (`error`), or news about the conversation (`info`). */
  notice(text: string, kind: 'error' | 'info' = 'error'): void {
    this.inputError.className = kind;
    this.inputError.textContent = text;
  }

  state(ev: StateEvent): void {
    this.historyCame();
    const s = this.s;
    const prev = this.current;
    this.current = ev;
    this.showNotices();
    if (ev.state === 'queued') {
      const wait = waitSentence(ev.estimatedWaitSeconds, s);
      const next = (ev.position ?? 1) <= 1;
      const text = `${s.queueNumber(ev.position ?? 1)} ${wait}`;
      // said the first time, when the wait is another in words, and when the resident is next;
      // a place one nearer with the same wait is only shown
      const news = prev?.state !== 'queued' || wait !== this.saidWait || (next && !this.saidNext);
      if (news) {
        this.saidWait = wait;
        this.saidNext = next;
      }
      if (this.statusLine.textContent !== text) this.say(text, news);
    } else if (ev.state === 'active') {
      this.agentName = ev.agentName ?? '';
      this.say(ev.agentName ? s.activeWith(ev.agentName) : s.activeAnon, prev?.state !== 'active');
      this.clearOffer();
    } else {
      this.statusLine.textContent = '';
      this.clearOffer();
      this.typingLine.hidden = true;
      if (prev?.state !== ev.state || prev?.reason !== ev.reason) this.showEnd(ev);
    }
  }

  /** The status line's words; `aloud`: its live region says them (else it is quiet for this change). */
  private say(text: string, aloud: boolean): void {
    this.statusLine.setAttribute('aria-live', aloud ? 'polite' : 'off');
    this.statusLine.textContent = text;
  }

  /** Whether the focus is somewhere in this chat (in the widget's shadow root, or the page in tests). */
  private hasFocus(): boolean {
    return this.el.contains((this.el.getRootNode() as ShadowRoot | Document).activeElement);
  }

  private showEnd(ev: StateEvent): void {
    // after "Ja, beëindigen" the focus fell from the hidden confirmation to the page's body
    const hadFocus = this.hasFocus() || (this.leaving && focusStayedIn(this.el));
    this.composer.hidden = true;
    this.end.hidden = false;
    clear(this.end);
    if (ev.state === 'callback') return; // the callback confirmation takes over
    const { heading, nodes } = endedView(ev, { s: this.s, ...this.actions });
    append(this.end, ...nodes);
    if (hadFocus) heading.focus();
  }

  message(m: ChatMessage): void {
    this.historyCame();
    if (m.clientMsgId && m.from === 'resident') {
      this.ackedIds.add(m.clientMsgId);
      this.pendingEls.get(m.clientMsgId)?.remove();
      this.pendingEls.delete(m.clientMsgId);
    }
    if (m.from === 'agent') this.typingLine.hidden = true;
    const el = this.bubble(m.from, m.from === 'agent' ? m.agentName || this.agentName || this.s.agentFallback : null, m.text, m.sentAt);
    // in seq order, ahead of anything still unconfirmed
    let before: Element | null = null;
    for (const [seq, other] of this.bySeq) {
      if (seq > m.seq && (!before || Number((before as HTMLElement).dataset.seq) > seq)) before = other;
    }
    if (!before) before = this.log.querySelector('.pending');
    el.dataset.seq = String(m.seq);
    this.bySeq.set(m.seq, el);
    // follow the conversation, unless the resident has scrolled up to read
    const follow = m.from === 'resident' || this.pinned || this.nearEnd();
    this.log.insertBefore(el, before);
    if (follow) this.scroll();
  }

  pending(list: PendingMessage[]): void {
    const ids = new Set(list.map((p) => p.clientMsgId));
    for (const [id, el] of this.pendingEls) {
      if (!ids.has(id)) {
        el.remove();
        this.pendingEls.delete(id);
      }
    }
    for (const p of list) {
      if (this.ackedIds.has(p.clientMsgId)) continue;
      let el = this.pendingEls.get(p.clientMsgId);
      if (!el) {
        el = this.bubble('resident', null, p.text, null);
        el.classList.add('pending');
        this.pendingEls.set(p.clientMsgId, el);
        this.log.append(el);
        this.scroll();
      }
      const note = el.querySelector('.note') as HTMLElement;
      if (p.status === 'failed') {
        el.classList.add('failed');
        clear(note);
        const reason = serverText(p.error, this.lang) || (p.code === 'conversation_ended' ? this.s.notSentEnded : '');
        const id = p.clientMsgId;
        // the buttons go with the note they act on; the focus goes back to the message box
        const again = p.retryable
          ? h('button', { type: 'button', class: 'link', onclick: () => this.afterAction(() => this.actions.retry(id)) }, this.s.retrySend)
          : null;
        append(note, `${reason ? `${this.s.notSent}: ${reason}` : this.s.notSent} `, again, again ? ' ' : null, h('button', {
          type: 'button',
          class: 'link',
          'aria-label': this.s.removeMessage,
          onclick: () => this.afterAction(() => this.actions.discard(id)),
        }, '×'));
      } else {
        // sent again (the resident's "Opnieuw versturen"): on its way, no longer shown as failed
        el.classList.remove('failed');
        // while the chat cannot store it, one steady line, also while a try is on the wire:
        // no flicker between "wordt verstuurd" and a failure every few seconds
        note.textContent = p.delayed ? this.s.sendingAgain : p.status === 'queued' ? this.s.waitingForConnection : this.s.sending;
      }
    }
  }

  /** Run an action on a message's note, which goes away with it: the focus returns to the message box. */
  private afterAction(action: () => void): void {
    action();
    this.focusComposer();
  }

  private bubble(from: string, agentName: string | null, text: string, sentAt: string | null): HTMLElement {
    const s = this.s;
    const who = from === 'resident' ? s.you : from === 'system' ? s.system : agentName ?? s.agentFallback;
    const time = sentAt ? new Date(sentAt) : null;
    const el = h(
      'div',
      { class: 'msg ' + from },
      h('p', { class: 'who' }, who, time && !isNaN(time.getTime())
        ? h('span', { class: 'time' }, ' ' + time.toLocaleTimeString(this.lang === 'en' ? 'en-GB' : 'nl-NL', { hour: '2-digit', minute: '2-digit' }))
        : null),
      h('p', { class: 'text' }, ...withLinks(text)),
    );
    if (!sentAt) el.append(h('p', { class: 'note' }));
    return el;
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
    this.pinned = true;
  }

  private nearEnd(): boolean {
    return this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
  }

  typing(): void {
    if (this.current?.state !== 'active' && this.current?.state !== 'queued') return;
    this.typingLine.textContent = this.s.typing(this.agentName || this.s.agentFallback);
    this.typingLine.hidden = false;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => (this.typingLine.hidden = true), 5000);
  }

  /** The agent stopped typing without sending (turned to an internal note): "… typt" goes now, not after its 5 s. */
  typingStopped(): void {
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = null;
    this.typingLine.hidden = true;
  }

  /**
   * A callback offer, announced and never focused: the resident may be typing. The same offer
   * again (after a reconnect) is neither rebuilt nor said again; a new reason changes the words
   * in place, so a focused button keeps the focus.
   */
  offer(o: OfferEvent): void {
    if (this.current && this.current.state !== 'queued') return;
    if (o.reason === this.offerReason || o.reason === this.declined) return;
    this.declined = null;
    const words = this.offerWords(o.reason);
    const shown = this.offerBox.querySelector('.offer p');
    this.offerReason = o.reason;
    if (shown) {
      shown.textContent = words;
      return;
    }
    const hadFocus = this.offerHasFocus();
    clear(this.offerBox);
    const accept = h('button', { type: 'button', class: 'primary', onclick: () => this.actions.acceptOffer() }, this.s.offerAccept);
    this.offerBox.append(h(
      'div',
      { class: 'offer' },
      h('p', {}, words),
      h('div', { class: 'actions' },
        accept,
        h('button', {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            this.declined = this.offerReason;
            this.quietOffer('');
            this.focusComposer();
          },
        }, this.s.offerDismiss)),
    ));
    // the quiet link that had the focus is gone: the offer's own button takes it
    if (hadFocus) accept.focus();
  }

  /**
   * The offer's reason no longer holds: the offer goes quiet, saying once (politely, in the
   * offer's live region) why, in the words of the offer that was shown. Returns those words, or
   * null when no offer was shown (nothing on screen claimed a reason).
   */
  offerWithdrawn(): string | null {
    const reason = this.offerReason;
    this.declined = null; // should the reason hold again, that is news
    if (reason === null) return null;
    const why = reason === 'no_agents' ? this.s.offerGoneNoAgents
      : reason === 'closing' ? this.s.offerGoneClosing
        : reason === 'long_wait' || reason === 'capacity_short' ? this.s.offerGoneBusy : '';
    this.quietOffer(why);
    return why || null;
  }

  private offerWords(reason: string): string {
    const s = this.s;
    return reason === 'no_agents' ? s.offerNoAgents
      : reason === 'closing' ? s.offerClosing
        : reason === 'capacity_short' ? s.offerCapacity
          : reason === 'long_wait' ? s.offerLongWait : s.offerOther;
  }

  /** What is left of an offer: a quiet link to the callback form, after why it went (if said). */
  private quietOffer(why: string): void {
    const hadFocus = this.offerHasFocus();
    this.offerReason = null;
    clear(this.offerBox);
    const link = h('button', { type: 'button', class: 'link', onclick: () => this.actions.acceptOffer() }, this.s.offerQuiet);
    this.offerBox.append(h('p', { class: 'offer-quiet' }, why ? why + ' ' : null, link));
    // the button that had the focus is gone: the link that does what it did takes it
    if (hadFocus) link.focus();
  }

  private clearOffer(): void {
    clear(this.offerBox);
    this.offerReason = null;
    this.declined = null;
  }

  private offerHasFocus(): boolean {
    return this.offerBox.contains((this.el.getRootNode() as ShadowRoot | Document).activeElement);
  }
}
