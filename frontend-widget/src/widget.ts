// The widget's screens: launcher → topics → house rules and name → queue and chat → rating,
// with the callback form reachable from the topic list and from a callback offer.

import { Api, ApiError, type Topic } from './api';
import { append, clear, h, uid } from './dom';
import {
  MAX_TEXT,
  ResidentClient,
  type ChatMessage,
  type ConnectionStatus,
  type FieldError,
  type OfferEvent,
  type PendingMessage,
  type StateEvent,
} from './protocol';
import { load, save, type CallbackSession, type ChatSession, type Saved } from './store';
import { STRINGS, serverText, type Lang, type Strings } from './strings';
import { formatWait } from './wait';
import css from './widget.css?inline';

const ICON =
  '<svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';

type Window3 = 'asap' | 'morning' | 'afternoon';

/**
 * The widget's styles. A constructed stylesheet needs no 'unsafe-inline' in the embedding site's
 * Content-Security-Policy (a <style> element would); browsers without one get the element.
 */
function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } else {
    const style = h('style');
    style.textContent = css;
    root.append(style);
  }
}

export interface WidgetOptions {
  baseUrl: string;
  lang: Lang;
}

export class Widget {
  private readonly s: Strings;
  private readonly api: Api;
  private readonly root: ShadowRoot;
  private readonly launcher: HTMLButtonElement;
  private readonly panel: HTMLElement;
  private readonly body: HTMLElement;
  private readonly conn: HTMLElement;
  private readonly announcer: HTMLElement;

  private saved: Saved | null = load();
  private client: ResidentClient | null = null;
  private chat: ChatView | null = null;
  private topics: Topic[] | null = null;

  constructor(private readonly opts: WidgetOptions, host: HTMLElement) {
    this.s = STRINGS[opts.lang];
    this.api = new Api(opts.baseUrl);
    this.root = host.attachShadow({ mode: 'open' });
    this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-haspopup': 'dialog', onclick: () => this.open() });
    this.launcher.innerHTML = ICON; // a constant icon, no outside text
    append(this.launcher, h('span', {}, this.s.launcher), h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' }));
    const titleId = uid('title');
    this.conn = h('p', { class: 'conn', hidden: true });
    this.body = h('div', { class: 'body' });
    this.panel = h(
      'section',
      { class: 'panel', role: 'dialog', 'aria-labelledby': titleId, hidden: true, lang: opts.lang },
      h(
        'header',
        { class: 'head' },
        h('h2', { id: titleId }, this.s.title),
        this.conn,
        h('button', { type: 'button', class: 'close', 'aria-label': this.s.closePanel, onclick: () => this.close() }, '×'),
      ),
      this.body,
    );
    this.announcer = h('div', { class: 'sr-only', role: 'status' });
    this.panel.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.close();
      }
    });
    const wrap = h('div', { class: 'loket', lang: opts.lang }, this.launcher, this.panel, this.announcer);
    adoptStyles(this.root);
    this.root.append(wrap);

    window.addEventListener('online', () => this.client?.reconnectNow());
    this.restore();
  }

  // ---- opening and closing -------------------------------------------------------------

  open(): void {
    this.panel.hidden = false;
    this.launcher.hidden = true;
    this.setBadge(false);
    this.remember({ open: true });
    if (!this.body.firstChild) this.showStart();
    this.focusView();
  }

  close(): void {
    this.panel.hidden = true;
    this.launcher.hidden = false;
    this.remember({ open: false });
    this.launcher.focus();
  }

  private get isOpen(): boolean {
    return !this.panel.hidden;
  }

  private remember(patch: Partial<Omit<ChatSession, 'kind'> & Omit<CallbackSession, 'kind'>>): void {
    if (!this.saved) return;
    this.saved = { ...this.saved, ...patch } as Saved;
    save(this.saved);
  }

  private setBadge(on: boolean): void {
    (this.launcher.querySelector('.badge') as HTMLElement).hidden = !on;
  }

  /** Put focus at the start of the current screen: its heading, or the message box in a chat. */
  private focusView(): void {
    const target = this.body.querySelector<HTMLElement>('[data-autofocus]:not([hidden])') ?? this.body.querySelector<HTMLElement>('h3');
    target?.focus();
  }

  private show(...children: HTMLElement[]): void {
    if (this.chat && !children.includes(this.chat.el)) this.chat = null;
    clear(this.body);
    append(this.body, ...children);
    if (this.isOpen) this.focusView();
  }

  private restore(): void {
    const saved = this.saved;
    if (!saved) return;
    if (saved.kind === 'callback') this.showCallbackDone();
    else this.startClient(saved, false);
    if (saved.open) {
      this.panel.hidden = false;
      this.launcher.hidden = true;
    }
  }

  private showStart(): void {
    const saved = this.saved;
    if (saved?.kind === 'callback') this.showCallbackDone();
    else if (saved?.kind === 'chat') this.startClient(saved, true);
    else this.showTopics();
  }

  private newQuestion(): void {
    this.client?.close();
    this.client = null;
    this.saved = null;
    save(null);
    this.conn.hidden = true;
    this.showTopics();
  }

  // ---- topics --------------------------------------------------------------------------

  private async showTopics(): Promise<void> {
    const s = this.s;
    const list = h('ul', { class: 'topics' });
    const status = h('p', { class: 'muted' }, s.loading);
    this.show(h('div', { class: 'view' }, h('h3', { tabindex: -1 }, s.topicsHeading), h('p', {}, s.topicsIntro), status, list));
    try {
      this.topics = await this.api.topics(this.opts.lang);
    } catch {
      clear(status);
      status.className = 'error';
      append(status, s.topicsError, ' ', h('button', { type: 'button', class: 'link', onclick: () => this.showTopics() }, s.retry));
      return;
    }
    status.remove();
    for (const t of this.topics) list.append(this.topicItem(t));
  }

  private topicItem(t: Topic): HTMLElement {
    const s = this.s;
    const metaId = uid('meta');
    const state = t.open
      ? `${s.topicOpen}. ${waitSentence(t.estimatedWaitSeconds, s)}`
      : `${s.topicClosed}.${t.nextOpenAt ? ' ' + s.topicNextOpen(this.when(t.nextOpenAt)) + '.' : ''}`;
    const described = [metaId];
    const notice = t.notice ? h('p', { class: 'notice', id: uid('notice') }, h('strong', {}, s.notice + ': '), t.notice) : null;
    if (notice) described.push(notice.id);
    const item = h(
      'li',
      { class: 'topic' },
      h('button', { type: 'button', class: 'topic-btn', 'aria-describedby': described.join(' '), onclick: () => this.chooseTopic(t) }, t.name),
      h('p', { class: 'meta', id: metaId }, h('span', { class: t.open ? 'dot open' : 'dot shut', 'aria-hidden': 'true' }), state),
      notice,
    );
    if (t.digitalAlternatives?.length) {
      const alts = h('ul', { class: 'alts' });
      for (const a of t.digitalAlternatives) alts.append(h('li', {}, h('a', { href: safeUrl(a.url) }, a.title)));
      append(item, h('p', { class: 'alt-h' }, s.onlineHeading), alts);
    }
    return item;
  }

  private when(iso: string): string {
    try {
      return new Intl.DateTimeFormat(this.opts.lang === 'en' ? 'en-GB' : 'nl-NL', {
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

  private chooseTopic(t: Topic): void {
    if (!t.open) this.showCallbackForm({ mode: 'direct', topic: t, intro: this.s.callbackIntroClosed(t.nextOpenAt ? this.when(t.nextOpenAt) : null) });
    else if (t.callbackOffered) this.showCallbackForm({ mode: 'direct', topic: t, intro: this.s.callbackIntroBusy, chatAnyway: true });
    else this.showRules(t);
  }

  // ---- house rules, name, start --------------------------------------------------------

  private showRules(t: Topic): void {
    const s = this.s;
    const nameId = uid('name');
    const name = h('input', { id: nameId, type: 'text', autocomplete: 'name', maxlength: 100 });
    const error = h('p', { class: 'error', role: 'alert' });
    const start = h('button', { type: 'submit', class: 'primary' }, s.startChat);
    const form = h(
      'form',
      { class: 'view', novalidate: true },
      h('h3', { tabindex: -1 }, s.rulesHeading),
      h('p', { class: 'topic-name' }, t.name),
      h('ul', { class: 'rules' }, h('li', {}, s.rulesChat), h('li', {}, s.rulesStored), h('li', { class: 'strong' }, s.rulesBsn)),
      h('div', { class: 'field' }, h('label', { for: nameId }, s.nameLabel), name),
      error,
      h('div', { class: 'actions' }, start, h('button', { type: 'button', class: 'secondary', onclick: () => this.showTopics() }, s.back)),
    );
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (start.disabled) return;
      start.disabled = true;
      error.textContent = s.starting;
      try {
        const started = await this.api.start(t.id, name.value.trim() || undefined, this.opts.lang);
        const session: ChatSession = { kind: 'chat', id: started.id, token: started.token, topic: t.id, topicName: t.name, open: true };
        this.saved = session;
        save(session);
        this.startClient(session, true, started);
      } catch (err) {
        start.disabled = false;
        if (err instanceof ApiError && err.status === 409) {
          const next = typeof err.body.nextOpenAt === 'string' ? this.when(err.body.nextOpenAt) : null;
          this.showCallbackForm({ mode: 'direct', topic: t, intro: s.topicNowClosed + ' ' + s.callbackIntroClosed(next) });
          return;
        }
        error.textContent = err instanceof ApiError && err.errors.length
          ? err.errors.map((x) => serverText(x.message, this.opts.lang)).join(' ')
          : s.startError;
      }
    });
    this.show(form);
  }

  // ---- the conversation ----------------------------------------------------------------

  private startClient(session: ChatSession, focus: boolean, started?: { position: number; estimatedWaitSeconds: number | null }): void {
    this.client?.close();
    const chat = new ChatView(this.s, this.opts.lang, {
      send: (text) => this.client?.send(text),
      typing: () => this.client?.typing(),
      discard: (id) => this.client?.discard(id),
      leave: () => this.client?.leave() ?? false,
      acceptOffer: () => this.showCallbackForm({ mode: 'chat', topic: { id: session.topic, name: session.topicName } as Topic, intro: this.s.callbackIntroChat }),
      rate: (score, comment) => this.api.rate(session.id, session.token, score, comment).then(() => this.remember({ rated: true })),
      transcript: () => this.downloadTranscript(),
      newQuestion: () => this.newQuestion(),
      rated: () => !!(this.saved as ChatSession | null)?.rated,
    });
    this.chat = chat;
    clear(this.body);
    this.body.append(chat.el);
    if (started) chat.state({ type: 'state', state: 'queued', position: started.position, estimatedWaitSeconds: started.estimatedWaitSeconds });
    if (focus && this.isOpen) this.focusView();

    this.client = new ResidentClient({
      baseUrl: this.opts.baseUrl,
      conversationId: session.id,
      token: session.token,
      pending: session.pending,
      probe: () => this.api.transcript(session.id, session.token).then(
        () => true,
        (e) => !(e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)),
      ),
      listener: {
        status: (st) => this.connectionStatus(st),
        state: (ev) => this.chatFor(session)?.state(ev),
        message: (m) => {
          this.chatFor(session)?.message(m);
          if (!this.isOpen && m.from !== 'resident') {
            this.setBadge(true);
            this.announcer.textContent = this.s.newMessage(m.from === 'agent' ? m.agentName || this.s.agentFallback : this.s.system);
          }
        },
        pending: (p) => {
          this.chatFor(session)?.pending(p);
          this.remember({ pending: p });
        },
        typing: () => this.chatFor(session)?.typing(),
        offer: (o) => this.chatFor(session)?.offer(o),
        callbackCreated: (id) => {
          this.remember({ callbackId: id });
          this.showCallbackDone();
        },
        callbackErrors: (errors) => this.callbackForm?.errors(errors),
        error: (e) => {
          if (!e.clientMsgId) this.chatFor(session)?.notice(serverText(e.message, this.opts.lang));
        },
      },
    });
    this.client.connect();
  }

  /** The chat view of this session, if it is the one on screen. */
  private chatFor(session: ChatSession): ChatView | null {
    return this.saved === session || (this.saved?.kind === 'chat' && this.saved.id === session.id) ? this.chat : null;
  }

  private connectionStatus(st: ConnectionStatus): void {
    const s = this.s;
    const text = st === 'online' ? s.connOnline : st === 'connecting' ? s.connConnecting : st === 'gone' ? s.connGone : st === 'offline' ? s.connOfflineShort : '';
    this.conn.hidden = !text;
    this.conn.className = 'conn is-' + st;
    this.conn.textContent = text;
    this.chat?.connection(st);
    if (st === 'gone') {
      this.saved = null;
      save(null);
    }
  }

  private async downloadTranscript(): Promise<void> {
    const saved = this.saved;
    if (!saved || saved.kind !== 'chat') return;
    const text = await this.api.transcript(saved.id, saved.token);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    const a = h('a', { href: url, download: `${this.s.transcriptFile}-${new Date().toISOString().slice(0, 10)}.txt`, hidden: true });
    this.root.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  // ---- callback form -------------------------------------------------------------------

  private callbackForm: CallbackFormView | null = null;

  private showCallbackForm(ctx: { mode: 'direct' | 'chat'; topic: Topic; intro: string; chatAnyway?: boolean }): void {
    const s = this.s;
    const form = new CallbackFormView(s, this.opts.lang, ctx.intro, async (data) => {
      if (ctx.mode === 'chat') {
        this.remember({ callbackWindow: data.window });
        if (!this.client?.requestCallback(data)) form.fail(s.connOfflineShort);
        return; // the answer comes over the socket: callback_created, or field errors
      }
      try {
        const created = await this.api.requestCallback({ topic: ctx.topic.id, ...data });
        this.saved = { kind: 'callback', id: created.id, token: created.token, topic: ctx.topic.id, topicName: ctx.topic.name, window: data.window, open: true };
        save(this.saved);
        this.showCallbackDone();
      } catch (err) {
        if (err instanceof ApiError && err.errors.length) form.errors(err.errors);
        else form.fail(s.callbackError);
      }
    });
    this.callbackForm = form;
    if (ctx.mode === 'chat' && this.chat) {
      // the chat stays in place underneath, draft included; the form covers it until sent or dismissed
      this.chat.el.hidden = true;
      const chat = this.chat;
      form.addSecondary(s.backToChat, () => {
        form.el.remove();
        this.callbackForm = null;
        chat.el.hidden = false;
        chat.focusComposer();
      });
      this.body.append(form.el);
      form.focus();
      return;
    }
    if (ctx.chatAnyway) form.addSecondary(s.chatAnyway, () => this.showRules(ctx.topic));
    form.addSecondary(s.back, () => this.showTopics());
    this.show(form.el);
  }

  // ---- callback confirmation -----------------------------------------------------------

  private showCallbackDone(): void {
    const s = this.s;
    const saved = this.saved;
    if (!saved) return;
    this.callbackForm = null;
    const callbackId = saved.kind === 'callback' ? saved.id : saved.callbackId;
    if (!callbackId) return;
    const cancelled = saved.kind === 'callback' ? saved.cancelled : saved.callbackCancelled;
    const result = h('p', { role: 'status' });
    const error = h('p', { class: 'error', role: 'alert' });
    const cancel = h('button', { type: 'button', class: 'secondary' }, s.callbackCancel);
    const view = h(
      'div',
      { class: 'view' },
      h('h3', { tabindex: -1 }, cancelled ? s.callbackCancelled : s.callbackDoneHeading),
      cancelled ? null : h('p', {}, s.callbackDoneText),
      h('p', { class: 'topic-name' }, saved.topicName),
      windowOf(saved) && !cancelled ? h('p', {}, s.callbackDoneWindow(windowName(windowOf(saved) as Window3, s))) : null,
      h('p', { class: 'ref' }, s.callbackReference + ': ', h('code', {}, callbackId)),
      result,
      error,
      h(
        'div',
        { class: 'actions' },
        cancelled ? null : cancel,
        saved.kind === 'chat' ? h('button', { type: 'button', class: 'secondary', onclick: () => this.transcriptWithError(error) }, s.transcript) : null,
        h('button', { type: 'button', class: 'secondary', onclick: () => this.newQuestion() }, s.newChat),
      ),
    );
    cancel.addEventListener('click', async () => {
      cancel.disabled = true;
      error.textContent = '';
      try {
        await this.api.cancelCallback(callbackId, saved.token);
      } catch (err) {
        // 409: it had ended already (done, failed or cancelled elsewhere): nothing left to cancel
        if (!(err instanceof ApiError && err.status === 409)) {
          cancel.disabled = false;
          error.textContent = s.callbackCancelError;
          return;
        }
      }
      this.remember(saved.kind === 'callback' ? { cancelled: true } : { callbackCancelled: true });
      cancel.remove();
      result.textContent = s.callbackCancelled;
    });
    this.show(view);
  }

  private async transcriptWithError(error: HTMLElement): Promise<void> {
    error.textContent = '';
    try {
      await this.downloadTranscript();
    } catch {
      error.textContent = this.s.transcriptError;
    }
  }
}

function waitSentence(ewt: number | null | undefined, s: Strings): string {
  return ewt == null ? capital(s.waitUnknown) + '.' : s.queueWait(formatWait(ewt, s));
}

function capital(t: string): string {
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function windowOf(saved: Saved): string | undefined {
  return saved.kind === 'callback' ? saved.window : saved.callbackWindow;
}

function windowName(w: Window3, s: Strings): string {
  return w === 'morning' ? s.windowMorning : w === 'afternoon' ? s.windowAfternoon : s.windowAsap;
}

/** Links from the topic catalogue are http(s) only: no javascript: URLs on the municipal site. */
function safeUrl(url: string): string {
  try {
    const u = new URL(url, document.baseURI);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : '#';
  } catch {
    return '#';
  }
}

// ---- the chat screen ---------------------------------------------------------------------

interface ChatActions {
  send(text: string): PendingMessage | null | undefined;
  typing(): void;
  discard(clientMsgId: string): void;
  leave(): boolean;
  acceptOffer(): void;
  rate(score: number, comment?: string): Promise<void>;
  transcript(): Promise<void>;
  newQuestion(): void;
  rated(): boolean;
}

class ChatView {
  readonly el: HTMLElement;
  private readonly statusLine: HTMLElement;
  private readonly offline: HTMLElement;
  private readonly offerBox: HTMLElement;
  private readonly log: HTMLElement;
  private readonly typingLine: HTMLElement;
  private readonly composer: HTMLFormElement;
  private readonly input: HTMLTextAreaElement;
  private readonly inputError: HTMLElement;
  private readonly end: HTMLElement;
  private readonly bySeq = new Map<number, HTMLElement>();
  private readonly pendingEls = new Map<string, HTMLElement>();
  private readonly ackedIds = new Set<string>();
  private agentName = '';
  private typingTimer: ReturnType<typeof setTimeout> | null = null;
  private current: StateEvent | null = null;

  constructor(private readonly s: Strings, private readonly lang: Lang, private readonly actions: ChatActions) {
    const inputId = uid('msg');
    const errId = uid('msgerr');
    this.statusLine = h('p', { class: 'queue', role: 'status' }, s.connConnecting);
    this.offline = h('p', { class: 'offline', role: 'status' });
    this.offerBox = h('div', { class: 'offer-wrap', 'aria-live': 'polite' });
    this.log = h('div', { class: 'log', role: 'log', 'aria-label': s.messagesLabel, tabindex: 0 });
    this.typingLine = h('p', { class: 'typing', hidden: true });
    this.input = h('textarea', { id: inputId, rows: 2, maxlength: MAX_TEXT, 'data-autofocus': true, 'aria-describedby': errId }) as HTMLTextAreaElement;
    this.inputError = h('p', { class: 'error', id: errId });
    this.input.addEventListener('input', () => {
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
          if (actions.leave()) confirm.hidden = true;
          else this.notice(s.connOfflineShort);
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
    });
    this.end = h('div', { class: 'end', hidden: true });
    this.el = h('div', { class: 'chat' }, this.statusLine, this.offline, this.offerBox, this.log, this.typingLine, this.composer, this.end);
  }

  focusComposer(): void {
    if (!this.composer.hidden) this.input.focus();
  }

  private submit(): void {
    const text = this.input.value.trim();
    if (!text) return;
    if (text.length > MAX_TEXT) {
      this.inputError.textContent = this.s.tooLong(MAX_TEXT);
      return;
    }
    if (this.actions.send(text)) this.input.value = '';
  }

  connection(st: ConnectionStatus): void {
    this.offline.textContent = st === 'offline' ? this.s.connOffline : '';
    if (st === 'gone') {
      // the token or the conversation is no more (expired, or removed on request): start afresh
      this.composer.hidden = true;
      this.end.hidden = false;
      clear(this.end);
      append(this.end, h('p', { role: 'alert' }, this.s.connGone),
        h('button', { type: 'button', class: 'secondary', onclick: () => this.actions.newQuestion() }, this.s.newChat));
    }
  }

  notice(text: string): void {
    this.inputError.textContent = text;
  }

  state(ev: StateEvent): void {
    const s = this.s;
    const prev = this.current;
    this.current = ev;
    if (ev.state === 'queued') {
      const text = `${s.queueNumber(ev.position ?? 1)} ${waitSentence(ev.estimatedWaitSeconds, s)}`;
      if (this.statusLine.textContent !== text) this.statusLine.textContent = text;
    } else if (ev.state === 'active') {
      this.agentName = ev.agentName ?? '';
      this.statusLine.textContent = ev.agentName ? s.activeWith(ev.agentName) : s.activeAnon;
      clear(this.offerBox);
    } else {
      this.statusLine.textContent = '';
      clear(this.offerBox);
      this.typingLine.hidden = true;
      if (prev?.state !== ev.state || prev?.reason !== ev.reason) this.showEnd(ev);
    }
  }

  private showEnd(ev: StateEvent): void {
    const s = this.s;
    const hadFocus = this.el.contains((this.el.getRootNode() as ShadowRoot).activeElement);
    this.composer.hidden = true;
    this.end.hidden = false;
    clear(this.end);
    if (ev.state === 'callback') return; // the callback confirmation takes over
    const text = ev.state === 'abandoned' ? s.endedAbandoned
      : ev.reason === 'resident_left' ? s.endedLeft
        : ev.reason === 'timeout' ? s.endedTimeout : s.endedClosed;
    const error = h('p', { class: 'error', role: 'alert' });
    const heading = h('h3', { tabindex: -1 }, text);
    append(this.end, heading);
    if (ev.state === 'closed') this.end.append(this.rating());
    append(
      this.end,
      error,
      h(
        'div',
        { class: 'actions' },
        h('button', {
          type: 'button',
          class: 'secondary',
          onclick: () => this.actions.transcript().catch(() => (error.textContent = s.transcriptError)),
        }, s.transcript),
        h('button', { type: 'button', class: 'secondary', onclick: () => this.actions.newQuestion() }, s.newChat),
      ),
    );
    if (hadFocus) heading.focus();
  }

  private rating(): HTMLElement {
    const s = this.s;
    const box = h('div', { class: 'rating' });
    if (this.actions.rated()) {
      box.append(h('p', { role: 'status' }, s.ratingThanks));
      return box;
    }
    let score = 0;
    const commentId = uid('comment');
    const comment = h('textarea', { id: commentId, rows: 2, maxlength: 1000 }) as HTMLTextAreaElement;
    const error = h('p', { class: 'error', role: 'alert' });
    const thanks = h('p', { role: 'status' });
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
        await this.actions.rate(score, comment.value.trim() || undefined);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 409)) {
          submit.disabled = false;
          error.textContent = s.ratingError;
          return;
        }
      }
      form.remove();
      thanks.textContent = s.ratingThanks;
    });
    box.append(form, thanks);
    return box;
  }

  message(m: ChatMessage): void {
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
    const follow = m.from === 'resident' || this.log.scrollHeight - this.log.scrollTop - this.log.clientHeight < 80;
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
        append(note, `${this.s.notSent}: ${serverText(p.error, this.lang)} `, h('button', {
          type: 'button',
          class: 'link',
          onclick: () => this.actions.discard(p.clientMsgId),
        }, '×'));
        (note.querySelector('button') as HTMLElement).setAttribute('aria-label', this.s.removeMessage);
      } else {
        note.textContent = p.status === 'sent' ? this.s.sending : this.s.waitingForConnection;
      }
    }
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
      h('p', { class: 'text' }, text),
    );
    if (!sentAt) el.append(h('p', { class: 'note' }));
    return el;
  }

  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight;
  }

  typing(): void {
    if (this.current?.state !== 'active' && this.current?.state !== 'queued') return;
    this.typingLine.textContent = this.s.typing(this.agentName || this.s.agentFallback);
    this.typingLine.hidden = false;
    if (this.typingTimer) clearTimeout(this.typingTimer);
    this.typingTimer = setTimeout(() => (this.typingLine.hidden = true), 5000);
  }

  offer(o: OfferEvent): void {
    if (this.current && this.current.state !== 'queued') return;
    const s = this.s;
    const text = o.reason === 'no_agents' ? s.offerNoAgents
      : o.reason === 'closing' ? s.offerClosing
        : o.reason === 'capacity_short' ? s.offerCapacity : s.offerLongWait;
    clear(this.offerBox);
    // announced, never focused: the resident may be typing
    this.offerBox.append(h(
      'div',
      { class: 'offer' },
      h('p', {}, text),
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'primary', onclick: () => this.actions.acceptOffer() }, s.offerAccept),
        h('button', {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            clear(this.offerBox);
            this.focusComposer();
          },
        }, s.offerDismiss)),
    ));
  }
}

// ---- the callback form -------------------------------------------------------------------

class CallbackFormView {
  readonly el: HTMLFormElement;
  private readonly inputs: Record<string, HTMLInputElement | HTMLTextAreaElement> = {};
  private readonly fieldErrors: Record<string, HTMLElement> = {};
  private readonly summary: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly submitBtn: HTMLButtonElement;

  constructor(
    private readonly s: Strings,
    private readonly lang: Lang,
    intro: string,
    onSubmit: (data: { phone: string; name?: string; window: Window3; note?: string }) => void | Promise<void>,
  ) {
    const phone = this.field('phone', s.phoneLabel, h('input', { type: 'tel', autocomplete: 'tel', required: true, 'aria-required': 'true' }), s.phoneHint);
    const name = this.field('name', s.cbNameLabel, h('input', { type: 'text', autocomplete: 'name', maxlength: 100 }));
    const note = this.field('note', s.noteLabel, h('textarea', { rows: 2, maxlength: 1000 }));
    const group = uid('window');
    const windows = h('fieldset', { class: 'windows' }, h('legend', {}, s.windowLegend));
    for (const [value, label] of [['asap', s.windowAsap], ['morning', s.windowMorning], ['afternoon', s.windowAfternoon]] as const) {
      const id = uid('w');
      windows.append(h('div', { class: 'radio' },
        h('input', { type: 'radio', id, name: group, value, checked: value === 'asap' }),
        h('label', { for: id }, label)));
    }
    this.fieldErrors.window = h('p', { class: 'error', id: uid('err') });
    windows.append(this.fieldErrors.window);
    this.summary = h('p', { class: 'error', role: 'alert' });
    this.submitBtn = h('button', { type: 'submit', class: 'primary' }, s.callbackSubmit);
    this.actions = h('div', { class: 'actions' }, this.submitBtn);
    this.el = h(
      'form',
      { class: 'view callback', novalidate: true },
      h('h3', { tabindex: -1 }, s.callbackHeading),
      h('p', {}, intro),
      h('p', { class: 'muted' }, s.callbackPrivacy),
      phone, name, windows, note,
      this.summary,
      this.actions,
    ) as HTMLFormElement;
    this.el.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (this.submitBtn.disabled) return;
      this.clearErrors();
      const data = {
        phone: this.inputs.phone.value.trim(),
        name: this.inputs.name.value.trim() || undefined,
        window: ((this.el.querySelector('input[type=radio]:checked') as HTMLInputElement | null)?.value ?? 'asap') as Window3,
        note: this.inputs.note.value.trim() || undefined,
      };
      if (!data.phone) {
        this.errors([{ field: 'phone', message: s.phoneRequired }]);
        return;
      }
      this.submitBtn.disabled = true;
      this.summary.textContent = s.callbackSending;
      try {
        await onSubmit(data);
      } finally {
        // over the socket the answer comes later; let the resident try again if it never does
        setTimeout(() => (this.submitBtn.disabled = false), 3000);
      }
    });
  }

  private field(key: string, label: string, input: HTMLInputElement | HTMLTextAreaElement, hint?: string): HTMLElement {
    const id = uid(key);
    const errId = uid('err');
    const hintId = hint ? uid('hint') : null;
    input.id = id;
    input.name = key;
    input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
    this.inputs[key] = input;
    this.fieldErrors[key] = h('p', { class: 'error', id: errId });
    return h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('p', { class: 'hint', id: hintId }, hint) : null, this.fieldErrors[key], input);
  }

  addSecondary(label: string, action: () => void): void {
    this.actions.append(h('button', { type: 'button', class: 'secondary', onclick: action }, label));
  }

  focus(): void {
    (this.el.querySelector('h3') as HTMLElement).focus();
  }

  private clearErrors(): void {
    this.summary.textContent = '';
    for (const [k, el] of Object.entries(this.fieldErrors)) {
      el.textContent = '';
      this.inputs[k]?.removeAttribute('aria-invalid');
    }
  }

  fail(message: string): void {
    this.submitBtn.disabled = false;
    this.summary.textContent = message;
  }

  /** Field errors from the API, each beside its field; focus goes to the first. */
  errors(errors: FieldError[]): void {
    this.clearErrors();
    this.submitBtn.disabled = false;
    const other: string[] = [];
    let first: HTMLElement | null = null;
    for (const e of errors) {
      const text = serverText(e.message, this.lang);
      const target = this.fieldErrors[e.field];
      if (!target) {
        other.push(text);
        continue;
      }
      target.textContent = (target.textContent ? target.textContent + ' ' : '') + text;
      const input = this.inputs[e.field] ?? (e.field === 'window' ? this.el.querySelector<HTMLElement>('input[type=radio]') : null);
      input?.setAttribute('aria-invalid', 'true');
      first ??= input as HTMLElement;
    }
    this.summary.textContent = [this.s.formErrors, ...other].join(' ');
    first?.focus();
  }
}
