import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientFrame, ServerFrame } from '../src/protocol';
import { Resender } from '../src/resend';
import { Store } from '../src/store';
import { agent, conv } from './fixtures';

// While PostgreSQL restarts, the server answers every reply with `unavailable`. The console sends
// it again by itself, with the same clientMsgId (stored once), while it is connected: the agent
// does not have to click "Opnieuw" through an outage of a minute.

const UNAVAILABLE = 'De chat is even niet bereikbaar; uw bericht wordt zo vanzelf opnieuw verstuurd. / The chat is briefly unavailable; your message will be sent again shortly.';

/** The console's wiring: the store takes each frame, then the resender looks at it; `online` is the socket. */
function setup() {
  const store = new Store();
  const sent: ClientFrame[] = [];
  let online = true;
  const resender = new Resender(
    () => store.state,
    (f) => {
      if (!online) return false;
      sent.push(f);
      return true;
    },
    () => 1, // no randomness: each wait is 2 s doubling plus a fifth, at most 60 s
  );
  const server = (frame: ServerFrame) => {
    store.dispatch({ type: 'frame', frame, now: Date.now(), quiet: true });
    resender.after(frame);
  };
  server({ type: 'hello', agent, conversations: [conv('c1')] });
  const reply = (clientMsgId: string, kind: 'message' | 'note' = 'message', text = 'Een ogenblik, ik kijk het na.') => {
    store.dispatch({ type: 'pending', conversationId: 'c1', pending: { clientMsgId, kind, text, queuedAt: Date.now() } });
    sent.push({ type: kind, conversationId: 'c1', clientMsgId, text, ref: clientMsgId });
  };
  return { store, sent, resender, server, reply, offline: () => (online = false) };
}

const unavailable = (ref: string): ServerFrame => ({ type: 'error', code: 'unavailable', message: UNAVAILABLE, ref });
const triesOf = (sent: ClientFrame[], id: string) => sent.filter((f) => 'clientMsgId' in f && f.clientMsgId === id);

describe('a reply the chat could not store just now', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('goes again by itself, the same frame, backing off from 2 s to a minute, until it is stored', () => {
    const { sent, server, reply, store } = setup();
    reply('a-1');
    const waits = [2400, 4800, 9600, 19200, 38400, 60000, 60000];
    waits.forEach((wait, i) => {
      server(unavailable('a-1'));
      // being sent again, not failed: no "Niet verstuurd", no button to click
      expect(store.state.conversations[0].pending[0].error).toBeUndefined();
      vi.advanceTimersByTime(wait - 1);
      expect(triesOf(sent, 'a-1')).toHaveLength(i + 1);
      vi.advanceTimersByTime(1);
      expect(triesOf(sent, 'a-1')).toHaveLength(i + 2);
    });
    expect(new Set(triesOf(sent, 'a-1').map((f) => JSON.stringify(f)))).toEqual(
      new Set([JSON.stringify({ type: 'message', conversationId: 'c1', clientMsgId: 'a-1', text: 'Een ogenblik, ik kijk het na.', ref: 'a-1' })]),
    );
    server({ type: 'message', conversationId: 'c1', seq: 2, from: 'agent', text: 'Een ogenblik, ik kijk het na.', sentAt: 'x', clientMsgId: 'a-1' });
    expect(store.state.conversations[0].pending).toEqual([]);
    vi.advanceTimersByTime(300_000);
    expect(triesOf(sent, 'a-1')).toHaveLength(waits.length + 1);
  });

  it('sends a note again as a note', () => {
    const { sent, server, reply } = setup();
    reply('n-1', 'note', 'klant wacht op zijn pas');
    server(unavailable('n-1'));
    vi.advanceTimersByTime(2400);
    expect(sent.at(-1)).toEqual({ type: 'note', conversationId: 'c1', clientMsgId: 'n-1', text: 'klant wacht op zijn pas', ref: 'n-1' });
  });

  it('leaves it to the next hello when the connection is gone, and does not send it twice then', () => {
    const { sent, server, reply, offline } = setup();
    reply('a-1');
    server(unavailable('a-1'));
    offline();
    vi.advanceTimersByTime(2400);
    expect(triesOf(sent, 'a-1')).toHaveLength(1);
    // the reconnect's hello: the console sends everything unsent itself; a try scheduled before is dropped
    reply('a-2');
    server(unavailable('a-2'));
    server({ type: 'hello', agent, conversations: [conv('c1')] });
    vi.advanceTimersByTime(300_000);
    expect(triesOf(sent, 'a-2')).toHaveLength(1);
  });

  it('stops once the conversation has left the agent, or the reply failed for another reason', () => {
    const { sent, server, reply } = setup();
    reply('a-1');
    reply('a-2');
    server(unavailable('a-1'));
    server(unavailable('a-2'));
    server({ type: 'error', code: 'invalid_message', message: 'Ongeldig bericht', ref: 'a-2' });
    server({ type: 'ended', conversationId: 'c1', reason: 'resident_left' });
    vi.advanceTimersByTime(300_000);
    expect(triesOf(sent, 'a-1')).toHaveLength(1);
    expect(triesOf(sent, 'a-2')).toHaveLength(1);
  });

  it('stops at logout', () => {
    const { sent, server, reply, resender } = setup();
    reply('a-1');
    server(unavailable('a-1'));
    resender.stop();
    vi.advanceTimersByTime(300_000);
    expect(triesOf(sent, 'a-1')).toHaveLength(1);
  });
});
