// The console's waits for the server's answer to what it sent: a reply or note (its `message`
// with the same clientMsgId) and a close, transfer or callback (`ended`, or an error with the ref
// `leave:<id>`). A wait that gets no answer in time fails, as if offline, unless its conversation
// is still loading (hello `later`): the server answers what concerns it only once it can read it
// (0.5 s doubling to 30 s while it keeps failing), so a close that went through was reported
// failed after 10 s. Such a wait goes on until the answer comes or the conversation is no longer
// loading (came, ended, or dropped by a hello), and then has its time again.

import type { ServerFrame } from './protocol';


export interface WaitFailure {
  message: string;
  errors?: { field: string; message: string }[];
  code?: string;
}

interface Waiter {
  resolve(): void;
  reject(err: WaitFailure): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Waiters {
  private readonly waiting = new Map<string, Waiter>();

  /**
   * @param timedOut what a wait that got no answer in time fails with
   * @param loading whether this conversation is still loading (state.ts, awaitsLoad)
   */
  constructor(
    private readonly timedOut: () => WaitFailure,
    private readonly loading: (conversationId: string) => boolean = () => false,
  ) {}

  /** Waits for the answer under this key, at most `ms` (longer while its conversation is loading). */
  wait(key: string, ms: number, conversationId?: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const expire = () => {
        const w = this.waiting.get(key);
        if (!w) return;
        if (conversationId !== undefined && this.loading(conversationId)) {
          w.timer = setTimeout(expire, ms);
          return;
        }
        this.waiting.delete(key);
        reject(this.timedOut());
      };
      this.waiting.set(key, { resolve, reject, timer: setTimeout(expire, ms) });
    });
  }

  /** The answer came: resolves the wait (or rejects it with the error). Whether one was waiting. */
  settle(key: string, error?: WaitFailure): boolean {
    const w = this.waiting.get(key);
    if (!w) return false;
    this.waiting.delete(key);
    clearTimeout(w.timer);
    if (error) w.reject(error);
    else w.resolve();
    return true;
  }

  /** Stops waiting without an answer (the frame could not be sent): the promise stays unsettled. */
  drop(key: string): void {
    const w = this.waiting.get(key);
    if (!w) return;
    clearTimeout(w.timer);
    this.waiting.delete(key);
  }
}

/**
 * The replies and notes of the agent's that a frame carries as stored: a `message` with its
 * clientMsgId, and the messages of an `assigned` or `hello`. One sent to a conversation still
 * loading is acknowledged in the `assigned` that brings it (protocol §5), not in a `message`:
 * its wait (the transfer dialog's note) would otherwise fail once the conversation came.
 */
export function storedIds(f: ServerFrame): string[] {
  if (f.type === 'message') return f.clientMsgId ? [f.clientMsgId] : [];
  const messages = f.type === 'assigned' ? f.conversation.messages : f.type === 'hello' ? f.conversations.flatMap((c) => c.messages ?? []) : [];
  return (messages ?? []).flatMap((m) => (m.clientMsgId ? [m.clientMsgId] : []));
}
