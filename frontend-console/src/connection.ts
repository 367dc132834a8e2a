// The agent WebSocket: connects with the token as a subprotocol (browsers cannot set headers),
// reconnects with back-off, keeps under the frame limit, and queues frames while offline.

import type { ClientFrame, ServerFrame } from './protocol';
import { parseServerFrame } from './protocol';
import { FrameBudget, backoffDelay } from './util';

export interface ConnectionEvents {
  onFrame(frame: ServerFrame): void;
  onState(state: 'connecting' | 'open' | 'reconnecting' | 'offline', retryInMs?: number): void;
  /** The socket closed before it ever opened: maybe the token is no longer accepted. */
  onRefused(): void;
  /** The server ended this session for good (token revoked or expired, account disabled): back to the login. */
  onSessionEnded(reason: SessionEnd): void;
}

export type SessionEnd = 'revoked' | 'disabled' | 'expired' | 'logged-out';

export type CloseDecision =
  | { kind: 'reconnect-now' }
  | { kind: 'backoff' }
  | { kind: 'session-ended'; reason: SessionEnd };

/** A restart close this soon after the previous one waits its turn: a node that keeps restarting must not be hammered. */
export const RESTART_GRACE_MS = 2000;

/**
 * What a close from the server means for the console:
 * - 1012 "service restart": a node is going down on purpose; the same URL reaches another
 *   node, so reconnect at once (once: a second 1012 within 2 s falls back to the back-off);
 * - 1008 "policy violation": the session is over (token revoked, account disabled, this token
 *   logged out, or the
 *   token's time is up: "Authentication expired"), except for the frame limit, after which a
 *   reconnect with back-off is fine;
 * - anything else (network, 1001, 1006, 1011 …): reconnect with back-off.
 */
export function afterClose(code: number, reason: string, lastRestartAt: number | null, now: number): CloseDecision {
  if (code === 1012) {
    return lastRestartAt !== null && now - lastRestartAt < RESTART_GRACE_MS ? { kind: 'backoff' } : { kind: 'reconnect-now' };
  }
  if (code === 1008) {
    if (/too many/i.test(reason)) return { kind: 'backoff' };
    if (/disabled/i.test(reason)) return { kind: 'session-ended', reason: 'disabled' };
    // this very token was logged out ("logged out"), say in another tab that shares it
    if (/logged out/i.test(reason)) return { kind: 'session-ended', reason: 'logged-out' };
    return { kind: 'session-ended', reason: /expired/i.test(reason) ? 'expired' : 'revoked' };
  }
  return { kind: 'backoff' };
}

export function agentSocketUrl(location: { protocol: string; host: string }): string {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/agent';
}

export function tokenProtocols(token: string): string[] {
  return ['bearer-token-carrier', encodeURIComponent('quarkus-http-upgrade#Authorization#Bearer ' + token)];
}

export class AgentConnection {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private drainTimer: ReturnType<typeof setTimeout> | null = null;
  private stopped = false;
  private lastRestartAt: number | null = null;
  private readonly budget = new FrameBudget();
  private readonly queue: ClientFrame[] = [];

  constructor(
    private readonly url: string,
    private readonly token: () => string | null,
    private readonly events: ConnectionEvents,
  ) {}

  start(): void {
    this.stopped = false;
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.timer = null;
    this.abandon(1000, 'logout');
  }

  /** Skip the wait and try now (the banner's button). An attempt still connecting is given up first. */
  retryNow(): void {
    if (this.stopped || this.isOpen()) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abandon(1000, 'retry');
    this.connect();
  }

  /**
   * The browser says the network is gone (its `offline` event). Chromium keeps an open socket
   * OPEN then, carrying nothing: the console showed no banner and a reply "wordt verstuurd…" for
   * as long as the network was away. The socket is given up at once, as after a drop: the banner
   * says so, replies wait in the state and go again after the next hello (same clientMsgId,
   * stored once), and the back-off, or `online` through {@link retryNow}, brings it back.
   */
  networkLost(): void {
    if (this.stopped || !this.ws) return;
    this.abandon(1000, 'offline');
    this.queue.length = 0;
    this.scheduleReconnect();
  }

  /**
   * Lets go of the current socket, open or still connecting: its handlers are detached first, so
   * that nothing it still delivers reaches the console and its close schedules no reconnect.
   */
  private abandon(code: number, reason: string): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
    ws.close(code, reason);
  }

  isOpen(): boolean {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * Sends a frame if the socket is open: at once while the budget allows, else in order as soon
   * as it does. Typing is only a hint and is dropped instead of waiting. Returns false when
   * offline: nothing is kept then (unsent messages stay pending in the state and go out again
   * after the next hello; other actions wait for the agent).
   */
  send(frame: ClientFrame): boolean {
    if (!this.isOpen()) return false;
    if (frame.type === 'typing') {
      if (this.queue.length || !this.budget.allow(true)) return false;
      this.write(frame);
      return true;
    }
    this.queue.push(frame);
    this.drain();
    return true;
  }

  private write(frame: ClientFrame): void {
    this.budget.record();
    this.ws!.send(JSON.stringify(frame));
  }

  private drain(): void {
    while (this.queue.length && this.isOpen()) {
      if (!this.budget.allow()) {
        if (!this.drainTimer) {
          this.drainTimer = setTimeout(() => {
            this.drainTimer = null;
            this.drain();
          }, this.budget.waitMs() + 50);
        }
        return;
      }
      this.write(this.queue.shift()!);
    }
  }

  private connect(): void {
    const token = this.token();
    if (!token) return;
    this.events.onState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    let opened = false;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url, tokenProtocols(token));
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.events.onState('open');
    };
    ws.onmessage = (e) => {
      const frame = parseServerFrame(e.data);
      if (!frame) return;
      this.events.onFrame(frame);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.queue.length = 0;
      if (this.stopped) return;
      const now = Date.now();
      const decision = afterClose(e.code, e.reason, this.lastRestartAt, now);
      if (decision.kind === 'session-ended') {
        this.stopped = true;
        this.events.onState('offline');
        this.events.onSessionEnded(decision.reason);
        return;
      }
      if (decision.kind === 'reconnect-now') {
        this.lastRestartAt = now;
        this.attempt = 0;
        this.events.onState('reconnecting', 0);
        this.connect();
        return;
      }
      if (!opened) this.events.onRefused();
      this.scheduleReconnect();
    };
    ws.onerror = () => {
      // onclose follows and schedules the retry
    };
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt++);
    this.events.onState('reconnecting', delay);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.connect();
    }, delay);
  }
}
