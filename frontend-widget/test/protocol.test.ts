import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, ResidentClient, type ChatMessage, type ClientListener, type ClientOptions, type ConnectionStatus, type PendingMessage } from '../src/protocol';
import { fakeSockets } from './fake-socket';

function msg(seq: number, from: ChatMessage['from'] = 'agent', extra: Partial<ChatMessage> = {}): ChatMessage & { type: 'message' } {
  return { type: 'message', seq, from, text: `bericht ${seq}`, sentAt: '2026-11-30T09:00:00Z', ...extra };
}

function setup(opts: Partial<Omit<ClientOptions, 'listener'>> = {}) {
  const net = fakeSockets();
  const shown: ChatMessage[] = [];
  const statuses: ConnectionStatus[] = [];
  const pendings: PendingMessage[][] = [];
  const listener: ClientListener = {
    message: (m) => shown.push(m),
    status: (s) => statuses.push(s),
    pending: (p) => pendings.push(p),
  };
  let n = 0;
  const client = new ResidentClient({
    baseUrl: 'https://loket.example',
    conversationId: 'c1',
    token: 'tok.en',
    listener,
    socket: net.factory,
    random: () => 1, // no jitter: delays are the ceiling
    newId: () => `m-${++n}`,
    ...opts,
  });
  return { net, client, shown, statuses, pendings, listener };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('connecting', () => {
  it('passes the token as the bearer-token-carrier subprotocol and resumes after 0 on a fresh page', () => {
    const { net, client } = setup();
    client.connect();
    expect(net.last().url).toBe('wss://loket.example/ws/resident/c1?after=0');
    expect(net.last().protocols).toEqual([
      'bearer-token-carrier',
      encodeURIComponent('quarkus-http-upgrade#Authorization#Bearer tok.en'),
    ]);
  });

  it('shows its connection state: connecting, online, offline until it is back', () => {
    const { net, client, statuses } = setup();
    client.connect();
    net.last().open();
    net.last().drop();
    vi.advanceTimersByTime(1000);
    net.last().drop();
    vi.advanceTimersByTime(2000);
    net.last().open();
    expect(statuses).toEqual(['connecting', 'online', 'offline', 'online']);
  });
});

describe('resume after a drop', () => {
  it('reconnects with after = the last seq it showed, and shows only what it missed', () => {
    const { net, client, shown } = setup();
    client.connect();
    const first = net.last();
    first.open();
    first.push({ type: 'state', state: 'active', agentName: 'Anne' });
    first.push(msg(1, 'resident'));
    first.push(msg(2));
    first.drop();

    vi.advanceTimersByTime(1000);
    const second = net.last();
    expect(second).not.toBe(first);
    expect(second.url).toBe('wss://loket.example/ws/resident/c1?after=2');
    second.open();
    second.push({ type: 'state', state: 'active', agentName: 'Anne' });
    second.push(msg(3));
    expect(shown.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(client.lastSeq).toBe(3);
  });

  it('treats a skipped seq (an internal note) as no loss', () => {
    const { net, client, shown } = setup();
    client.connect();
    net.last().open();
    net.last().push(msg(1));
    net.last().push(msg(3));
    net.last().drop();
    vi.advanceTimersByTime(1000);
    expect(net.last().url).toContain('after=3');
    expect(shown.map((m) => m.seq)).toEqual([1, 3]);
  });

  it('ignores frames of a socket it has already replaced', () => {
    const { net, client, shown } = setup();
    client.connect();
    const old = net.last();
    old.open();
    old.drop();
    vi.advanceTimersByTime(1000);
    net.last().open();
    old.push(msg(7));
    expect(shown).toEqual([]);
  });

  it('does not reconnect once the conversation has ended', () => {
    const { net, client, statuses } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'closed', reason: 'closed' });
    net.last().drop(1000);
    vi.advanceTimersByTime(120000);
    expect(net.sockets).toHaveLength(1);
    expect(statuses.at(-1)).toBe('ended');
  });
});

describe('a node restarting (close code 1012)', () => {
  it('reconnects at once, with after = the last seq shown, and sends again what had no echo', () => {
    const { net, client, shown, statuses } = setup();
    client.connect();
    const first = net.last();
    first.open();
    first.push({ type: 'state', state: 'active', agentName: 'Anne' });
    first.push(msg(1, 'resident'));
    first.push(msg(2));
    const p = client.send('Bent u er nog?')!;
    first.drop(1012);

    // no timer has run: the new socket is there straight away
    expect(net.sockets).toHaveLength(2);
    const second = net.last();
    expect(second.url).toBe('wss://loket.example/ws/resident/c1?after=2');
    second.open();
    expect(second.sent).toEqual([{ type: 'message', clientMsgId: p.clientMsgId, text: 'Bent u er nog?' }]);
    second.push(msg(2));
    second.push(msg(3));
    expect(shown.map((m) => m.seq)).toEqual([1, 2, 3]);
    // the resident sees "connecting", never "no connection"
    expect(statuses).toEqual(['connecting', 'online', 'connecting', 'online']);
  });

  it('waits the back-off when the node closed with 1012 before it said anything', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    net.last().drop(1012);
    expect(net.sockets).toHaveLength(1);
    vi.advanceTimersByTime(999);
    expect(net.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(net.sockets).toHaveLength(2);
  });

  it('reconnects at once only once in 10 s, so a node that keeps restarting is backed off', () => {
    const { net, client } = setup();
    client.connect();
    const restartAfterHello = () => {
      net.last().open();
      net.last().push({ type: 'state', state: 'queued', position: 1 });
      net.last().drop(1012);
    };
    restartAfterHello();
    expect(net.sockets).toHaveLength(2);
    restartAfterHello();
    expect(net.sockets).toHaveLength(2); // the second within 10 s: back-off
    vi.advanceTimersByTime(1000);
    expect(net.sockets).toHaveLength(3);
    // 10 s after the first restart (and within the 10 s the third socket has to open)
    vi.advanceTimersByTime(9000);
    restartAfterHello();
    expect(net.sockets).toHaveLength(4);
  });

  it('does not come back after the conversation has ended', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'closed', reason: 'closed' });
    net.last().drop(1012);
    vi.advanceTimersByTime(60000);
    expect(net.sockets).toHaveLength(1);
  });
});

describe('de-duplication by seq', () => {
  it('shows a message replayed after a reconnect only once', () => {
    const { net, client, shown } = setup();
    client.connect();
    net.last().open();
    net.last().push(msg(1));
    net.last().push(msg(2));
    net.last().push(msg(2));
    net.last().push(msg(1));
    expect(shown.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('drops what lies at or below the seq it was told is already shown', () => {
    const { net, client, shown } = setup({ after: 5 });
    client.connect();
    expect(net.last().url).toContain('after=5');
    net.last().open();
    net.last().push(msg(4));
    net.last().push(msg(5));
    net.last().push(msg(6));
    expect(shown.map((m) => m.seq)).toEqual([6]);
  });

  it('accepts the answer to a repeated clientMsgId as the ack without showing it twice', () => {
    const { net, client, shown } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Mijn paspoort is verlopen')!;
    // the server stored it but the echo was lost with the connection
    net.last().drop();
    vi.advanceTimersByTime(1000);
    const again = net.last();
    again.open();
    expect(again.sent).toEqual([{ type: 'message', clientMsgId: p.clientMsgId, text: 'Mijn paspoort is verlopen' }]);
    // the replay (after=0) and the direct answer to the repeat carry the same seq
    again.push(msg(1, 'resident', { clientMsgId: p.clientMsgId, text: 'Mijn paspoort is verlopen' }));
    again.push(msg(1, 'resident', { clientMsgId: p.clientMsgId, text: 'Mijn paspoort is verlopen' }));
    expect(shown.map((m) => m.seq)).toEqual([1]);
    expect(client.pending).toEqual([]);
  });
});

describe('offline queue', () => {
  it('keeps messages typed while offline and sends them with their clientMsgId when connected', () => {
    const { net, client, pendings } = setup();
    client.connect();
    const a = client.send('eerste')!;
    const b = client.send('  tweede  ')!;
    expect(client.pending.map((p) => p.status)).toEqual(['queued', 'queued']);
    expect(net.last().sent).toEqual([]);

    net.last().open();
    expect(net.last().sent).toEqual([
      { type: 'message', clientMsgId: a.clientMsgId, text: 'eerste' },
      { type: 'message', clientMsgId: b.clientMsgId, text: 'tweede' },
    ]);
    expect(client.pending.map((p) => p.status)).toEqual(['sent', 'sent']);

    net.last().push(msg(1, 'resident', { clientMsgId: a.clientMsgId }));
    expect(client.pending.map((p) => p.clientMsgId)).toEqual([b.clientMsgId]);
    net.last().push(msg(2, 'resident', { clientMsgId: b.clientMsgId }));
    expect(client.pending).toEqual([]);
    expect(pendings.at(-1)).toEqual([]);
  });

  it('sends again, with the same clientMsgId, what was sent but never acknowledged before a drop', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('hallo')!;
    expect(client.pending[0].status).toBe('sent');
    net.last().drop();
    expect(client.pending[0].status).toBe('queued');
    vi.advanceTimersByTime(1000);
    net.last().open();
    expect(net.last().sent).toEqual([{ type: 'message', clientMsgId: p.clientMsgId, text: 'hallo' }]);
  });

  it('picks up an outbox saved before a reload', () => {
    const { net, client } = setup({ pending: [{ clientMsgId: 'old-1', text: 'van voor de reload', status: 'sent' }] });
    client.connect();
    net.last().open();
    expect(net.last().sent).toEqual([{ type: 'message', clientMsgId: 'old-1', text: 'van voor de reload' }]);
  });

  it('hands a restored outbox to the listener at once, before any connection', () => {
    const { pendings } = setup({ pending: [{ clientMsgId: 'old-1', text: 'van voor de reload', status: 'sent' }] });
    expect(pendings.at(-1)).toEqual([{ clientMsgId: 'old-1', text: 'van voor de reload', status: 'queued' }]);
  });

  it('marks a refused message as failed, and forgets it when asked', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('x')!;
    net.last().push({ type: 'error', code: 'conversation_ended', message: 'Dit gesprek is beëindigd. / This conversation has ended.', clientMsgId: p.clientMsgId });
    expect(client.pending[0]).toMatchObject({ status: 'failed', error: expect.stringContaining('beëindigd') });
    client.discard(p.clientMsgId);
    expect(client.pending).toEqual([]);
  });

  it('refuses empty and over-long text', () => {
    const { client } = setup();
    expect(client.send('   ')).toBeNull();
    expect(client.send('a'.repeat(2001))).toBeNull();
    expect(client.send('a'.repeat(2000))).not.toBeNull();
  });

  it('spreads a long queue over time instead of tripping the server frame limit', () => {
    const { net, client } = setup();
    client.connect();
    for (let i = 0; i < 25; i++) client.send(`bericht ${i}`);
    net.last().open();
    expect(net.last().sent).toHaveLength(15);
    net.last().sent.forEach((f, i) => net.last().push(msg(i + 1, 'resident', { clientMsgId: String(f.clientMsgId) })));
    vi.advanceTimersByTime(10_100);
    expect(net.last().sent).toHaveLength(25);
    expect(new Set(net.last().sent.map((f) => f.clientMsgId)).size).toBe(25);
  });
});

describe('a message the server could not take just now', () => {
  const internal = (clientMsgId: string) => ({ type: 'error', code: 'internal', message: 'Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.', clientMsgId });
  const sentOf = (sock: { sent: Record<string, unknown>[] }, id: string) => sock.sent.filter((f) => f.type === 'message' && f.clientMsgId === id);

  it('is sent again once by itself after a pause, with the same clientMsgId', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Mijn rijbewijs is verlopen')!;
    net.last().push(internal(p.clientMsgId));
    expect(client.pending[0]).toMatchObject({ status: 'failed', retryable: true });
    vi.advanceTimersByTime(5000);
    expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(2);
    expect(client.pending[0].status).toBe('sent');
    // failing a second time, it waits for the resident
    net.last().push(internal(p.clientMsgId));
    vi.advanceTimersByTime(60000);
    expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(2);
    expect(client.pending[0]).toMatchObject({ status: 'failed', retryable: true });
    expect(client.retry(p.clientMsgId)).toBe(true);
    expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(3);
    net.last().push(msg(1, 'resident', { clientMsgId: p.clientMsgId, text: 'Mijn rijbewijs is verlopen' }));
    expect(client.pending).toEqual([]);
  });

  it('is sent again on the next connection when that comes first', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Mijn rijbewijs is verlopen')!;
    net.last().push(internal(p.clientMsgId));
    net.last().drop();
    vi.advanceTimersByTime(1000);
    net.last().open();
    expect(net.last().sent).toEqual([{ type: 'message', clientMsgId: p.clientMsgId, text: 'Mijn rijbewijs is verlopen' }]);
    vi.advanceTimersByTime(10000);
    expect(net.last().sent).toHaveLength(1);
  });

  it('counts a rate limit as passing too', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Hallo')!;
    net.last().push({ type: 'error', code: 'rate_limited', message: 'Te veel verzoeken. / Too many requests.', clientMsgId: p.clientMsgId });
    vi.advanceTimersByTime(5000);
    expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(2);
  });

  it('is not sent again when the refusal is about the message itself', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Hallo')!;
    net.last().push({ type: 'error', code: 'invalid_message', message: 'Ongeldig bericht. / Invalid message.', clientMsgId: p.clientMsgId });
    expect(client.pending[0]).toMatchObject({ status: 'failed', retryable: false });
    vi.advanceTimersByTime(5000);
    net.last().drop();
    vi.advanceTimersByTime(1000);
    net.last().open();
    expect(client.retry(p.clientMsgId)).toBe(false);
    expect(net.last().sent).toEqual([]);
  });

  it('is sent after a reload when the one automatic try was still to come', () => {
    const { net, client } = setup({ pending: [{ clientMsgId: 'old-1', text: 'van voor de reload', status: 'failed', code: 'internal', error: 'x', retryable: true }] });
    client.connect();
    net.last().open();
    expect(net.last().sent).toEqual([{ type: 'message', clientMsgId: 'old-1', text: 'van voor de reload' }]);
  });
});

describe('a message the chat could not store while it is briefly unavailable', () => {
  // the server's answer while the database is away (a restart): it passes within seconds
  const unavailable = (clientMsgId: string) => ({
    type: 'error',
    code: 'unavailable',
    message: 'De chat is even niet bereikbaar; uw bericht wordt zo vanzelf opnieuw verstuurd. / The chat is briefly unavailable; your message will be sent again shortly.',
    clientMsgId,
  });
  const sentOf = (sock: { sent: Record<string, unknown>[] }, id: string) => sock.sent.filter((f) => f.type === 'message' && f.clientMsgId === id);

  it('is sent again by itself, backing off from 2 s to a minute, until it is stored, and never shown as not sent', () => {
    const { net, client } = setup(); // random 1: each wait is 2 s doubling plus a fifth, at most 60 s
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    const p = client.send('Mijn rijbewijs is verlopen')!;
    const waits = [2400, 4800, 9600, 19200, 38400, 60000, 60000, 60000];
    waits.forEach((wait, i) => {
      net.last().push(unavailable(p.clientMsgId));
      expect(client.pending).toEqual([expect.objectContaining({ clientMsgId: p.clientMsgId, status: 'retrying' })]);
      vi.advanceTimersByTime(wait - 1);
      expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(i + 1);
      vi.advanceTimersByTime(1);
      expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(i + 2);
      expect(client.pending[0].status).toBe('sent');
    });
    expect(net.sockets).toHaveLength(1); // on the same socket, which answered every time
    expect(net.last().sent.filter((f) => f.type === 'message').every((f) => f.text === 'Mijn rijbewijs is verlopen')).toBe(true);
    net.last().push(msg(1, 'resident', { clientMsgId: p.clientMsgId, text: 'Mijn rijbewijs is verlopen' }));
    expect(client.pending).toEqual([]);
    vi.advanceTimersByTime(120000);
    expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(waits.length + 1);
  });

  it('starts the back-off afresh once a message got through', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Eerste')!;
    net.last().push(unavailable(p.clientMsgId));
    vi.advanceTimersByTime(2400);
    net.last().push(unavailable(p.clientMsgId));
    vi.advanceTimersByTime(4800);
    net.last().push(msg(1, 'resident', { clientMsgId: p.clientMsgId, text: 'Eerste' }));
    // the next outage
    const q = client.send('Tweede')!;
    net.last().push(unavailable(q.clientMsgId));
    vi.advanceTimersByTime(2400);
    expect(sentOf(net.last(), q.clientMsgId)).toHaveLength(2);
  });

  it('waits for the connection when the socket drops meanwhile, and goes on it at once', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Hallo')!;
    net.last().push(unavailable(p.clientMsgId));
    net.last().drop();
    expect(client.pending[0].status).toBe('queued');
    vi.advanceTimersByTime(1000);
    net.last().open();
    expect(net.last().sent).toEqual([{ type: 'message', clientMsgId: p.clientMsgId, text: 'Hallo' }]);
    vi.advanceTimersByTime(10000);
    expect(net.last().sent).toHaveLength(1);
  });

  it('is no longer sent once the conversation has ended, and stays to copy as not sent', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    const p = client.send('Hallo')!;
    net.last().push(unavailable(p.clientMsgId));
    net.last().push({ type: 'state', state: 'closed', reason: 'closed' });
    expect(client.pending).toEqual([expect.objectContaining({ clientMsgId: p.clientMsgId, status: 'failed', code: 'conversation_ended', retryable: false })]);
    vi.advanceTimersByTime(120000);
    expect(sentOf(net.last(), p.clientMsgId)).toHaveLength(1);
  });

  it('is sent after a reload as any message without an echo', () => {
    const { net, client } = setup({ pending: [{ clientMsgId: 'old-1', text: 'van voor de reload', status: 'retrying' }] });
    client.connect();
    net.last().open();
    expect(net.last().sent).toEqual([{ type: 'message', clientMsgId: 'old-1', text: 'van voor de reload' }]);
  });
});

describe('the end of the conversation with messages in flight', () => {
  const ended = { type: 'error', code: 'conversation_ended', message: 'Dit gesprek is beëindigd. / This conversation has ended.' };

  it('keeps a message without an echo as not sent when the state frame comes first', () => {
    const { net, client, pendings } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    net.last().drop();
    const p = client.send('Ik heb nog een vraag over mijn paspoort')!;
    vi.advanceTimersByTime(1000);
    net.last().open(); // it goes out
    net.last().push({ type: 'state', state: 'closed', reason: 'closed' });
    expect(pendings.at(-1)).toEqual([expect.objectContaining({ clientMsgId: p.clientMsgId, text: 'Ik heb nog een vraag over mijn paspoort', status: 'failed' })]);
    net.last().push({ ...ended, clientMsgId: p.clientMsgId });
    expect(client.pending).toEqual([expect.objectContaining({ clientMsgId: p.clientMsgId, status: 'failed', error: ended.message })]);
  });

  it('keeps it as not sent when the refusal comes first', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Nog één ding')!;
    net.last().push({ ...ended, clientMsgId: p.clientMsgId });
    net.last().push({ type: 'state', state: 'closed', reason: 'closed' });
    expect(client.pending).toEqual([expect.objectContaining({ clientMsgId: p.clientMsgId, status: 'failed' })]);
  });

  it('keeps what was still waiting for the connection as not sent, and never sends it', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    for (let i = 0; i < 16; i++) client.send(`bericht ${i}`); // the last one waits for the frame limit
    net.last().push({ type: 'state', state: 'abandoned', reason: 'resident_gone' });
    expect(client.pending).toHaveLength(16);
    expect(client.pending.every((p) => p.status === 'failed')).toBe(true);
    vi.advanceTimersByTime(20000);
    expect(net.last().sent).toHaveLength(15);
  });

  it('takes a message stored just before the end, echoed after the state frame, as sent', () => {
    const { net, client, shown } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Dank u wel')!;
    net.last().push({ type: 'state', state: 'closed', reason: 'closed' });
    net.last().push(msg(4, 'resident', { clientMsgId: p.clientMsgId, text: 'Dank u wel' }));
    expect(client.pending).toEqual([]);
    expect(shown.map((m) => m.seq)).toEqual([4]);
  });
});

describe('typing', () => {
  it('sends typing at most once every 2 s', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    for (let i = 0; i < 30; i++) {
      client.typing();
      vi.advanceTimersByTime(100);
    }
    // 3 s of keystrokes
    const typing = net.last().sent.filter((f) => f.type === 'typing');
    expect(typing.length).toBeGreaterThanOrEqual(1);
    expect(typing.length).toBeLessThanOrEqual(2);
  });

  it('is not queued while offline', () => {
    const { net, client } = setup();
    client.connect();
    client.typing();
    net.last().open();
    expect(net.last().sent).toEqual([]);
  });
});

describe('back-off', () => {
  it('doubles the wait between failed attempts up to the maximum, and starts afresh after a good connection', () => {
    const { net, client } = setup();
    client.connect();
    const waits: number[] = [];
    for (let i = 0; i < 7; i++) {
      const before = net.sockets.length;
      net.last().drop(); // the upgrade failed
      let waited = 0;
      while (net.sockets.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10000, 10000, 10000]);

    // a connection that the server answered resets the back-off
    net.last().open();
    net.last().push({ type: 'state', state: 'queued', position: 1 });
    net.last().drop();
    vi.advanceTimersByTime(999);
    expect(net.sockets).toHaveLength(8);
    vi.advanceTimersByTime(1);
    expect(net.sockets).toHaveLength(9);
  });

  it('tries often enough in the 60 s the server keeps a waiting resident\'s place', () => {
    for (const r of [0, 0.5, 1]) {
      const { net, client } = setup({ random: () => r });
      client.connect();
      net.last().open();
      net.last().push({ type: 'state', state: 'queued', position: 4 });
      net.last().drop();
      const attemptsAt: number[] = [];
      for (let t = 100; t <= 60000; t += 100) {
        const before = net.sockets.length;
        vi.advanceTimersByTime(100);
        if (net.sockets.length > before) {
          attemptsAt.push(t);
          net.last().drop(); // still no network
        }
      }
      // the network may come back at any moment: never more than 10 s until the next try
      const gaps = attemptsAt.map((t, i) => t - (attemptsAt[i - 1] ?? 0));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(10000);
      expect(attemptsAt.filter((t) => t > 30000 && t < 58000).length).toBeGreaterThanOrEqual(2);
      client.close();
    }
  });

  it('keeps reconnecting when the question whether the conversation exists gets no answer in 10 s', async () => {
    const probe = vi.fn(() => new Promise<boolean>(() => {})); // a request stuck on a bad connection
    const { net, client, statuses } = setup({ probe });
    client.connect();
    for (let i = 0; i < 4; i++) {
      net.last().drop();
      await vi.advanceTimersByTimeAsync(10000);
    }
    expect(probe).toHaveBeenCalledOnce();
    const count = net.sockets.length;
    await vi.advanceTimersByTimeAsync(11000);
    expect(net.sockets.length).toBeGreaterThan(count);
    expect(statuses.at(-1)).not.toBe('gone');
  });

  it('jitters between half and all of the ceiling', () => {
    expect(backoffDelay(1, 1000, 30000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 30000, () => 1)).toBe(1000);
    expect(backoffDelay(4, 1000, 30000, () => 0.5)).toBe(6000);
    expect(backoffDelay(20, 1000, 30000, () => 1)).toBe(30000);
  });

  it('reconnects at once when the browser comes back online', () => {
    const { net, client } = setup();
    client.connect();
    for (let i = 0; i < 5; i++) {
      net.last().drop();
      vi.advanceTimersByTime(30000);
    }
    const count = net.sockets.length;
    net.last().drop();
    client.reconnectNow();
    expect(net.sockets).toHaveLength(count + 1);
  });

  it('gives an open socket up at once when the browser goes offline: "no connection", and what is typed waits for it', () => {
    const { net, client, statuses, pendings } = setup();
    client.connect();
    const first = net.last();
    first.open();
    first.push({ type: 'state', state: 'active', lastSeq: 0 });
    // Chromium keeps a socket OPEN when the network goes; it just carries nothing
    client.networkLost();
    expect(statuses.at(-1)).toBe('offline');
    expect(first.readyState).toBe(3);
    client.send('Getypt in de tunnel');
    expect(pendings.at(-1)?.map((p) => p.status)).toEqual(['queued']);
    expect(first.sent.filter((f) => f.type === 'message')).toHaveLength(0);
    client.reconnectNow(); // the browser's "online"
    net.last().open();
    expect(statuses.at(-1)).toBe('online');
    expect(net.last().sent.filter((f) => f.type === 'message').map((f) => f.text)).toEqual(['Getypt in de tunnel']);
  });

  it('going offline while no socket is open changes nothing', () => {
    const { net, client, statuses } = setup();
    client.connect();
    net.last().open();
    net.last().drop();
    const count = net.sockets.length;
    const said = statuses.length;
    client.networkLost();
    expect(net.sockets).toHaveLength(count);
    expect(statuses).toHaveLength(said);
  });

  it('comes back online at once even while an attempt made offline still hangs', () => {
    const { net, client, statuses } = setup();
    client.connect();
    net.last().open();
    net.last().drop();
    vi.advanceTimersByTime(5000); // the attempt made after 1 s hangs, not yet given up (connectTimeoutMs)
    const hanging = net.last();
    expect(hanging.readyState).toBe(0);
    client.reconnectNow();
    expect(net.sockets).toHaveLength(3);
    expect(hanging.readyState).toBe(3);
    net.last().open();
    expect(statuses.at(-1)).toBe('online');
  });

  it('gives up when the conversation no longer exists', async () => {
    const probe = vi.fn(async () => false);
    const { net, client, statuses } = setup({ probe });
    client.connect();
    for (let i = 0; i < 4; i++) {
      net.last().drop();
      await vi.advanceTimersByTimeAsync(30000);
    }
    expect(probe).toHaveBeenCalledOnce();
    expect(statuses.at(-1)).toBe('gone');
    const count = net.sockets.length;
    await vi.advanceTimersByTimeAsync(120000);
    expect(net.sockets).toHaveLength(count);
  });

  it('backs off a conversation open in too many windows: the refusal is no working connection', () => {
    const { net, client, statuses } = setup();
    client.connect();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      const before = net.sockets.length;
      net.last().open();
      net.last().push({ type: 'error', code: 'too_many_connections', message: 'Dit gesprek is al open in 3 vensters; sluit er een. / This conversation is already open in 3 windows; close one.' });
      net.last().drop(1008, 'too many connections to this conversation');
      let waited = 0;
      while (net.sockets.length === before) {
        vi.advanceTimersByTime(100);
        waited += 100;
      }
      waits.push(waited);
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 10000]);
    expect(statuses).not.toContain('gone');
  });

  it('gives up at once on a conversation the server does not know', () => {
    const { net, client, statuses } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'error', code: 'not_found', message: 'Onbekend gesprek. / Unknown conversation.' });
    net.last().drop(1008, 'unknown conversation');
    expect(statuses.at(-1)).toBe('gone');
    vi.advanceTimersByTime(120000);
    expect(net.sockets).toHaveLength(1);
  });

  it('does not send a message again once the conversation is gone, and no longer offers it', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    const p = client.send('Is mijn aanvraag binnen?')!;
    net.last().push({ type: 'error', code: 'internal', message: 'Er ging iets mis. / Something went wrong.', clientMsgId: p.clientMsgId });
    const q = client.send('Nog een vraag')!;
    expect(client.pending.map((x) => [x.status, x.retryable])).toEqual([['failed', true], ['sent', undefined]]);
    net.last().push({ type: 'error', code: 'not_found', message: 'Onbekend gesprek. / Unknown conversation.' });
    net.last().drop(1008, 'unknown conversation');
    expect(client.status).toBe('gone');
    // both stay on screen as not sent, to copy; neither can be sent again
    expect(client.pending.map((x) => [x.clientMsgId, x.status, x.retryable])).toEqual([
      [p.clientMsgId, 'failed', false],
      [q.clientMsgId, 'failed', false],
    ]);
    expect(client.retry(p.clientMsgId)).toBe(false);
    expect(client.pending[0].status).toBe('failed');
    vi.advanceTimersByTime(120000);
    expect(net.sockets).toHaveLength(1);
  });

  it('does not send a message again after close()', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    const p = client.send('Hallo')!;
    net.last().push({ type: 'error', code: 'internal', message: 'Er ging iets mis. / Something went wrong.', clientMsgId: p.clientMsgId });
    client.close();
    expect(client.retry(p.clientMsgId)).toBe(false);
    expect(client.pending[0].status).toBe('failed');
  });

  it.each(['Authentication expired', 'token revoked'])('gives up when the server closes with 1008 "%s"', (reason) => {
    const { net, client, statuses } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    net.last().drop(1008, reason);
    expect(statuses.at(-1)).toBe('gone');
    vi.advanceTimersByTime(120000);
    expect(net.sockets).toHaveLength(1);
  });

  it('stops for good on close()', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    client.close();
    vi.advanceTimersByTime(120000);
    expect(net.sockets).toHaveLength(1);
  });
});

describe('a socket that looks open but carries nothing', () => {
  it('is given up when a message has no echo after its timeout, and the message goes again on a new one', () => {
    const { net, client, statuses } = setup(); // random 1: the largest extra, 10 s + 10 s
    client.connect();
    const first = net.last();
    first.open();
    first.push({ type: 'state', state: 'active', agentName: 'Anne' });
    first.push(msg(1));
    const p = client.send('Hallo?')!;
    vi.advanceTimersByTime(19999);
    expect(first.readyState).toBe(1);
    vi.advanceTimersByTime(1);
    expect(first.readyState).toBe(3);
    expect(statuses.at(-1)).toBe('offline');
    expect(client.pending[0].status).toBe('queued');
    vi.advanceTimersByTime(1000);
    const second = net.last();
    expect(second).not.toBe(first);
    expect(second.url).toContain('after=1');
    second.open();
    expect(second.sent).toEqual([{ type: 'message', clientMsgId: p.clientMsgId, text: 'Hallo?' }]);
    second.push({ type: 'state', state: 'active', agentName: 'Anne' });
    second.push(msg(2, 'resident', { clientMsgId: p.clientMsgId, text: 'Hallo?' }));
    expect(client.pending).toEqual([]);
    vi.advanceTimersByTime(60000);
    expect(net.sockets).toHaveLength(2);
  });

  it.each([
    [0, 10000],
    [0.5, 15000],
    [1, 20000],
  ])('waits 10 s plus an extra of up to 10 s drawn once per client (random %s: %s ms)', (r, timeout) => {
    const { net, client } = setup({ random: () => r });
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    client.send('Hallo?');
    vi.advanceTimersByTime(timeout - 1);
    expect(net.last().readyState).toBe(1);
    vi.advanceTimersByTime(1);
    expect(net.sockets[0].readyState).toBe(3);
  });

  it('takes the echo timeout from the echoTimeoutMs option, its extra up to the same again', () => {
    const { net, client } = setup({ echoTimeoutMs: 2000 });
    client.connect();
    net.last().open();
    client.send('Hallo?');
    vi.advanceTimersByTime(3999);
    expect(net.last().readyState).toBe(1);
    vi.advanceTimersByTime(1);
    expect(net.sockets[0].readyState).toBe(3);
  });

  it('is kept when the echo comes in time, also a slow one', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    const p = client.send('Hallo')!;
    vi.advanceTimersByTime(9000);
    net.last().push(msg(1, 'resident', { clientMsgId: p.clientMsgId, text: 'Hallo' }));
    const q = client.send('Nog iets')!;
    vi.advanceTimersByTime(9000);
    net.last().push(msg(2, 'resident', { clientMsgId: q.clientMsgId, text: 'Nog iets' }));
    vi.advanceTimersByTime(60000);
    expect(net.sockets).toHaveLength(1);
  });

  it('does not hammer a server that answers every connection but never the message', () => {
    const { net, client } = setup();
    client.connect();
    client.send('Hallo?');
    const opened: number[] = [];
    for (let t = 0; t <= 120000; t += 100) {
      const s = net.last();
      if (s.readyState === 0) {
        s.open();
        s.push({ type: 'state', state: 'queued', position: 2 });
        opened.push(t);
      }
      vi.advanceTimersByTime(100);
    }
    const gaps = opened.slice(1).map((t, i) => t - opened[i]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(11000);
    // the back-off grows from one stalled connection to the next instead of starting afresh
    expect(gaps.at(-1)).toBeGreaterThanOrEqual(20000);
    expect(opened.length).toBeLessThanOrEqual(8);
  });

  it('spreads the reconnects of many residents over 10 s when a slow server echoes nothing', () => {
    // 1,000 residents send within one second; the server is stalled for longer than the echo timeout
    let seed = 42;
    const random = () => {
      // a small seeded generator (mulberry32): the same spread on every run
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const nets = Array.from({ length: 1000 }, () => fakeSockets());
    let n = 0;
    const clients = nets.map(
      (net) => new ResidentClient({ baseUrl: 'https://l.example', conversationId: 'c1', token: 't', listener: {}, socket: net.factory, random, newId: () => `m-${++n}` }),
    );
    clients.forEach((c, i) => {
      c.connect();
      nets[i].last().open();
      nets[i].last().push({ type: 'state', state: 'queued', position: i + 1 });
    });
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) {
      vi.advanceTimersByTime(1);
      clients[i].send('Hoe lang nog?');
    }
    const reconnectedAt = new Array<number>(1000).fill(-1);
    for (let t = Date.now(); t - t0 < 25000; t += 100) {
      vi.advanceTimersByTime(100);
      nets.forEach((net, i) => {
        if (reconnectedAt[i] < 0 && net.sockets.length > 1) reconnectedAt[i] = Date.now() - t0;
      });
    }
    // every one gave its stalled socket up and came back, none before its 10 s were over
    expect(reconnectedAt.every((t) => t >= 10000)).toBe(true);
    const span = Math.max(...reconnectedAt) - Math.min(...reconnectedAt);
    expect(span).toBeGreaterThanOrEqual(9000);
    // no second carries more than a small share of the wave
    const perSecond = new Map<number, number>();
    for (const t of reconnectedAt) perSecond.set(Math.floor(t / 1000), (perSecond.get(Math.floor(t / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(150);
  });

  it('after a stall episode has ended, the next drop waits the first back-off', () => {
    const { net, client } = setup();
    client.connect();
    net.last().open();
    net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    client.send('Hallo?');
    // three sockets in a row answer but never echo: the back-off grows
    for (let i = 0; i < 3; i++) {
      const before = net.sockets.length;
      while (net.sockets.length === before) vi.advanceTimersByTime(100);
      net.last().open();
      net.last().push({ type: 'state', state: 'active', agentName: 'Anne' });
    }
    // the server recovers: the first echo ends the episode (README)
    const sent = net.last().sent.find((f) => f.type === 'message')!;
    net.last().push(msg(1, 'resident', { clientMsgId: String(sent.clientMsgId), text: 'Hallo?' }));
    expect(client.pending).toEqual([]);
    // an ordinary network blip later
    vi.advanceTimersByTime(60000);
    const before = net.sockets.length;
    net.last().drop();
    let waited = 0;
    while (net.sockets.length === before) {
      vi.advanceTimersByTime(100);
      waited += 100;
    }
    expect(waited).toBe(1000);
  });
});

describe('a connect attempt that never opens', () => {
  /** Times (ms after connect()) at which a socket was made, while none ever opens. */
  function attemptsWhileNothingOpens(client: ResidentClient, net: ReturnType<typeof setup>['net'], until: number): number[] {
    const at: number[] = [0];
    client.connect();
    for (let t = 100; t <= until; t += 100) {
      const before = net.sockets.length;
      vi.advanceTimersByTime(100);
      if (net.sockets.length > before) at.push(t);
    }
    return at;
  }

  it('is given up after 10 s, counted as failed, and tried again after the back-off', () => {
    const { net, client, statuses } = setup();
    client.connect();
    const first = net.last();
    vi.advanceTimersByTime(9999);
    expect(first.readyState).toBe(0);
    expect(statuses).toEqual(['connecting']);
    vi.advanceTimersByTime(1);
    expect(first.readyState).toBe(3);
    expect(first.onopen).toBeNull();
    expect(first.onclose).toBeNull();
    expect(statuses.at(-1)).toBe('offline');
    vi.advanceTimersByTime(999);
    expect(net.sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(net.sockets).toHaveLength(2);
    net.last().open();
    expect(statuses.at(-1)).toBe('online');
  });

  it('counts as a failed connect: after four, whether the conversation still exists is asked', async () => {
    const probe = vi.fn(async () => true);
    const { net, client } = setup({ probe });
    client.connect();
    await vi.advanceTimersByTimeAsync(10000 + 1000 + 10000 + 2000 + 10000 + 4000 + 9999);
    expect(net.sockets).toHaveLength(4);
    expect(probe).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(probe).toHaveBeenCalledOnce();
  });

  it('takes the time from the connectTimeoutMs option', () => {
    const { net, client } = setup({ connectTimeoutMs: 3000 });
    client.connect();
    vi.advanceTimersByTime(2999);
    expect(net.last().readyState).toBe(0);
    vi.advanceTimersByTime(1);
    expect(net.last().readyState).toBe(3);
  });

  it('leaves a socket that opens in time alone, also one that has not said anything yet', () => {
    const { net, client, statuses } = setup();
    client.connect();
    vi.advanceTimersByTime(9000);
    net.last().open();
    vi.advanceTimersByTime(60000);
    expect(net.sockets).toHaveLength(1);
    expect(net.last().readyState).toBe(1);
    expect(statuses).toEqual(['connecting', 'online']);
  });

  it('does not time out the next attempt by the timer of one that closed first', () => {
    const { net, client } = setup();
    client.connect();
    vi.advanceTimersByTime(5000);
    net.last().drop();
    vi.advanceTimersByTime(1000);
    const second = net.last();
    expect(net.sockets).toHaveLength(2);
    vi.advanceTimersByTime(9999); // past the first attempt's 10 s
    expect(second.readyState).toBe(0);
    vi.advanceTimersByTime(1);
    expect(second.readyState).toBe(3);
  });

  it('stops timing on close()', () => {
    const { net, client, statuses } = setup();
    client.connect();
    vi.advanceTimersByTime(5000);
    client.close();
    vi.advanceTimersByTime(120000);
    expect(net.sockets).toHaveLength(1);
    expect(statuses).toEqual(['connecting']);
  });

  it('does not try faster than the back-off: each wait is the timeout plus a growing back-off', () => {
    const { net, client } = setup();
    const at = attemptsWhileNothingOpens(client, net, 120000);
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(gaps.slice(0, 6)).toEqual([11000, 12000, 14000, 18000, 20000, 20000]);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(11000);
  });
});

describe('callbacks and other events', () => {
  it('sends request_callback and hands field errors and the created id to the listener', () => {
    const { net, client, listener } = setup();
    const errors = vi.fn();
    const created = vi.fn();
    listener.callbackErrors = errors;
    listener.callbackCreated = created;
    expect(client.requestCallback({ phone: '0612345678' })).toBe(false); // not connected
    client.connect();
    net.last().open();
    expect(client.requestCallback({ phone: '0612345678', name: 'Jan', window: 'morning' })).toBe(true);
    expect(net.last().sent.at(-1)).toEqual({ type: 'request_callback', phone: '0612345678', name: 'Jan', window: 'morning' });
    net.last().push({ type: 'error', code: 'invalid_callback', message: 'x', errors: [{ field: 'phone', message: 'Ongeldig / Invalid' }] });
    expect(errors).toHaveBeenCalledWith([{ field: 'phone', message: 'Ongeldig / Invalid' }]);
    net.last().push({ type: 'callback_created', callbackId: 'cb-1' });
    expect(created).toHaveBeenCalledWith('cb-1', null, null); // an older service gives no reference, nor the request's token
    net.last().push({ type: 'callback_created', callbackId: 'cb-2', reference: '4K7M-Q2XZ', token: 'tcb' });
    expect(created).toHaveBeenLastCalledWith('cb-2', '4K7M-Q2XZ', 'tcb');
  });
});
