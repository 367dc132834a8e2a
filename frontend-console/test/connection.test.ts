import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentConnection, afterClose } from '../src/connection';

describe('what a close from the server means', () => {
  it('reconnects at once after a service restart, but not twice within 2 s', () => {
    expect(afterClose(1012, 'service restart', null, 10_000)).toEqual({ kind: 'reconnect-now' });
    expect(afterClose(1012, '', 9_000, 10_000)).toEqual({ kind: 'backoff' });
    expect(afterClose(1012, '', 7_000, 10_000)).toEqual({ kind: 'reconnect-now' });
  });

  it('ends the session on a policy close, except for the frame limit', () => {
    expect(afterClose(1008, 'token revoked', null, 0)).toEqual({ kind: 'session-ended', reason: 'revoked' });
    expect(afterClose(1008, 'account disabled', null, 0)).toEqual({ kind: 'session-ended', reason: 'disabled' });
    expect(afterClose(1008, '', null, 0)).toEqual({ kind: 'session-ended', reason: 'revoked' });
    // the server's words when a token runs out while its socket is open
    expect(afterClose(1008, 'Authentication expired', null, 0)).toEqual({ kind: 'session-ended', reason: 'expired' });
    expect(afterClose(1008, 'too many frames', null, 0)).toEqual({ kind: 'backoff' });
    // this very token was logged out (a duplicated tab shares it): not an access problem
    expect(afterClose(1008, 'logged out', null, 0)).toEqual({ kind: 'session-ended', reason: 'logged-out' });
  });

  it('backs off after anything else', () => {
    for (const code of [1000, 1001, 1006, 1011]) expect(afterClose(code, '', null, 0)).toEqual({ kind: 'backoff' });
  });
});

/** Just enough of a browser WebSocket to drive AgentConnection. */
class FakeSocket {
  static OPEN = 1;
  static all: FakeSocket[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onmessage: ((e: { data: string }) => void) | null = null;
  onclose: ((e: { code: number; reason: string }) => void) | null = null;
  onerror: (() => void) | null = null;
  sent: string[] = [];
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    FakeSocket.all.push(this);
  }
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = 3;
  }
  serverSends(frame: object) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
  serverCloses(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

describe('the agent connection', () => {
  beforeEach(() => {
    FakeSocket.all = [];
    vi.useFakeTimers();
    vi.stubGlobal('WebSocket', FakeSocket);
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  function start() {
    const states: string[] = [];
    const ended: string[] = [];
    const frames: string[] = [];
    const conn = new AgentConnection('ws://loket/ws/agent', () => 'a.b.c', {
      onFrame: (f) => frames.push(f.type),
      onState: (s, ms) => states.push(ms === undefined ? s : `${s}:${ms}`),
      onRefused() {},
      onSessionEnded: (r) => ended.push(r),
    });
    conn.start();
    return { conn, states, ended, frames };
  }

  it('goes to a new node at once when its node restarts (1012), with the same URL', () => {
    const { states } = start();
    FakeSocket.all[0].open();
    FakeSocket.all[0].serverCloses(1012, 'service restart');
    expect(FakeSocket.all).toHaveLength(2); // no timer needed
    expect(FakeSocket.all[1].url).toBe('ws://loket/ws/agent');
    expect(states).toContain('reconnecting:0');
    FakeSocket.all[1].open();
    expect(states[states.length - 1]).toBe('open');
  });

  it('gives an open socket up at once when the browser goes offline, and tries again at once when it is back', () => {
    const { conn, states } = start();
    const first = FakeSocket.all[0];
    first.open();
    // Chromium keeps the socket OPEN when the network goes; it just carries nothing
    conn.networkLost();
    expect(states.at(-1)).toMatch(/^reconnecting:/);
    expect(conn.isOpen()).toBe(false);
    expect(conn.send({ type: 'message', conversationId: 'c1', clientMsgId: 'a-1', text: 'Hallo' })).toBe(false);
    conn.retryNow(); // the browser's "online"
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].open();
    expect(states.at(-1)).toBe('open');
  });

  it('waits with back-off after a network drop', () => {
    start();
    FakeSocket.all[0].open();
    FakeSocket.all[0].serverCloses(1006);
    expect(FakeSocket.all).toHaveLength(1);
    vi.advanceTimersByTime(1300);
    expect(FakeSocket.all).toHaveLength(2);
  });

  it('stops and reports a revoked session (1008) instead of reconnecting', () => {
    const { ended, states } = start();
    FakeSocket.all[0].open();
    FakeSocket.all[0].serverCloses(1008, 'token revoked');
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.all).toHaveLength(1);
    expect(ended).toEqual(['revoked']);
    expect(states[states.length - 1]).toBe('offline');
  });

  it('abandons an attempt still connecting when the agent retries now, and closes whatever is left on logout', () => {
    const { conn, frames } = start();
    FakeSocket.all[0].open();
    FakeSocket.all[0].serverCloses(1006);
    vi.advanceTimersByTime(1300); // the back-off ran out: a second socket is connecting
    conn.retryNow();
    expect(FakeSocket.all).toHaveLength(3);
    const [, abandoned, current] = FakeSocket.all;
    expect(abandoned.readyState).toBe(3);
    abandoned.open();
    current.open();
    abandoned.serverSends({ type: 'queues', topics: [] });
    current.serverSends({ type: 'queues', topics: [] });
    expect(frames).toEqual(['queues']);
    conn.stop();
    expect(current.readyState).toBe(3);
  });

  it('closes a socket that is still connecting on logout, and hears nothing from it after', () => {
    const { conn, frames, states } = start();
    const connecting = FakeSocket.all[0];
    conn.stop();
    expect(connecting.readyState).toBe(3);
    connecting.open();
    connecting.serverSends({ type: 'queues', topics: [] });
    expect(frames).toEqual([]);
    expect(states).not.toContain('open');
  });
});
