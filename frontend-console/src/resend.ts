// Replies (messages and notes) the server answered `unavailable` — the database cannot be reached,
// a restart of PostgreSQL — go again by themselves while the console is connected, with their own
// clientMsgId (the server stores a reply once, so a try that was stored after all does no harm):
// after 2 s, doubling to a minute, plus up to a fifth at random so that the consoles that failed
// together do not all come back in the same second. Not limited in number: a restart can take a
// minute, and the agent should not have to click through it. A reconnect's hello sends everything
// unsent at once (Console), so a try planned before it is dropped.

import type { ClientFrame, ServerFrame } from './protocol';
import { type State, unsentReply } from './state';

const FIRST_MS = 2000;
export const MAX_RESEND_MS = 60_000;

/** The wait before the `n`th try by itself (0 for the first): 2 s doubling, plus up to a fifth, at most a minute. */
export function resendDelay(n: number, random: () => number = Math.random): number {
  return Math.min(MAX_RESEND_MS, Math.round(FIRST_MS * 2 ** n * (1 + 0.2 * random())));
}

export class Resender {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  /**
   * @param state the console's state now
   * @param send sends a frame if the socket is open (false when offline: the next hello sends it)
   */
  constructor(
    private readonly state: () => State,
    private readonly send: (frame: ClientFrame) => boolean,
    private readonly random: () => number = Math.random,
  ) {}

  /** Looks at a frame once the state has taken it: an `unavailable` for a reply plans its next try. */
  after(frame: ServerFrame): void {
    if (frame.type === 'hello') {
      this.stop();
      return;
    }
    if (frame.type !== 'error' || frame.code !== 'unavailable' || !frame.ref) return;
    const ref = frame.ref;
    const reply = unsentReply(this.state(), ref);
    if (!reply || this.timers.has(ref)) return;
    const delay = resendDelay(Math.max(0, (reply.pending.retries ?? 1) - 1), this.random);
    this.timers.set(
      ref,
      setTimeout(() => {
        this.timers.delete(ref);
        // stored meanwhile, failed for a reason of its own, or its conversation left the agent
        const now = unsentReply(this.state(), ref);
        if (!now) return;
        const { conversationId, pending: p } = now;
        this.send({ type: p.kind, conversationId, clientMsgId: p.clientMsgId, text: p.text, ref: p.clientMsgId });
      }, delay),
    );
  }

  /** Drops every planned try (a hello sends them all; a logout sends nothing). */
  stop(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
