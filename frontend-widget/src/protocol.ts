// The resident side of WS /ws/resident/{id}: connect with the token as a
// subprotocol, resume with ?after=lastSeq, show every message once (by seq), keep what the
// resident typed while offline and send it with its clientMsgId when the connection is back,
// reconnect with back-off (at once when a node closes with 1012, "service restart"), and stay
// under the server's frame limit. A message the chat could not store just now (`unavailable`,
// the database restarting) goes again by itself with back-off until it is stored.

import { retryDelay } from './retry';

/**
 * `replaced`: the server closed this socket because a newer one of the same conversation took its
 * place (another window, or this phone on another network); no reconnect until `continueHere`.
 */
export type ConnectionStatus = 'connecting' | 'online' | 'offline' | 'ended' | 'gone' | 'replaced';
export type ConversationState = 'queued' | 'active' | 'closed' | 'callback' | 'abandoned';

export interface StateEvent {
  type: 'state';
  state: ConversationState;
  position?: number;
  estimatedWaitSeconds?: number | null;
  agentName?: string;
  reason?: string;
}

export interface ChatMessage {
  seq: number;
  from: 'resident' | 'agent' | 'system';
  text: string;
  sentAt: string;
  clientMsgId?: string;
  agentName?: string;
}

export interface OfferEvent {
  reason: 'no_agents' | 'long_wait' | 'closing' | 'capacity_short' | string;
  estimatedWaitSeconds?: number | null;
}

export interface FieldError {
  field: string;
  message: string;
}

export interface ServerError {
  code: string;
  message: string;
  clientMsgId?: string;
  errors?: FieldError[];
}

export interface PendingMessage {
  clientMsgId: string;
  text: string;
  /**
   * queued: not on the wire yet; sent: waiting for its echo; retrying: the chat could not store it
   * just now (`unavailable`: the database is away, a restart) and it goes again by itself after a
   * back-off, see `delayed`; failed: not sent (the server refused it, failed for a passing reason,
   * see `retryable`, or the conversation ended or was gone first), shown as "niet verstuurd"
   */
  status: 'queued' | 'sent' | 'retrying' | 'failed';
  /** failed: the server's words, "Nederlands / English" */
  error?: string;
  /**
   * failed: the error code; `conversation_ended` also when the conversation ended before any answer,
   * `gone` when the conversation or the token is no more before any answer
   */
  code?: string;
  /** failed: the failure may pass (internal, rate_limited, …), so sending it again may work */
  retryable?: boolean;
  /** the one automatic retry after a passing failure has been made */
  retried?: boolean;
  /**
   * Answered `unavailable` on this connection and not stored yet: it is sent again by itself for as
   * long as that lasts, and shown as such, also while a try is on the wire. Cleared when the socket
   * is lost: then it waits for the connection like any other.
   */
  delayed?: boolean;
}

export interface CallbackForm {
  phone: string;
  name?: string;
  window?: 'asap' | 'morning' | 'afternoon';
  note?: string;
}

/** The part of a browser WebSocket the client uses, so tests can hand it a fake. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason?: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

export interface ClientListener {
  status?(status: ConnectionStatus): void;
  state?(event: StateEvent): void;
  message?(message: ChatMessage): void;
  pending?(pending: PendingMessage[]): void;
  typing?(): void;
  /** The agent stopped typing without sending (turned to an internal note): the indicator goes at once. */
  typingStopped?(): void;
  offer?(offer: OfferEvent): void;
  /** The offer no longer stands: `reason` is the one that stopped holding, null when a (re)connect found none. */
  offerWithdrawn?(reason: string | null): void;
  /** `token`: the request's own resident token (it opens the request, never the conversation); null from an older service */
  callbackCreated?(callbackId: string, reference: string | null, token: string | null): void;
  callbackErrors?(errors: FieldError[]): void;
  error?(error: ServerError): void;
}

export interface ClientOptions {
  /** http(s) address of Loket, without a trailing slash */
  baseUrl: string;
  conversationId: string;
  token: string;
  listener: ClientListener;
  /** messages up to this seq are already shown */
  after?: number;
  /** an outbox saved before a reload */
  pending?: PendingMessage[];
  socket?: SocketFactory;
  random?: () => number;
  newId?: () => string;
  /**
   * First and longest wait between reconnects, ms. The longest (10 s) keeps several tries inside
   * the 60 s a dropped resident keeps their place in the queue (LOKET_GRACE_RESIDENT).
   */
  backoff?: { base: number; max: number };
  /** frames per window; the server closes a resident connection above 20 per 10 s */
  frameLimit?: { max: number; windowMs: number };
  /** minimum ms between typing frames (the contract says at most one per 2 s) */
  typingEveryMs?: number;
  /**
   * A message without an echo (or an error) this many ms after it went out, plus this client's
   * extra, on a socket that still reports itself open: the socket is taken for dead, closed, and
   * replaced after the back-off. The extra, up to the same again, is drawn once per client with
   * `random` (default 10 s, so 10 to 20 s): when a slow server echoes nothing for a while, the
   * residents who sent a message at the same moment do not all reconnect in the same second.
   */
  echoTimeoutMs?: number;
  /**
   * A connect attempt whose socket has not opened this many ms after it was made (a dead mobile
   * link, a proxy that never answers the upgrade) is given up, counted as a failed attempt, and
   * tried again after the back-off, instead of waiting for the browser's own timeout (minutes).
   */
  connectTimeoutMs?: number;
  /** ms after a passing failure of a message before it is sent again by itself (once); not for `unavailable`, see `retryDelay` */
  retryPauseMs?: number;
  /** after this many failed connects in a row, ask `probe` whether the conversation still exists */
  probeAfter?: number;
  probe?: () => Promise<boolean>;
  /** a probe without an answer after this many ms counts as "unknown": reconnecting goes on */
  probeTimeoutMs?: number;
}

export const MAX_TEXT = 2000;
/**
 * The error of a message the chat could not store just now (the database away, a restart): it
 * passes within seconds to a minute, so the message is sent again by itself, with back-off, until
 * it is stored, the socket is lost (it then goes on the next one) or the conversation ends.
 */
const UNAVAILABLE = 'unavailable';
/** Close code a node sends when it shuts down for a restart: come back at once, to any node. */
export const SERVICE_RESTART = 1012;
/**
 * Close code of a socket whose place a newer one of the same conversation took (docs/protocol.md):
 * not reconnected by itself, or two live windows would take turns replacing each other for ever.
 */
export const REPLACED = 4001;
/** A second restart close within this time waits the usual back-off: no reconnect storm. */
const RESTART_GRACE_MS = 10000;
const TERMINAL: ReadonlySet<string> = new Set(['closed', 'callback', 'abandoned']);
/**
 * Refusals of a message itself: sending it again cannot help. Any other error with its
 * clientMsgId (internal, rate_limited, …) may pass, and the server de-duplicates a repeat.
 */
const FINAL_CODES: ReadonlySet<string> = new Set(['invalid_message', 'conversation_ended', 'bad_request']);
const OPEN = 1;
/** Close code of a policy refusal; with one of these reasons the token is no longer accepted (docs/protocol.md §1). */
const POLICY = 1008;
const TOKEN_ENDED = /expired|revoked|conversation ended/i;
/** The conversation ended longer ago than the service lets its resident token read it (docs/protocol.md §4). */
const ACCESS_ENDED = 'access_ended';

/** While the browser says it has no network: the most between two tries to connect (half to all of it, jittered). */
const OFFLINE_RETRY_MS = 60000;

/** The browser says it has no network at all (`navigator.onLine` false); false where there is no navigator. */
function browserOffline(): boolean {
  return (globalThis as { navigator?: { onLine?: boolean } }).navigator?.onLine === false;
}

export function residentSocketUrl(baseUrl: string, conversationId: string, after: number): string {
  const ws = baseUrl.replace(/^http/i, 'ws');
  return `${ws}/ws/resident/${encodeURIComponent(conversationId)}?after=${after}`;
}

/** Browsers cannot set headers on a WebSocket; Quarkus reads the token from this subprotocol. */
export function tokenProtocols(token: string): string[] {
  return ['bearer-token-carrier', encodeURIComponent('quarkus-http-upgrade#Authorization#Bearer ' + token)];
}

/** Exponential back-off with jitter: attempt 1 waits about `base`, doubling up to `max`. */
export function backoffDelay(attempt: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() * 0.5));
}

function defaultId(): string {
  const c = (globalThis as { crypto?: Crypto }).crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  return 'm-' + Date.now().toString(36) + '-' + Math.random().toString(36).slice(2, 10);
}

export class ResidentClient {
  private readonly opts: ClientOptions;
  private readonly listener: ClientListener;
  private readonly random: () => number;
  private readonly newId: () => string;
  private readonly backoff: { base: number; max: number };
  private readonly frameLimit: { max: number; windowMs: number };
  private readonly typingEveryMs: number;
  /** `echoTimeoutMs` plus this client's extra; see there */
  private readonly echoTimeout: number;

  private ws: SocketLike | null = null;
  private statusValue: ConnectionStatus = 'offline';
  private floor: number;
  private last: number;
  private readonly seen = new Set<number>();
  private outbox: PendingMessage[];
  private frames: number[] = [];
  private lastTyping = -Infinity;
  private attempts = 0;
  private failuresInRow = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  /** runs while messages wait to be sent again after `unavailable`; see `scheduleResend` */
  private resendTimer: ReturnType<typeof setTimeout> | null = null;
  /** resends after `unavailable` since a message was last stored: the back-off grows with them */
  private resends = 0;
  private echoTimer: ReturnType<typeof setTimeout> | null = null;
  /** runs while the current socket is connecting; see `connectTimeoutMs` */
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  /** when each message now on the wire went out */
  private readonly sentAt = new Map<string, number>();
  /** sockets given up in a row for lack of an echo: until one comes, the back-off is not started afresh (see `endStalls`) */
  private stalls = 0;
  private stopped = false;
  /** The server replaced this page's socket with a newer one (`REPLACED`): no reconnect until `continueHere`. */
  private replaced = false;
  private ended = false;
  private probing = false;
  private dropped = false;
  private lastRestartAt = -Infinity;

  constructor(opts: ClientOptions) {
    this.opts = opts;
    this.listener = opts.listener;
    this.random = opts.random ?? Math.random;
    this.newId = opts.newId ?? defaultId;
    this.backoff = opts.backoff ?? { base: 1000, max: 10000 };
    this.frameLimit = opts.frameLimit ?? { max: 15, windowMs: 10000 };
    this.typingEveryMs = opts.typingEveryMs ?? 2500;
    const echoBase = opts.echoTimeoutMs ?? 10000;
    this.echoTimeout = echoBase + Math.round(this.random() * echoBase);
    this.floor = opts.after ?? 0;
    this.last = this.floor;
    this.outbox = (opts.pending ?? []).map(({ delayed: _, ...p }) => ({ ...p, status: p.status === 'failed' ? 'failed' : 'queued' }));
    // what the resident typed before a reload is on screen at once, not only once a socket answers
    if (this.outbox.length) this.emitPending();
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** The highest seq shown so far: what a reconnect asks to resume after. */
  get lastSeq(): number {
    return this.last;
  }

  get pending(): PendingMessage[] {
    return this.outbox.map((p) => ({ ...p }));
  }

  connect(): void {
    if (this.stopped || this.ws) return;
    this.clearReconnect();
    // after a drop the resident sees "no connection" until it is back, not a flicker on every attempt
    if (!this.dropped) this.setStatus('connecting');
    let sock: SocketLike;
    const url = residentSocketUrl(this.opts.baseUrl, this.opts.conversationId, this.last);
    const protocols = tokenProtocols(this.opts.token);
    try {
      sock = (this.opts.socket ?? ((u, p) => new WebSocket(u, p) as unknown as SocketLike))(url, protocols);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = sock;
    this.armConnect(sock);
    // only a state or a message shows the socket works: a refusal (an error frame before a 1008,
    // "too many connections") must not reset the back-off, or it is retried every second for ever
    let working = false;
    sock.onopen = () => {
      if (this.ws !== sock) return;
      this.clearConnect();
      this.dropped = false;
      this.setStatus('online');
      this.retryPassing();
      this.flush();
    };
    sock.onmessage = (ev) => {
      if (this.ws !== sock) return;
      let frame: Record<string, unknown>;
      try {
        frame = JSON.parse(String(ev.data));
      } catch {
        return;
      }
      if (!working && (frame?.type === 'state' || frame?.type === 'message')) {
        // the upgrade, the token and the conversation worked: the next drop starts the back-off
        // afresh, unless sockets that answered but never echoed keep being given up (a slow server)
        working = true;
        if (!this.stalls) this.attempts = 0;
        this.failuresInRow = 0;
      }
      this.receive(frame);
    };
    sock.onerror = () => {
      /* a close follows */
    };
    sock.onclose = (ev) => {
      if (this.ws !== sock) return;
      this.ws = null;
      this.lost(working, ev);
    };
  }

  /** The current socket is gone (closed by the server or the network, or given up by us). */
  private lost(working: boolean, ev?: { code: number; reason?: string }): void {
    this.clearConnect();
    this.clearEcho();
    if (!working) this.failuresInRow++;
    this.requeueInFlight();
    if (this.stopped) return;
    if (this.ended) {
      this.setStatus('ended');
      return;
    }
    if (ev?.code === REPLACED) {
      this.replaced = true;
      this.setStatus('replaced');
      return;
    }
    if (ev?.code === POLICY && TOKEN_ENDED.test(ev.reason ?? '')) {
      // the resident token ran out (24 h) or was revoked: no reconnect can succeed
      this.giveUp();
      return;
    }
    // a node going down for a restart: the same URL reaches a node that is up, resume there now
    // (only after a working connection, and once in a while, so a node that keeps closing is backed off)
    const now = Date.now();
    if (ev?.code === SERVICE_RESTART && working && now - this.lastRestartAt >= RESTART_GRACE_MS) {
      this.lastRestartAt = now;
      this.attempts = 0;
      this.connect();
      return;
    }
    this.dropped = true;
    this.setStatus('offline');
    this.scheduleReconnect();
  }

  /**
   * Whatever was on the wire without an echo may be lost, and what waited to be sent again after
   * `unavailable` now waits for the connection: send it (same clientMsgId) on the next one.
   */
  private requeueInFlight(): void {
    this.clearResend();
    if (this.outbox.some((p) => p.status === 'sent' || p.status === 'retrying' || p.delayed)) {
      for (const p of this.outbox) {
        if (p.status === 'sent' || p.status === 'retrying') p.status = 'queued';
        delete p.delayed;
      }
      this.emitPending();
    }
  }

  /** Let go of the current socket without waiting for its close: its events no longer matter. */
  private detach(): void {
    const sock = this.ws;
    this.ws = null;
    this.clearConnect();
    this.clearEcho();
    if (!sock) return;
    sock.onopen = null;
    sock.onmessage = null;
    sock.onerror = null;
    sock.onclose = null;
    try {
      sock.close(1000, 'replaced');
    } catch {
      /* never opened, or already closing */
    }
  }

  /** Give `sock` up if it has not opened in time; see `connectTimeoutMs`. */
  private armConnect(sock: SocketLike): void {
    this.clearConnect();
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      // replaced or stopped meanwhile, or open with its open event on its way
      if (this.stopped || this.ws !== sock || sock.readyState === OPEN) return;
      // its events no longer matter: whatever it does after this is not a drop of the connection
      sock.onopen = null;
      sock.onmessage = null;
      sock.onerror = null;
      sock.onclose = null;
      this.ws = null;
      try {
        sock.close();
      } catch {
        /* never opened */
      }
      // a failed attempt like a refused upgrade: the back-off grows, so this never loops faster
      this.lost(false);
    }, this.opts.connectTimeoutMs ?? 10000);
  }

  private clearConnect(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
  }

  /** Watch the oldest message on the wire; see `echoTimeoutMs`. */
  private armEcho(): void {
    if (this.echoTimer) return;
    const timeout = this.echoTimeout;
    let oldest = Infinity;
    for (const p of this.outbox) {
      if (p.status === 'sent') oldest = Math.min(oldest, this.sentAt.get(p.clientMsgId) ?? Infinity);
    }
    if (oldest === Infinity) return;
    this.echoTimer = setTimeout(() => {
      this.echoTimer = null;
      this.checkEcho(timeout);
    }, Math.max(0, oldest + timeout - Date.now()));
  }

  private checkEcho(timeout: number): void {
    const sock = this.ws;
    if (this.stopped || this.ended || !sock || sock.readyState !== OPEN) return; // a close is on its way
    const now = Date.now();
    const late = this.outbox.some((p) => p.status === 'sent' && now - (this.sentAt.get(p.clientMsgId) ?? now) >= timeout);
    if (!late) {
      this.armEcho();
      return;
    }
    // OPEN, yet nothing comes back (a dead mobile link, a proxy that lost the other side):
    // give this socket up and reconnect with the normal back-off, which grows while this repeats
    this.stalls++;
    this.ws = null;
    try {
      sock.close(4000, 'no echo');
    } catch {
      /* already closing */
    }
    this.lost(true);
  }

  /**
   * A message got an answer (its echo or an error): a stall episode, if any, is over. The back-off
   * it grew starts afresh too, so the next ordinary drop is retried after about `backoff.base`.
   */
  private endStalls(): void {
    if (!this.stalls) return;
    this.stalls = 0;
    this.attempts = 0;
  }

  private clearEcho(): void {
    if (this.echoTimer) clearTimeout(this.echoTimer);
    this.echoTimer = null;
  }

  /** Reconnect at once (the browser says it is online again, or the resident asked); not after `replaced`. */
  reconnectNow(): void {
    if (this.stopped || this.ended || this.replaced) return;
    const stale = this.ws;
    if (stale) {
      // an attempt made while the network was away can hang until the browser gives up on it
      if (stale.readyState === OPEN) return;
      this.ws = null;
      this.clearConnect();
      try {
        stale.close();
      } catch {
        /* never opened */
      }
    }
    this.attempts = 0;
    this.connect();
  }

  /**
   * The socket may have died without a word: the phone changed networks (the browser says it is
   * online again), or the page was hidden or frozen for a while. A mobile link that goes away sends
   * no close, and the browser keeps such a socket "open" for many minutes, showing a queue position
   * that no longer holds and no message sent meanwhile. Replace it now: the new one resumes after
   * the last seq shown, the server sends the current `state` first, and what had no echo goes again
   * with its clientMsgId. Without an open socket this is `reconnectNow`.
   */
  refresh(): void {
    if (this.stopped || this.ended || this.replaced) return;
    if (!this.ws || this.ws.readyState !== OPEN) {
      this.reconnectNow();
      return;
    }
    this.detach();
    this.requeueInFlight();
    this.attempts = 0;
    this.connect();
  }

  /**
   * The browser says there is no network (`offline`): the socket cannot carry anything, even if it
   * still reports itself open. Say so now, and keep what is typed for the next connection rather
   * than writing it into a socket that will never echo it. Reconnecting goes on with the back-off;
   * the browser's `online` brings it back at once (`refresh`).
   */
  networkLost(): void {
    if (this.stopped || this.ended || !this.ws) return;
    this.detach();
    this.lost(true);
  }

  /**
   * The resident chose to carry on in this window after its socket was replaced: connect again,
   * which in turn replaces the oldest socket of the conversation (perhaps the other window's).
   */
  continueHere(): void {
    if (!this.replaced || this.stopped || this.ended) return;
    this.replaced = false;
    this.attempts = 0;
    this.connect();
  }

  /** Stop for good: no reconnects, the socket closed. */
  close(): void {
    this.stopped = true;
    this.clearReconnect();
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.clearRetry();
    this.clearResend();
    this.clearEcho();
    this.clearConnect();
    const sock = this.ws;
    this.ws = null;
    if (sock) {
      try {
        sock.close(1000, 'done');
      } catch {
        /* already closing */
      }
    }
  }

  /** Queue a message; it goes out now when connected, else when the connection is back. */
  send(text: string): PendingMessage | null {
    const t = text.trim();
    if (!t || t.length > MAX_TEXT || this.ended) return null;
    const p: PendingMessage = { clientMsgId: this.newId(), text: t, status: 'queued' };
    this.outbox.push(p);
    this.flush();
    this.emitPending();
    return { ...p };
  }

  /**
   * Send a message again that failed for a passing reason (the resident's "Opnieuw versturen"),
   * with its own clientMsgId: if the server stored it after all, it answers with the stored one.
   */
  retry(clientMsgId: string): boolean {
    const p = this.outbox.find((x) => x.clientMsgId === clientMsgId);
    // no connection comes any more once stopped (gone, or closed) or ended: it would wait for ever
    if (!p || p.status !== 'failed' || !p.retryable || this.ended || this.stopped) return false;
    this.requeue(p);
    this.emitPending();
    this.flush();
    return true;
  }

  /** Drop a message the server refused. */
  discard(clientMsgId: string): void {
    this.outbox = this.outbox.filter((p) => p.clientMsgId !== clientMsgId);
    this.sentAt.delete(clientMsgId);
    this.emitPending();
  }

  typing(): void {
    const now = Date.now();
    if (now - this.lastTyping < this.typingEveryMs || !this.canSendNow()) return;
    // typing is a courtesy: never spend the last frames of the window on it
    if (this.framesInWindow(now) >= this.frameLimit.max - 3) return;
    this.lastTyping = now;
    this.write({ type: 'typing' });
  }

  requestCallback(form: CallbackForm): boolean {
    if (!this.canSendNow()) return false;
    const frame: Record<string, string> = { type: 'request_callback', phone: form.phone };
    if (form.name) frame.name = form.name;
    if (form.window) frame.window = form.window;
    if (form.note) frame.note = form.note;
    this.write(frame);
    return true;
  }

  leave(): boolean {
    if (!this.canSendNow()) return false;
    this.write({ type: 'leave' });
    return true;
  }

  private canSendNow(): boolean {
    return !!this.ws && this.ws.readyState === OPEN && this.statusValue === 'online';
  }

  private framesInWindow(now: number): number {
    this.frames = this.frames.filter((t) => now - t < this.frameLimit.windowMs);
    return this.frames.length;
  }

  private write(frame: object): void {
    this.frames.push(Date.now());
    this.ws!.send(JSON.stringify(frame));
  }

  /** Send what waits in the outbox, as far as the frame limit allows; the rest a little later. */
  private flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    if (!this.canSendNow()) return;
    let changed = false;
    for (const p of this.outbox) {
      if (p.status !== 'queued') continue;
      const now = Date.now();
      if (this.framesInWindow(now) >= this.frameLimit.max) {
        const wait = this.frameLimit.windowMs - (now - this.frames[0]) + 10;
        this.flushTimer = setTimeout(() => this.flush(), Math.max(10, wait));
        break;
      }
      this.write({ type: 'message', clientMsgId: p.clientMsgId, text: p.text });
      p.status = 'sent';
      this.sentAt.set(p.clientMsgId, now);
      changed = true;
    }
    if (changed) {
      this.emitPending();
      this.armEcho();
    }
  }

  private receive(frame: Record<string, unknown>): void {
    switch (frame?.type) {
      case 'state': {
        const ev = frame as unknown as StateEvent;
        if (TERMINAL.has(ev.state)) {
          // nothing more can be said in this conversation; keep the socket for what is in flight.
          // What has no echo yet stays in view as not sent, so the resident can copy it: an echo
          // that still comes (stored just before the end) takes it away, a refusal gives the reason.
          this.ended = true;
          this.clearRetry();
          this.clearResend();
          for (const p of this.outbox) {
            if (p.status === 'failed' && !p.retryable) continue;
            p.status = 'failed';
            p.code = 'conversation_ended';
            delete p.error;
            p.retryable = false;
          }
          this.emitPending();
        }
        this.listener.state?.(ev);
        if (this.ended) this.setStatus('ended');
        break;
      }
      case 'message':
        this.onMessage(frame as unknown as ChatMessage);
        break;
      case 'typing':
        this.listener.typing?.();
        break;
      case 'typing_stopped':
        this.listener.typingStopped?.();
        break;
      case 'callback_offer':
        this.listener.offer?.(frame as unknown as OfferEvent);
        break;
      case 'callback_offer_withdrawn':
        this.listener.offerWithdrawn?.(typeof frame.reason === 'string' ? frame.reason : null);
        break;
      case 'callback_created':
        this.listener.callbackCreated?.(String(frame.callbackId), typeof frame.reference === 'string' ? frame.reference : null,
          typeof frame.token === 'string' ? frame.token : null);
        break;
      case 'error': {
        const err = frame as unknown as ServerError;
        if (err.code === 'invalid_callback' && Array.isArray(err.errors)) {
          this.listener.callbackErrors?.(err.errors);
          break;
        }
        if ((err.code === 'not_found' || err.code === ACCESS_ENDED) && !err.clientMsgId) {
          // the token names no conversation (removed on request, or a callback request's token), or
          // one that ended longer ago than the service lets a resident token read it: the server
          // closes with 1008, and every reconnect would get the same answer
          if (err.code === ACCESS_ENDED) this.listener.error?.(err);
          this.giveUp();
          break;
        }
        if (err.clientMsgId) {
          const p = this.outbox.find((x) => x.clientMsgId === err.clientMsgId);
          if (p && err.code === UNAVAILABLE && !this.ended && (p.status === 'sent' || p.status === 'retrying')) {
            // not the message's fault and not for the resident to mend: it goes again by itself
            this.endStalls(); // the server answers about messages
            this.sentAt.delete(p.clientMsgId);
            p.status = 'retrying';
            p.delayed = true;
            this.scheduleResend();
            this.emitPending();
          } else if (p) {
            this.endStalls(); // the server answers about messages
            this.sentAt.delete(p.clientMsgId);
            delete p.delayed;
            p.status = 'failed';
            p.error = err.message;
            p.code = err.code;
            p.retryable = !this.ended && !FINAL_CODES.has(err.code);
            if (p.retryable && !p.retried) this.scheduleRetry();
            this.emitPending();
          }
        }
        this.listener.error?.(err);
        break;
      }
      default:
        break;
    }
  }

  private onMessage(m: ChatMessage): void {
    if (typeof m.seq !== 'number') return;
    if (m.clientMsgId && m.from === 'resident') {
      const before = this.outbox.length;
      this.outbox = this.outbox.filter((p) => p.clientMsgId !== m.clientMsgId);
      if (this.outbox.length !== before) {
        this.endStalls(); // messages get through
        this.resends = 0; // and are stored again: a later outage backs off from the start
        this.sentAt.delete(m.clientMsgId);
        this.emitPending();
      }
    }
    if (m.seq <= this.floor || this.seen.has(m.seq)) return;
    this.seen.add(m.seq);
    if (m.seq > this.last) this.last = m.seq;
    this.listener.message?.(m);
  }

  private requeue(p: PendingMessage): void {
    p.status = 'queued';
    p.retried = true;
    delete p.error;
    delete p.code;
    delete p.retryable;
  }

  /** The one automatic retry of messages that failed for a passing reason, after a pause. */
  private scheduleRetry(): void {
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryPassing();
      this.flush();
    }, this.opts.retryPauseMs ?? 5000);
  }

  /** Queue again what failed for a passing reason and has not had its automatic retry (on a pause's end or a new connection). */
  private retryPassing(): void {
    if (this.ended) return;
    let changed = false;
    for (const p of this.outbox) {
      if (p.status === 'failed' && p.retryable && !p.retried) {
        this.requeue(p);
        changed = true;
      }
    }
    if (changed) this.emitPending();
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  /**
   * Send again, after a back-off (`retryDelay`: 2 s doubling to a minute, with jitter), what the
   * chat could not store just now. One timer for all of them: they failed for the same reason,
   * and come back together. Not limited in number, unlike other passing failures: a restart of
   * the database can take a minute, and the resident should not have to click for it.
   */
  private scheduleResend(): void {
    if (this.resendTimer) return;
    const delay = retryDelay(this.resends++, null, this.random);
    this.resendTimer = setTimeout(() => {
      this.resendTimer = null;
      if (this.stopped || this.ended) return;
      let changed = false;
      for (const p of this.outbox) {
        if (p.status === 'retrying') {
          p.status = 'queued';
          changed = true;
        }
      }
      if (changed) this.emitPending();
      this.flush();
    }, delay);
  }

  private clearResend(): void {
    if (this.resendTimer) clearTimeout(this.resendTimer);
    this.resendTimer = null;
  }

  private emitPending(): void {
    this.listener.pending?.(this.pending);
  }

  private setStatus(s: ConnectionStatus): void {
    if (this.statusValue === s) return;
    this.statusValue = s;
    this.listener.status?.(s);
  }

  /**
   * The conversation or the token is no more: stop for good; the resident starts afresh. What has
   * no echo stays in view as not sent, to copy, with nothing left to send it again by.
   */
  private giveUp(): void {
    this.close();
    let changed = false;
    for (const p of this.outbox) {
      if (p.status === 'failed' && !p.retryable) continue;
      p.status = 'failed';
      p.code = 'gone';
      delete p.error;
      p.retryable = false;
      changed = true;
    }
    // before the status: the widget lets go of the conversation's view on `gone`
    if (changed) this.emitPending();
    this.setStatus('gone');
  }

  private clearReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  private scheduleReconnect(): void {
    this.clearReconnect();
    if (this.stopped || this.ended) return;
    const probeAfter = this.opts.probeAfter ?? 4;
    if (this.opts.probe && this.failuresInRow >= probeAfter && !this.probing && !browserOffline()) {
      this.probing = true;
      // a request on a bad connection can hang for minutes: without an answer in time the
      // answer is "unknown", and reconnecting goes on (a late answer is not waited for)
      let settled = false;
      const answer = (alive: boolean | null) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.probing = false;
        if (this.stopped) return;
        if (alive === false) {
          this.giveUp();
        } else {
          this.failuresInRow = 0;
          this.scheduleReconnect();
        }
      };
      const timer = setTimeout(() => answer(null), this.opts.probeTimeoutMs ?? 10000);
      this.opts.probe().then((alive) => answer(alive), () => answer(null));
      return;
    }
    this.attempts++;
    // without a network no try can succeed, and each one wakes a phone's radio: the browser's
    // `online` brings the connection back at once (`refresh`); until then, a try about once a minute
    // in case the browser is wrong about being offline
    const delay = browserOffline()
      ? backoffDelay(1, OFFLINE_RETRY_MS, OFFLINE_RETRY_MS, this.random)
      : backoffDelay(this.attempts, this.backoff.base, this.backoff.max, this.random);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.connect();
    }, delay);
  }
}
