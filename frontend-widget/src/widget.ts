// The widget's flow: launcher → topics → house rules and name → queue and chat → rating, with
// the callback form reachable from the topic list and from a callback offer. This file decides
// which screen comes next and keeps the session; the screens themselves live in screens/.

import { Api, ApiError, isCapacityRefusal, isPassing, type DepartmentNotice, type Started, type Topic } from './api';
import { formatWhen, waitSentence } from './format';
import { ResidentClient, type ConnectionStatus, type StateEvent } from './protocol';
import { CallbackFormView } from './screens/callback-form';
import { callbackDoneView } from './screens/callback-done';
import { ChatView } from './screens/chat';
import { endedNoticeView } from './screens/ended';
import { rulesView } from './screens/rules';
import { topicsView } from './screens/topics';
import { Shell } from './shell';
import { HEARTBEAT_MS, endedMarker, SHARED_KEY, SHARED_TTL_MS, live, load, loadShared, save, sharedExpiry, sweepShared, touch, type CallbackSession, type ChatSession, type EndedSession, type Saved } from './store';
import { STRINGS, serverText, type Lang, type Strings } from './strings';

/**
 * How long the widget tries to end a conversation started after the resident went back (see
 * `endUnwanted`): a few connects. Then it lets go; the server abandons a queued conversation
 * whose resident is not connected after its grace period (LOKET_GRACE_RESIDENT, 60 s).
 */
const LEAVE_TRYING_MS = 30000;

/**
 * A page in the background this long or longer gets a fresh socket when it is back in front: a
 * phone may have changed networks or dropped the link meanwhile, and a socket that died without a
 * close still reports itself open. Shorter looks elsewhere (switching tabs) keep the socket.
 */
const AWAY_CHECK_MS = 30000;

export interface WidgetOptions {
  baseUrl: string;
  lang: Lang;
}

export class Widget {
  private readonly s: Strings;
  private readonly lang: Lang;
  private readonly api: Api;
  private readonly shell: Shell;

  private saved: Saved | null = load();
  private client: ResidentClient | null = null;
  private chat: ChatView | null = null;
  private callbackForm: CallbackFormView | null = null;
  /** The callback form over the chat (an accepted offer) while it is open; `asked`: a request awaits its answer. */
  private over: { form: CallbackFormView; chat: ChatView; asked: boolean } | null = null;
  /** The form over the chat closed while its request awaited an answer: the refusal (invalid_state) is explained already. */
  private refusalExplained = false;
  private topics: Topic[] | null = null;
  private retention: Promise<number | null> | null = null;
  /**
   * Counts starts and screen changes. A start whose answer comes after another of either (the
   * resident went back, or started again) is no longer wanted: nothing of it is shown.
   */
  private turn = 0;
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  /** When the page went into the background (hidden or frozen); null while it is in front. */
  private awaySince: number | null = null;
  /** Removes another conversation's shared session when it expires, while this widget shows something else. */
  private sweeper: ReturnType<typeof setTimeout> | null = null;
  /** clientMsgIds this tab knows are sent (an echo) or removed: another tab's copy of them is not kept in the shared session. */
  private readonly gone = new Set<string>();
  /**
   * The number the resident just typed in the callback form, for its confirmation: shown in full
   * right after sending (so a typo shows), kept in memory only; a reload shows its last digits.
   */
  private typedPhone: string | null = null;
  /** The service said the conversation ended too long ago to be read with its token (`access_ended`). */
  private accessEnded = false;

  constructor(private readonly opts: WidgetOptions, host: HTMLElement) {
    this.s = STRINGS[opts.lang];
    this.lang = opts.lang;
    this.api = new Api(opts.baseUrl);
    this.shell = new Shell(this.s, opts.lang, host, {
      opened: () => {
        this.retentionDays(); // asked now, so the house rules have it by the time they show
        this.remember({ open: true });
        if (this.shell.isEmpty) this.showStart();
      },
      closed: () => this.remember({ open: false }),
    });
    // a phone's connection changes under the socket without a word (see `ResidentClient.refresh`)
    window.addEventListener('online', () => this.client?.refresh());
    window.addEventListener('offline', () => this.client?.networkLost());
    document.addEventListener('visibilitychange', () => (document.visibilityState === 'hidden' ? this.away() : this.back()));
    // Page Lifecycle: a phone freezes a page in the background, and resumes it later
    document.addEventListener('freeze', () => this.away());
    document.addEventListener('resume', () => this.back());
    window.addEventListener('pagehide', () => touch(this.saved));
    // another tab started a conversation (or a callback request): this one takes it up rather than start a second
    window.addEventListener('storage', (e) => {
      if (e.key === SHARED_KEY && e.newValue && !this.saved) this.adoptShared();
      else if (e.key === SHARED_KEY) this.sweepLater();
    });
    // this tab's own copy (taken from another tab's), and a sign of life for the others
    if (this.saved) save(this.saved);
    this.beat();
    this.restore();
  }

  open(): void {
    this.shell.open();
  }

  /** The page went into the background (hidden, or frozen): from when, see `back`. */
  private away(): void {
    this.awaySince ??= Date.now();
  }

  /**
   * The page is in front again. Without a connection it is tried at once (a back-off timer may have
   * been held back while hidden). With one that was away long enough to have died without a word
   * (`AWAY_CHECK_MS`), it is replaced, so the queue position and the messages are current; after a
   * short look elsewhere it is left alone, so switching tabs costs the server nothing.
   */
  private back(): void {
    const since = this.awaySince;
    this.awaySince = null;
    const client = this.client;
    if (!client) return;
    if (client.status === 'offline') client.reconnectNow();
    else if (client.status === 'online' && since !== null && Date.now() - since >= AWAY_CHECK_MS) client.refresh();
  }

  close(): void {
    this.shell.close();
  }

  // ---- the session ---------------------------------------------------------------------

  private remember(patch: Partial<Omit<ChatSession, 'kind'> & Omit<CallbackSession, 'kind'>>): void {
    if (!this.saved || (this.saved.kind === 'ended' && Object.keys(patch).some((k) => k !== 'open'))) return;
    this.saved = { ...this.saved, ...patch } as Saved;
    this.persist(this.saved);
  }

  /** Keeps the session, and the signs of life that keep it for other tabs while it is open. */
  /** `dropped`: with `s` null, the session this tab lets go of (only its shared copy goes, not another conversation's). */
  private persist(s: Saved | null, dropped?: Saved | null): void {
    save(s, this.gone, dropped && dropped.kind !== 'ended' ? dropped.id : undefined);
    this.beat();
  }

  /** Refreshes the shared session's time while the widget shows an open conversation; no timer otherwise. */
  private beat(): void {
    const open = !!this.saved && live(this.saved);
    if (open && !this.heartbeat) this.heartbeat = setInterval(() => touch(this.saved), HEARTBEAT_MS);
    else if (!open && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
    if (!open) this.sweepLater();
  }

  /**
   * While this widget shows no open conversation of its own, a shared one another tab left is
   * removed when it expires: once its tabs are gone nobody may open it, and nothing of it stays.
   * One timer, only while there is such an entry; the heartbeat of a tab that shows it keeps it.
   */
  private sweepLater(): void {
    if (this.sweeper || (this.saved && live(this.saved))) return;
    const expiry = sharedExpiry();
    if (expiry === null) return;
    this.sweeper = setTimeout(() => {
      this.sweeper = null;
      if (this.saved && live(this.saved)) return;
      sweepShared();
      this.sweepLater();
    }, Math.max(0, expiry - Date.now()) + 1000);
  }

  private show(view: HTMLElement): void {
    this.turn++;
    if (this.chat && view !== this.chat.el) this.chat = null;
    this.over = null;
    this.shell.show(view);
  }

  private restore(): void {
    const saved = this.saved;
    if (!saved) return;
    if (saved.kind === 'callback') this.showCallbackDone();
    else if (saved.kind === 'ended') this.showEndedNotice();
    else this.startClient(saved, false);
    if (saved.open) this.shell.reveal();
  }

  /** Takes up the live session another tab of the site keeps; false when there is none. */
  private adoptShared(): boolean {
    const shared = loadShared();
    if (!shared) return false;
    this.saved = { ...shared, open: this.shell.isOpen };
    this.persist(this.saved);
    this.turn++; // a start on its way here is no longer wanted
    this.showStart();
    return true;
  }

  private showStart(): void {
    const saved = this.saved;
    if (saved?.kind === 'callback') this.showCallbackDone();
    else if (saved?.kind === 'chat') this.startClient(saved, true);
    else if (saved?.kind === 'ended') this.showEndedNotice();
    else this.showTopics();
  }

  /**
   * A conversation that ended before this page saw it open (a reload, a reopened tab): it is not
   * shown again. The tab keeps only the marker that it ended; "Nieuwe vraag" removes that too.
   */
  private showEndedNotice(): void {
    this.client?.close();
    this.client = null;
    if (this.saved?.kind !== 'ended') {
      const dropped = this.saved;
      const ended: EndedSession = endedMarker(dropped, this.shell.isOpen);
      this.saved = ended;
      this.persist(ended, dropped);
    }
    const saved = this.saved as EndedSession;
    this.show(endedNoticeView(this.s, () => this.newQuestion(), saved.callbackReference ?? null));
    if (this.shell.isOpen) this.shell.focusView();
  }

  private newQuestion(): void {
    this.typedPhone = null;
    this.client?.close();
    this.client = null;
    const dropped = this.saved;
    this.saved = null;
    this.persist(null, dropped);
    this.shell.connection(null);
    this.showTopics();
  }

  private when(iso: string): string {
    return formatWhen(iso, this.lang);
  }

  /** The configured retention, asked once per page; null when the service does not say. */
  private retentionDays(): Promise<number | null> {
    this.retention ??= this.api.retentionDays();
    return this.retention;
  }

  private async loadTopics(): Promise<Topic[]> {
    this.topics = await this.api.topics(this.lang);
    return this.topics;
  }

  /** Departments' notices of a topic: from the list the resident chose from, or asked afresh after a reload. */
  private async noticesOf(topicId: string): Promise<DepartmentNotice[]> {
    const known = this.topics?.find((t) => t.id === topicId);
    const topic = known ?? (await this.loadTopics().catch(() => [] as Topic[])).find((t) => t.id === topicId);
    return topic?.departmentNotices ?? [];
  }

  // ---- topics, house rules, start ------------------------------------------------------

  /** The topic list; `chosen`: the topic the resident came back from, whose button takes the focus. */
  private showTopics(chosen?: string): void {
    this.show(topicsView({
      s: this.s,
      lang: this.lang,
      load: () => this.loadTopics(),
      choose: (t) => this.chooseTopic(t),
      retry: () => this.showTopics(),
      chosen,
    }));
  }

  private chooseTopic(t: Topic): void {
    if (!t.open) this.showCallbackForm({ mode: 'direct', topic: t, intro: this.s.callbackIntroClosed(t.nextOpenAt ? this.when(t.nextOpenAt) : null) });
    else if (t.callbackOffered) this.showCallbackForm({ mode: 'direct', topic: t, intro: this.offeredIntro(t), chatAnyway: true });
    else this.showRules(t);
  }

  /** Why the callback form comes first, in the words of the service's reason; no claim when it gives none. */
  private offeredIntro(t: Topic): string {
    const s = this.s;
    switch (t.callbackReason) {
      case 'no_agents': return s.callbackIntroBusy;
      case 'long_wait': return s.callbackIntroLongWait(waitSentence(t.estimatedWaitSeconds, s));
      case 'capacity_short': return s.callbackIntroCapacity;
      case 'closing': return s.callbackIntroClosing;
      default: return s.callbackIntroOffered;
    }
  }

  private showRules(t: Topic): void {
    this.show(rulesView({
      s: this.s,
      lang: this.lang,
      topic: t,
      retentionDays: this.retentionDays(),
      keptSeconds: SHARED_TTL_MS / 1000,
      start: (name, startKey) => this.startChat(t, name, startKey),
      back: () => this.showTopics(t.id),
    }));
  }

  private async startChat(t: Topic, name: string | undefined, startKey?: string): Promise<void> {
    // a conversation another tab started meanwhile: this is it, not a second one
    if (!this.saved && this.adoptShared()) return;
    const turn = ++this.turn;
    try {
      const started = await this.api.start(t.id, name, this.lang, startKey);
      if (turn !== this.turn) {
        // the resident went back (or started anew) while this start was on its way
        this.endUnwanted(started);
        return;
      }
      const session: ChatSession = { kind: 'chat', id: started.id, token: started.token, topic: t.id, topicName: t.name, open: true };
      this.saved = session;
      this.persist(session);
      this.startClient(session, true, started);
    } catch (err) {
      // the resident is elsewhere: no callback offer, no message, and for the house rules no next try
      if (turn !== this.turn) return;
      if (isCapacityRefusal(err)) {
        // a surge: this node's line of new chats is full (agents may well be free); a callback needs no agent now
        this.showCallbackForm({ mode: 'direct', topic: t, intro: this.s.callbackIntroCapacity });
        return;
      }
      // any other 503 (`unavailable`: the database down or out of connections) is no capacity
      // refusal: a callback request would fail the same way. The house rules say so and try again.
      if (!(err instanceof ApiError && err.status === 409)) throw err;
      // the topic closed while the resident read the house rules
      const next = typeof err.body.nextOpenAt === 'string' ? this.when(err.body.nextOpenAt) : null;
      this.showCallbackForm({ mode: 'direct', topic: t, intro: this.s.topicNowClosed + ' ' + this.s.callbackIntroClosed(next) });
    }
  }

  /**
   * A conversation started after the resident went back would wait in the queue for nobody (an
   * agent would claim it, and everyone's wait estimate would be worse). It is left as a resident
   * leaves the queue, with its own token: there is no REST call for that, so `leave` on its own
   * socket. Nothing of it is kept or shown; when that does not work within a few connects, the
   * server's grace period ends it.
   */
  private endUnwanted(started: Started): void {
    const done = () => {
      clearTimeout(giveUp);
      client.close();
    };
    const client = new ResidentClient({
      baseUrl: this.opts.baseUrl,
      conversationId: started.id,
      token: started.token,
      listener: {
        status: (st) => {
          if (st === 'online') client.leave(); // again after a reconnect: on an ended one it does nothing
          else if (st === 'ended' || st === 'gone') done();
        },
      },
    });
    const giveUp = setTimeout(done, LEAVE_TRYING_MS);
    client.connect();
  }

  // ---- the conversation ----------------------------------------------------------------

  private startClient(session: ChatSession, focus: boolean, started?: { position: number; estimatedWaitSeconds: number | null }): void {
    this.client?.close();
    this.accessEnded = false;
    this.over = null;
    this.refusalExplained = false;
    const chat = new ChatView(this.s, this.lang, {
      send: (text) => this.client?.send(text),
      typing: () => this.client?.typing(),
      discard: (id) => this.client?.discard(id),
      retry: (id) => this.client?.retry(id),
      leave: () => this.client?.leave() ?? false,
      continueHere: () => this.client?.continueHere(),
      draft: (text) => this.remember({ draft: text || undefined }),
      acceptOffer: () => this.showCallbackForm({ mode: 'chat', topic: { id: session.topic, name: session.topicName } as Topic, intro: this.s.callbackIntroChat }),
      rate: (score, comment) => this.api.rate(session.id, session.token, score, comment).then(() => this.remember({ rated: true })),
      transcript: () => this.downloadTranscript(),
      newQuestion: () => this.newQuestion(),
      rated: () => !!(this.saved as ChatSession | null)?.rated,
    });
    this.chat = chat;
    if (session.draft) chat.restoreDraft(session.draft);
    if (!started) chat.resuming();
    this.shell.show(chat.el, false);
    if (started) chat.state({ type: 'state', state: 'queued', position: started.position, estimatedWaitSeconds: started.estimatedWaitSeconds });
    if (focus && this.shell.isOpen) this.shell.focusView();
    // while the resident waits, what the topic's departments say about their reachability
    let noticesAsked = false;
    const showNotices = () => {
      if (noticesAsked) return;
      noticesAsked = true;
      this.noticesOf(session.topic).then((list) => this.chatFor(session)?.departmentNotices(list));
    };
    if (started) showNotices();
    // the state seen last on this page: an agent taking the conversation is news, a reconnect finding it taken is not
    let lastState: string | null = started ? 'queued' : null;
    // whether this page saw the conversation open: only then does it show its end (the transcript stays in memory)
    let seenOpen = !!started;
    /** The server refused a connection for too many (`too_many_connections`): its notice goes once a socket works again. */
    let refusedConnection = false;

    this.client = new ResidentClient({
      baseUrl: this.opts.baseUrl,
      conversationId: session.id,
      token: session.token,
      pending: session.pending,
      probe: () => this.api.transcript(session.id, session.token, this.lang).then(
        () => true,
        (e) => !(e instanceof ApiError && (e.status === 401 || e.status === 403 || e.status === 404)),
      ),
      listener: {
        status: (st) => this.connectionStatus(st),
        state: (ev) => {
          const over = ev.state === 'closed' || ev.state === 'abandoned' || ev.state === 'callback';
          if (!over) seenOpen = true;
          else if (!seenOpen && ev.state !== 'callback' && this.chatFor(session)) {
            // ended while this tab was away: the history the server is about to replay is not shown
            this.showEndedNotice();
            return;
          }
          this.chatFor(session)?.state(ev);
          if (refusedConnection) {
            // a socket works again: the refusal of an earlier one no longer holds
            refusedConnection = false;
            this.chatFor(session)?.notice('');
          }
          if (ev.state === 'active' && lastState === 'queued' && !this.shell.isOpen && this.chatFor(session)) {
            // the resident closed the panel to wait: the launcher says it is their turn
            this.shell.setBadge(true);
            this.shell.announce(this.s.taken(ev.agentName ?? null));
          }
          lastState = ev.state;
          // over: no other tab takes it up any more, and the browser keeps nothing that opens it (this page
          // keeps it in memory for its end screen; a request it became is kept with that request's own token)
          if (over) this.remember({ ended: true });
          if (ev.state === 'queued') showNotices();
          // a callback needs a waiting conversation; `callback` itself ends in the confirmation
          else if (ev.state !== 'callback') this.leaveCallbackForm(ev);
        },
        message: (m) => {
          if (m.clientMsgId) this.gone.add(m.clientMsgId);
          this.chatFor(session)?.message(m);
          if (!this.shell.isOpen && m.from !== 'resident') {
            this.shell.setBadge(true);
            this.shell.announce(this.s.newMessage(m.from === 'agent' ? m.agentName || this.s.agentFallback : this.s.system));
          }
        },
        pending: (p) => {
          // what this tab had unsent and no longer has was sent or removed here
          const now = new Set(p.map((m) => m.clientMsgId));
          for (const m of (this.saved?.kind === 'chat' && this.saved.id === session.id ? this.saved.pending : null) ?? []) {
            if (!now.has(m.clientMsgId)) this.gone.add(m.clientMsgId);
          }
          this.chatFor(session)?.pending(p);
          this.remember({ pending: p });
        },
        typing: () => this.chatFor(session)?.typing(),
        typingStopped: () => this.chatFor(session)?.typingStopped(),
        offer: (o) => {
          this.chatFor(session)?.offer(o);
          // a reason holds again: what the form said about it having gone is no longer so
          this.over?.form.note('');
        },
        offerWithdrawn: () => {
          const why = this.chatFor(session)?.offerWithdrawn();
          // a form the resident is filling in stays; it says, politely, that waiting is an option again
          if (why && this.over && !this.over.asked) this.over.form.note(this.s.callbackOfferGone(why));
        },
        callbackCreated: (id, reference, token) => {
          this.remember({ callbackId: id, callbackReference: reference ?? undefined, callbackToken: token ?? undefined });
          this.showCallbackDone(seenOpen);
        },
        callbackErrors: (errors) => {
          if (this.over) this.over.asked = false;
          this.callbackForm?.errors(errors);
        },
        error: (e) => {
          if (e.clientMsgId) return; // shown on the message it is about
          if (e.code === 'replaced') return; // its close follows: the chat says it, with a button to carry on here
          if (e.code === 'access_ended') {
            // it ended longer ago than the service lets the token read it: `gone` follows
            this.accessEnded = true;
            return;
          }
          const text = serverText(e.message, this.lang);
          if (this.over?.asked) {
            // the answer to the form's request: said in the form, which stops saying "wordt verstuurd"
            this.over.asked = false;
            this.over.form.fail(text);
            return;
          }
          if (this.refusalExplained && e.code === 'invalid_state') {
            this.refusalExplained = false;
            return;
          }
          // too many sockets: on a phone mostly its own, left on networks it moved away from, which
          // the server counts until they miss its pings; said until a socket works again
          if (e.code === 'too_many_connections') refusedConnection = true;
          this.chatFor(session)?.notice(text);
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
    this.shell.connection(st);
    this.chat?.connection(st);
    if (this.over?.asked && (st === 'offline' || st === 'connecting')) {
      // the answer may never come on this connection; if the request was made, the next one says so.
      // `connecting`: the socket was replaced (the phone changed networks, a node restarted) and the
      // request may have gone down with it
      this.over.asked = false;
      this.over.form.fail(st === 'offline' ? this.s.connOfflineShort : this.s.callbackMaybeLost);
    }
    if (st === 'gone') this.leaveCallbackForm(null);
    if (st === 'gone' && this.accessEnded && this.chat && !this.chat.shown) {
      // refused before anything was shown (the service no longer lets the token read it): as an ended one
      this.showEndedNotice();
      return;
    }
    if (st === 'gone') {
      const dropped = this.saved;
      this.saved = null;
      this.persist(null, dropped);
    }
  }

  private async downloadTranscript(): Promise<void> {
    const saved = this.saved;
    if (!saved || saved.kind !== 'chat') return;
    const text = await this.api.transcript(saved.id, saved.token, this.lang);
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
    this.shell.download(url, `${this.s.transcriptFile}-${new Date().toISOString().slice(0, 10)}.txt`);
    setTimeout(() => URL.revokeObjectURL(url), 30000);
  }

  // ---- callbacks -----------------------------------------------------------------------

  private showCallbackForm(ctx: { mode: 'direct' | 'chat'; topic: Topic; intro: string; chatAnyway?: boolean }): void {
    const s = this.s;
    const form = new CallbackFormView(s, this.lang, ctx.intro, this.retentionDays(), async (data) => {
      if (ctx.mode === 'chat') {
        this.typedPhone = data.phone;
        this.remember({ callbackWindow: data.window, callbackPhoneEnd: lastDigits(data.phone) });
        if (!this.client?.requestCallback(data)) form.fail(s.callbackOffline);
        else if (this.over?.form === form) this.over.asked = true;
        return; // the answer comes over the socket: callback_created, field errors or another error
      }
      try {
        const created = await this.api.requestCallback({ topic: ctx.topic.id, ...data });
        this.typedPhone = data.phone;
        this.saved = {
          kind: 'callback', id: created.id, token: created.token, topic: ctx.topic.id, topicName: ctx.topic.name, window: data.window,
          reference: created.reference, phoneEnd: lastDigits(data.phone), open: true,
        };
        this.persist(this.saved);
        this.showCallbackDone();
      } catch (err) {
        // what was typed stays in the form whatever the failure; a passing one is said as such, and a
        // refusal for too many requests from this address says why and what to do, as the start does
        if (err instanceof ApiError && err.errors.length) form.errors(err.errors);
        else if (err instanceof ApiError && err.status === 429 && err.message) form.fail(serverText(err.message, this.lang));
        else form.fail(isPassing(err) ? s.callbackUnavailable : s.callbackError);
      }
    });
    this.callbackForm = form;
    if (ctx.mode === 'chat' && this.chat) {
      // the chat stays in place underneath, draft included; the form covers it until sent or dismissed
      this.chat.el.hidden = true;
      const chat = this.chat;
      this.over = { form, chat, asked: false };
      form.addSecondary(s.backToChat, () => {
        this.closeCallbackForm();
        chat.focusComposer();
      });
      this.shell.cover(form.el);
      form.focus();
      return;
    }
    if (ctx.chatAnyway) form.addSecondary(s.chatAnyway, () => this.showRules(ctx.topic));
    form.addSecondary(s.back, () => this.showTopics(ctx.topic.id));
    this.show(form.el);
  }

  /** Take the form off the chat and show the chat again; what was typed in the form is not kept. */
  private closeCallbackForm(): { form: CallbackFormView; chat: ChatView; asked: boolean } | null {
    const over = this.over;
    if (!over) return null;
    this.over = null;
    if (this.callbackForm === over.form) this.callbackForm = null;
    over.form.el.remove();
    over.chat.el.hidden = false;
    return over;
  }

  /**
   * The conversation is no longer waiting (an agent took it, it ended, or it is gone) while the
   * callback form covers the chat: a callback can no longer be asked for. The form goes, the
   * chat shows what happened, and the resident is told.
   */
  private leaveCallbackForm(ev: StateEvent | null): void {
    const over = this.closeCallbackForm();
    if (!over) return;
    this.refusalExplained = over.asked;
    const s = this.s;
    // what she wrote about her question is what she would tell the agent: it waits in the message box
    const note = ev?.state === 'active' ? over.form.noteText : '';
    if (note) over.chat.takeText(note);
    const said = ev?.state === 'active' ? s.callbackOverTaken(ev.agentName ?? null) + (note ? ' ' + s.callbackNoteKept : '') : ev ? s.callbackOverEnded : s.connGone;
    if (ev?.state === 'active') over.chat.notice(said, 'info');
    if (this.shell.isOpen) {
      // the focus was in the form that has gone: to the message box, or the end's heading
      over.chat.focusStart();
    } else {
      this.shell.setBadge(true);
      this.shell.announce(said);
    }
  }

  /** `withTranscript`: this page saw the conversation open, so it may offer its transcript. */
  private showCallbackDone(withTranscript = true): void {
    const saved = this.saved;
    if (!saved || saved.kind === 'ended') return;
    this.callbackForm = null;
    const callbackId = saved.kind === 'callback' ? saved.id : saved.callbackId;
    if (!callbackId) return;
    // the whole number only on the confirmation that follows the form; never again on this page
    const phone = this.typedPhone;
    this.typedPhone = null;
    this.show(callbackDoneView({
      s: this.s,
      saved,
      callbackId,
      reference: (saved.kind === 'callback' ? saved.reference : saved.callbackReference) ?? null,
      phone,
      phoneEnd: (saved.kind === 'callback' ? saved.phoneEnd : saved.callbackPhoneEnd) ?? null,
      cancelled: !!(saved.kind === 'callback' ? saved.cancelled : saved.callbackCancelled),
      // the request's own token where the service gave one: it opens the request, not the conversation
      cancel: () => this.api.cancelCallback(callbackId, saved.kind === 'chat' ? saved.callbackToken ?? saved.token : saved.token),
      markCancelled: () => this.remember(saved.kind === 'callback' ? { cancelled: true } : { callbackCancelled: true }),
      transcript: saved.kind === 'chat' && withTranscript ? () => this.downloadTranscript() : null,
      newQuestion: () => this.newQuestion(),
    }));
  }
}

/** The last two digits of a typed phone number, for "het nummer dat eindigt op 78"; nothing that identifies it. */
function lastDigits(phone: string): string | undefined {
  return phone.replace(/\D/g, '').slice(-2) || undefined;
}
