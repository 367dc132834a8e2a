import { describe, expect, it } from 'vitest';
import type { ServerFrame } from '../src/protocol';
import {
  type Action,
  type State,
  CLAIM_ANSWER_MS,
  claimInFlight,
  initialState,
  keptDrafts,
  longestWaitNow,
  mergeMessages,
  panelActions,
  reduce,
  residentTyping,
  servesTopic,
  toRemember,
  totalUnread,
  typingMayGoOut,
  typingStoppedFrame,
  unreadCount,
  unsent,
  waitingSince,
} from '../src/state';
import { conv } from './fixtures';

// with a second topic, unlike the shared fixtures' agent
const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id', 'rijbewijs'], maxConcurrent: 3, status: 'available' };

function frame(f: ServerFrame, now = 1000, extra: Partial<Extract<Action, { type: 'frame' }>> = {}): Action {
  return { type: 'frame', frame: f, now, ...extra };
}

function run(...actions: Action[]): State {
  return actions.reduce(reduce, initialState);
}

describe('hello', () => {
  it('restores every conversation the agent holds and selects the first', () => {
    const s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    expect(s.agent?.name).toBe('Anne');
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(s.selected).toBe('c1');
    expect(s.helloAt).toBe(1000);
  });

  it('keeps the selection, read markers and unsent messages across a reconnect', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'select', id: 'c2' });
    s = reduce(s, { type: 'pending', conversationId: 'c2', pending: { clientMsgId: 'a-1', kind: 'message', text: 'Hallo', queuedAt: 5 } });
    s = reduce(s, { type: 'pending', conversationId: 'c2', pending: { clientMsgId: 'a-2', kind: 'note', text: 'Let op', queuedAt: 6 } });
    s = reduce(s, { type: 'connection', state: 'reconnecting' });
    // a-1 reached the server before the drop: it is in the hello; a-2 did not
    const c2 = conv('c2', {
      messages: [...conv('c2').messages, { seq: 2, from: 'agent', text: 'Hallo', sentAt: 'x', clientMsgId: 'a-1', agentName: 'Anne' }],
    });
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1'), c2] }, 2000));
    expect(s.selected).toBe('c2');
    const restored = s.conversations.find((c) => c.id === 'c2')!;
    expect(restored.pending.map((p) => p.clientMsgId)).toEqual(['a-2']);
    expect(unsent(s)).toEqual([{ conversationId: 'c2', pending: expect.objectContaining({ clientMsgId: 'a-2', kind: 'note' }) }]);
  });

  it('keeps a conversation missing from a new hello as ended, with its transcript, unsent reply and draft', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'select', id: 'c2' });
    s = reduce(s, { type: 'pending', conversationId: 'c2', pending: { clientMsgId: 'a-1', kind: 'message', text: 'Uw paspoort is klaar', queuedAt: 5 } });
    s = reduce(s, { type: 'connection', state: 'reconnecting' });
    // past the agent grace period the server gave c2 back to the queue: the reconnect's hello lacks it
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')] }, 2000));
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(s.selected).toBe('c2');
    const lost = s.conversations.find((c) => c.id === 'c2')!;
    expect(lost.ended).toBe('unassigned_offline');
    expect(lost.messages.map((m) => m.text)).toEqual(['Mijn paspoort is verlopen']);
    expect(lost.pending.map((p) => p.text)).toEqual(['Uw paspoort is klaar']);
    // shown, never sent: the conversation is no longer the agent's
    expect(unsent(s)).toEqual([]);
    expect(keptDrafts({ c1: 'a', c2: 'nog niet af', c9: 'oud' }, s)).toEqual({ c1: 'a', c2: 'nog niet af' });
    s = reduce(s, { type: 'dismiss', id: 'c2' });
    expect(keptDrafts({ c1: 'a', c2: 'nog niet af' }, s)).toEqual({ c1: 'a' });
  });

  it('keeps a conversation the hello names as coming later as held, and takes its assigned as that conversation', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'select', id: 'c1' });
    s = reduce(s, { type: 'pending', conversationId: 'c2', pending: { clientMsgId: 'a-1', kind: 'message', text: 'Uw paspoort is klaar', queuedAt: 5 } });
    s = reduce(s, { type: 'connection', state: 'reconnecting' });
    // the server could not read c2 for the reconnect's hello: still the agent's, it comes later
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }, 2000));
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    const waiting = s.conversations.find((c) => c.id === 'c2')!;
    expect(waiting.ended).toBeUndefined();
    expect(waiting.pending.map((p) => p.text)).toEqual(['Uw paspoort is klaar']);
    expect(unsent(s).map((u) => u.pending.clientMsgId)).toEqual(['a-1']);

    const later = { seq: 2, from: 'resident' as const, text: 'Hallo?', sentAt: '2026-11-30T09:02:00Z', clientMsgId: 'm-2' };
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2', { messages: [...conv('c2').messages, later] }), via: 'claim' }, 3000));
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(s.selected).toBe('c1');
    const c2 = s.conversations.find((c) => c.id === 'c2')!;
    expect(c2.ended).toBeUndefined();
    expect(c2.messages.map((m) => m.seq)).toEqual([1, 2]);
    expect(c2.pending.map((p) => p.text)).toEqual(['Uw paspoort is klaar']);
  });

  it('keeps over a reload a conversation the hello names as coming later: shown as loading, its draft, unsent reply and note mode kept until it arrives', () => {
    const reply = { clientMsgId: 'a-1', kind: 'message' as const, text: 'Uw paspoort is klaar', queuedAt: 5 };
    // a reloaded page: nothing on screen yet, what the last page kept handed to the first hello
    let s = reduce(
      initialState,
      frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }, 1000, { pending: { c2: [reply] }, modes: { c2: 'note' }, seen: { c2: 1 } }),
    );
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    const coming = s.conversations.find((c) => c.id === 'c2')!;
    expect(coming.loading).toBe(true);
    expect(coming.ended).toBeUndefined();
    expect(coming.pending).toEqual([reply]);
    expect(coming.mode).toBe('note');
    // the draft stays (the console drops those of conversations not on screen), and so does the reply, for the next reload too
    expect(keptDrafts({ c1: 'a', c2: 'nog niet af', c9: 'oud' }, s)).toEqual({ c1: 'a', c2: 'nog niet af' });
    expect(toRemember(s)).toEqual({ seen: { c1: 1, c2: 1 }, pending: { c2: [reply] }, modes: { c2: 'note' } });
    // it goes out again after the hello, as any unsent reply: the server stores it as usual
    expect(unsent(s).map((u) => u.pending.clientMsgId)).toEqual(['a-1']);
    // until it arrives the server refuses the agent's typing in it: none goes out
    s = reduce(s, { type: 'mode', id: 'c2', mode: 'reply' });
    expect(typingMayGoOut(s, 'c2', 'Een moment', 11)).toBe(false);

    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2'), via: 'claim' }, 3000));
    const arrived = s.conversations.find((c) => c.id === 'c2')!;
    expect(arrived.loading).toBeUndefined();
    expect(arrived.residentName).toBe('Jan');
    expect(arrived.pending).toEqual([reply]);
    expect(s.selected).toBe('c1');
    expect(keptDrafts({ c1: 'a', c2: 'nog niet af' }, s)).toEqual({ c1: 'a', c2: 'nog niet af' });
    expect(typingMayGoOut(s, 'c2', 'Een moment', 11)).toBe(true);
  });

  it('keeps the draft of a conversation coming later that ends before it arrives, as for any ended conversation, until dismissed', () => {
    const reply = { clientMsgId: 'a-1', kind: 'message' as const, text: 'Uw paspoort is klaar', queuedAt: 5 };
    let s = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }, 1000, { pending: { c2: [reply] } }));
    // it left the agent meanwhile: the server says `ended` instead of `assigned`
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'timeout' }, 2000));
    const ended = s.conversations.find((c) => c.id === 'c2')!;
    expect(ended.ended).toBe('timeout');
    expect(ended.loading).toBeUndefined();
    expect(ended.pending).toEqual([reply]);
    expect(unsent(s)).toEqual([]);
    expect(toRemember(s)?.pending).toEqual({});
    expect(keptDrafts({ c2: 'nog niet af' }, s)).toEqual({ c2: 'nog niet af' });
    s = reduce(s, { type: 'dismiss', id: 'c2' });
    expect(keptDrafts({ c2: 'nog niet af' }, s)).toEqual({});
  });

  it('takes a conversation coming later that the next hello no longer names for lost, its draft kept until dismissed', () => {
    let s = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }));
    s = reduce(s, { type: 'connection', state: 'reconnecting' });
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')] }, 2000));
    expect(s.conversations.find((c) => c.id === 'c2')?.ended).toBe('unassigned_offline');
    expect(keptDrafts({ c2: 'nog niet af' }, s)).toEqual({ c2: 'nog niet af' });
    // named later again by a following hello, it waits again; listed, it is there
    s = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }));
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }, 2000));
    expect(s.conversations.find((c) => c.id === 'c2')?.loading).toBe(true);
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }, 3000));
    expect(s.conversations.find((c) => c.id === 'c2')?.loading).toBeUndefined();
    expect(s.conversations.find((c) => c.id === 'c2')?.residentName).toBe('Jan');
  });

  it('sends no typing in a conversation coming later on a reconnect until it arrives: the server refuses it', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }, 2000));
    expect(s.conversations.find((c) => c.id === 'c2')?.loading).toBe(true);
    expect(typingMayGoOut(s, 'c2', 'Een moment', 11)).toBe(false);
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2'), via: 'claim' }, 3000));
    expect(typingMayGoOut(s, 'c2', 'Een moment', 11)).toBe(true);
  });

  it('is never sent when a later hello lists the conversation again', () => {
    const old = { clientMsgId: 'a-1', kind: 'message' as const, text: 'Oud antwoord', queuedAt: 5 };
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    s = reduce(s, { type: 'pending', conversationId: 'c1', pending: old });
    // the connection drops past the grace period: the next hello lacks c1, kept as ended with the reply
    s = reduce(s, frame({ type: 'hello', agent, conversations: [] }, 2000));
    expect(s.conversations[0].ended).toBe('unassigned_offline');
    expect(unsent(s)).toEqual([]);
    // on screen to copy, but not kept for a reload: the page hands what it keeps to every hello
    const kept = toRemember(s)!;
    expect(s.conversations[0].pending).toEqual([old]);
    expect(kept.pending).toEqual({});
    // later the agent holds c1 again (claimed in another tab, transferred back): it starts afresh
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')] }, 3000, { pending: kept.pending }));
    expect(s.conversations[0].ended).toBeUndefined();
    expect(s.conversations[0].pending).toEqual([]);
    // the console sends unsent(after) right after every hello
    expect(unsent(s)).toEqual([]);
  });

  it('drops silently what the agent was closing when the hello no longer lists it', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'leaving', id: 'c2' });
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')] }, 2000));
    expect(s.conversations.map((c) => c.id)).toEqual(['c1']);
  });

  it('reads seen markers kept over a page reload', () => {
    const c1 = conv('c1', {
      messages: [
        { seq: 1, from: 'resident', text: 'a', sentAt: 'x' },
        { seq: 2, from: 'resident', text: 'b', sentAt: 'x' },
        { seq: 3, from: 'resident', text: 'c', sentAt: 'x' },
      ],
    });
    const s = reduce(initialState, frame({ type: 'hello', agent, conversations: [c1] }, 1, { seen: { c1: 2 }, visible: false }));
    expect(s.conversations).toHaveLength(1);
    expect(unreadCount(s.conversations[0])).toBe(1);
  });
});

describe('what a page reload keeps', () => {
  const reply = { clientMsgId: 'a-1', kind: 'message' as const, text: 'Uw paspoort is klaar', queuedAt: 5 };
  const stored = { clientMsgId: 'a-2', kind: 'message' as const, text: 'Goedemorgen', queuedAt: 4 };

  it('remembers nothing before the first hello, so a reload does not wipe what the last page kept', () => {
    expect(toRemember(reduce(initialState, { type: 'connection', state: 'connecting' }))).toBeNull();
  });

  it('remembers unsent replies and read markers, and forgets a reply once it is stored or its conversation removed', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    s = reduce(s, { type: 'pending', conversationId: 'c2', pending: reply });
    expect(toRemember(s)).toEqual({ seen: { c1: 1, c2: 0 }, pending: { c2: [reply] }, modes: {} });
    const acknowledged = reduce(s, frame({ type: 'message', conversationId: 'c2', seq: 2, from: 'agent', text: reply.text, sentAt: 'x', clientMsgId: 'a-1' }));
    expect(toRemember(acknowledged)?.pending).toEqual({});
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'resident_left' }));
    // still on screen to copy, but not kept for a reload: it must never go out
    expect(s.conversations.find((c) => c.id === 'c2')?.pending).toEqual([reply]);
    expect(toRemember(s)?.pending).toEqual({});
    s = reduce(s, { type: 'dismiss', id: 'c2' });
    expect(toRemember(s)?.pending).toEqual({});
  });

  it('takes unsent replies back after a reload, to go out again with their own clientMsgId', () => {
    const c2 = conv('c2', {
      messages: [...conv('c2').messages, { seq: 2, from: 'agent', text: 'Goedemorgen', sentAt: 'x', clientMsgId: 'a-2', agentName: 'Anne' }],
    });
    // the reply a-2 reached the server before the reload; a-1 did not
    const s = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1'), c2] }, 1, { pending: { c2: [stored, reply] } }));
    expect(s.conversations[1].pending).toEqual([reply]);
    expect(unsent(s)).toEqual([{ conversationId: 'c2', pending: reply }]);
  });
});

describe('messages', () => {
  const start = () => run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));

  it('stores each seq once, in order, whatever order or how often they arrive', () => {
    let s = start();
    const m = (seq: number) => frame({ type: 'message', conversationId: 'c1', seq, from: 'resident', text: 't' + seq, sentAt: 'x' });
    s = [m(3), m(2), m(3), m(2)].reduce(reduce, s);
    expect(s.conversations[0].messages.map((x) => x.seq)).toEqual([1, 2, 3]);
  });

  it('accepts a gap in seq (a note the resident side never sees) without waiting for it', () => {
    expect(mergeMessages([{ seq: 1, from: 'resident', text: 'a', sentAt: 'x' }], [{ seq: 3, from: 'agent', text: 'c', sentAt: 'x' }]).map((m) => m.seq)).toEqual([1, 3]);
  });

  it('counts unread resident messages only in conversations not being looked at', () => {
    let s = start();
    s = reduce(s, frame({ type: 'message', conversationId: 'c2', seq: 2, from: 'resident', text: 'hallo?', sentAt: 'x' }));
    s = reduce(s, frame({ type: 'message', conversationId: 'c2', seq: 3, from: 'agent', text: 'ja', sentAt: 'x' }));
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'resident', text: 'nog iets', sentAt: 'x' }));
    expect(unreadCount(s.conversations[1])).toBe(2); // seq 1 and 2 from the resident, never opened
    expect(unreadCount(s.conversations[0])).toBe(0);
    s = reduce(s, { type: 'select', id: 'c2' });
    expect(totalUnread(s)).toBe(0);
  });

  it('does not mark a message read while the page is hidden', () => {
    let s = start();
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'resident', text: 'x', sentAt: 'x' }, 1, { visible: false }));
    expect(unreadCount(s.conversations[0])).toBe(1);
    s = reduce(s, { type: 'seen', id: 'c1' });
    expect(unreadCount(s.conversations[0])).toBe(0);
  });

  it('settles a pending message when its clientMsgId comes back, and marks it failed on an error with that ref', () => {
    let s = start();
    s = reduce(s, { type: 'pending', conversationId: 'c1', pending: { clientMsgId: 'a-9', kind: 'message', text: 'x', queuedAt: 1 } });
    s = reduce(s, { type: 'pending', conversationId: 'c1', pending: { clientMsgId: 'a-10', kind: 'message', text: 'y', queuedAt: 2 } });
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'agent', text: 'x', sentAt: 'x', clientMsgId: 'a-9' }));
    s = reduce(s, frame({ type: 'error', code: 'invalid_message', message: 'Te lang', ref: 'a-10' }, 1, { quiet: true }));
    const c = s.conversations[0];
    expect(c.pending).toEqual([expect.objectContaining({ clientMsgId: 'a-10', error: 'Te lang' })]);
    expect(s.notices).toHaveLength(0);
    expect(unsent(s)).toHaveLength(0);
  });

  it('keeps a reply the chat could not store just now (unavailable) as being sent again, not failed, with no notice per try', () => {
    const unavailable = (ref: string) =>
      frame({
        type: 'error',
        code: 'unavailable',
        message: 'De chat is even niet bereikbaar; uw bericht wordt zo vanzelf opnieuw verstuurd. / The chat is briefly unavailable; your message will be sent again shortly.',
        ref,
      });
    let s = start();
    s = reduce(s, { type: 'pending', conversationId: 'c1', pending: { clientMsgId: 'a-11', kind: 'message', text: 'Een ogenblik', queuedAt: 1 } });
    s = reduce(s, { type: 'pending', conversationId: 'c1', pending: { clientMsgId: 'n-12', kind: 'note', text: 'klant wacht', queuedAt: 2 } });
    s = [unavailable('a-11'), unavailable('n-12'), unavailable('a-11')].reduce(reduce, s);
    expect(s.conversations[0].pending).toEqual([
      expect.objectContaining({ clientMsgId: 'a-11', retries: 2 }),
      expect.objectContaining({ clientMsgId: 'n-12', retries: 1 }),
    ]);
    expect(s.conversations[0].pending.map((p) => p.error)).toEqual([undefined, undefined]);
    expect(s.notices).toEqual([]);
    // a reconnect's hello sends both again, as anything not yet stored
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    expect(unsent(s).map((u) => u.pending.clientMsgId)).toEqual(['a-11', 'n-12']);
    // another failure is a failure again, shown as such
    s = reduce(s, frame({ type: 'error', code: 'internal', message: 'Er ging iets mis', ref: 'n-12' }, 1, { quiet: true }));
    expect(s.conversations[0].pending[1]).toEqual(expect.not.objectContaining({ retries: expect.anything() }));
    expect(s.conversations[0].pending[1].error).toBe('Er ging iets mis');
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'agent', text: 'Een ogenblik', sentAt: 'x', clientMsgId: 'a-11' }));
    expect(s.conversations[0].pending.map((p) => p.clientMsgId)).toEqual(['n-12']);
  });

  it('says so when an action other than a reply fails while the chat is unavailable', () => {
    let s = start();
    s = reduce(s, frame({ type: 'error', code: 'unavailable', message: 'De chat is even niet bereikbaar; probeer het over een paar seconden opnieuw.', ref: 'leave:c1' }));
    expect(s.notices.map((n) => n.text)).toEqual(['De chat is even niet bereikbaar; probeer het over een paar seconden opnieuw.']);
  });

  it('keeps notes apart from messages by their sender', () => {
    let s = start();
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'note', text: 'klant is boos', sentAt: 'x', agentName: 'Anne' }));
    expect(s.conversations[0].messages[1]).toEqual({ seq: 2, from: 'note', text: 'klant is boos', sentAt: 'x', agentName: 'Anne' });
  });
});

describe('read markers while another view shows', () => {
  const start = () => run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
  const resident = (seq: number, view: 'conversations' | 'callbacks' | 'supervisor') =>
    frame({ type: 'message', conversationId: 'c1', seq, from: 'resident', text: 'Bent u er nog?', sentAt: 'x' }, 1, { visible: true, view });

  it('leaves a new message in the selected conversation unread while the agent is on Terugbelverzoeken', () => {
    let s = start();
    expect(s.selected).toBe('c1');
    s = reduce(s, resident(2, 'callbacks'));
    // the badge on "Gesprekken" and the "(n)" in the tab title count it
    expect(unreadCount(s.conversations[0])).toBe(1);
    expect(totalUnread(s)).toBe(1);
  });

  it('reads the selected conversation when the agent comes back to the conversations view, not before', () => {
    let s = reduce(start(), resident(2, 'supervisor'));
    s = reduce(s, { type: 'sight', visible: true, view: 'callbacks' });
    expect(totalUnread(s)).toBe(1);
    s = reduce(s, { type: 'sight', visible: false, view: 'conversations' });
    expect(totalUnread(s)).toBe(1);
    s = reduce(s, { type: 'sight', visible: true, view: 'conversations' });
    expect(totalUnread(s)).toBe(0);
  });

  it('marks nothing read on a hello, an assignment or a closed conversation while another view shows', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }, 1, { view: 'callbacks' }));
    expect(unreadCount(s.conversations[0])).toBe(1);
    s = reduce(s, { type: 'claim-sent', now: 1 });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2') }, 2, { view: 'callbacks' }));
    expect(s.selected).toBe('c2');
    expect(unreadCount(s.conversations[1])).toBe(1);
    s = reduce(s, { type: 'leaving', id: 'c2' });
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'closed' }, 3, { view: 'callbacks' }));
    expect(s.selected).toBe('c1');
    expect(totalUnread(s)).toBe(1);
  });
});

describe('scrolled up', () => {
  const resident = (seq: number, conversationId = 'c1'): Action =>
    frame({ type: 'message', conversationId, seq, from: 'resident', text: 'Nog iets', sentAt: 'x' });
  const start = () => run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));

  it('counts a new message in the selected conversation unread while the agent reads older ones, read once back at the bottom', () => {
    let s = reduce(start(), { type: 'scrolled', id: 'c1', atBottom: false });
    s = reduce(s, resident(2));
    expect(unreadCount(s.conversations[0])).toBe(1);
    // away and back (tab mode rebuilds the panel where she left it, scrolled up): still unread
    s = reduce(s, { type: 'select', id: 'c2' });
    s = reduce(s, { type: 'select', id: 'c1' });
    s = reduce(s, { type: 'sight', visible: true, view: 'conversations' });
    expect(unreadCount(s.conversations[0])).toBe(1);
    s = reduce(s, { type: 'scrolled', id: 'c1', atBottom: true });
    expect(unreadCount(s.conversations[0])).toBe(0);
    // at the bottom, read as it comes, as before
    s = reduce(s, resident(3));
    expect(unreadCount(s.conversations[0])).toBe(0);
  });

  it('reads nothing when another conversation reaches its bottom, and forgets one that leaves', () => {
    let s = reduce(start(), { type: 'scrolled', id: 'c2', atBottom: false });
    s = reduce(s, resident(2, 'c2'));
    s = reduce(s, { type: 'scrolled', id: 'c2', atBottom: true });
    // c2 is not the one shown: its first message and the new one stay unread
    expect(unreadCount(s.conversations[1])).toBe(2);
    s = reduce(s, { type: 'scrolled', id: 'c2', atBottom: false });
    expect(s.scrolledUp).toEqual(['c2']);
    s = reduce(s, { type: 'leaving', id: 'c2' });
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'closed' }));
    expect(s.scrolledUp).toEqual([]);
  });
});

describe('typing and presence', () => {
  it('shows the resident typing for a few seconds, and stops when their message arrives', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    s = reduce(s, frame({ type: 'typing', conversationId: 'c1', from: 'resident' }, 10_000));
    expect(residentTyping(s.conversations[0], 12_000)).toBe(true);
    expect(residentTyping(s.conversations[0], 16_000)).toBe(false);
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'resident', text: 'x', sentAt: 'x' }, 11_000));
    expect(residentTyping(s.conversations[0], 11_001)).toBe(false);
  });

  it('follows the resident going offline and online', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    s = reduce(s, frame({ type: 'presence', conversationId: 'c1', residentOnline: false }));
    expect(s.conversations[0].residentOnline).toBe(false);
  });
});

describe('claims and endings', () => {
  it('switches to a conversation this console claimed, not to one that merely arrives', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2'), via: 'transfer' }));
    expect(s.selected).toBe('c1'); // a colleague's transfer: no jump
    s = reduce(s, { type: 'claim-sent', now: 5, ref: 'claim-1' });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c3'), via: 'claim', ref: 'claim-1' }));
    expect(s.selected).toBe('c3');
    expect(s.claimPendingSince).toBeNull();
    expect(s.claimRef).toBeNull();
  });

  // a colleague's transfer that reached the agent while her claim of "the next" was on its way was
  // taken for its answer, selected over her work, and the claimed one then came unselected
  it('matches its claim by the ref the server returns: a transfer crossing a claim of the next is shown, not selected', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'connection', state: 'open' });
    s = reduce(s, { type: 'claim-sent', now: 5, target: {}, ref: 'claim-1' });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2'), via: 'transfer' }, 6));
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(s.selected).toBe('c1');
    expect(claimInFlight(s, 7)).toBe(true);
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c3'), via: 'claim', ref: 'claim-1' }, 8));
    expect(s.selected).toBe('c3');
    expect(claimInFlight(s, 9)).toBe(false);
  });

  // the agent's claim in a second tab or window reached this one as well, and showed as a transfer
  it("lists the agent's claim from another window beside her work; this console's own claim stays pending", () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'connection', state: 'open' });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2'), via: 'claim' }, 6));
    expect(s.conversations.map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(s.selected).toBe('c1');
    s = reduce(s, { type: 'claim-sent', now: 7, target: { topic: 'paspoort-id' }, ref: 'claim-2' });
    // another window's claim of the same topic, with a ref of its own that this socket never gets
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c3'), via: 'claim' }, 8));
    expect(s.selected).toBe('c1');
    expect(claimInFlight(s, 9)).toBe(true);
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c4'), via: 'claim', ref: 'claim-2' }, 10));
    expect(s.selected).toBe('c4');
    expect(claimInFlight(s, 11)).toBe(false);
  });

  it('takes no ref of another claim for the answer to its own', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'claim-sent', now: 5, ref: 'claim-2' });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2'), via: 'claim', ref: 'claim-1' }));
    expect(s.selected).toBe('c1');
    expect(s.claimPendingSince).toBe(5);
  });

  // an older server node (a rolling upgrade) sends neither via nor ref: what the claim asked for decides
  it('without via, matches a claim for one conversation by its id and one of a topic by its topic', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'claim-sent', now: 5, target: { conversationId: 'c3' }, ref: 'claim-1' });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2') }, 6));
    expect(s.selected).toBe('c1');
    expect(claimInFlight(s, 7)).toBe(true);
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c3') }, 8));
    expect(s.selected).toBe('c3');
    expect(claimInFlight(s, 9)).toBe(false);

    s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'claim-sent', now: 5, target: { topic: 'rijbewijs' }, ref: 'claim-1' });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2') }));
    expect(s.selected).toBe('c1');
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c3', { topic: 'rijbewijs' }) }));
    expect(s.selected).toBe('c3');

    // no claim on its way: whatever comes is shown beside the agent's work
    s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2') }));
    expect(s.selected).toBe('c1');
  });

  it('ends a claim attempt on nothing_waiting and shows it', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [] }), { type: 'claim-sent', now: 5 });
    s = reduce(s, frame({ type: 'error', code: 'nothing_waiting', message: 'Er wacht niemand' }));
    expect(s.claimPendingSince).toBeNull();
    expect(s.notices.map((n) => n.text)).toEqual(['Er wacht niemand']);
  });

  it('ends a claim attempt on every refusal of that claim, so a later transfer from a colleague does not jump', () => {
    for (const code of ['topic_not_allowed', 'not_found', 'already_claimed', 'at_capacity', 'agent_unavailable', 'nothing_waiting']) {
      let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'claim-sent', now: 5 });
      s = reduce(s, frame({ type: 'error', code, message: 'Nee / No', ref: 'claim-0a1b' }));
      expect(s.claimPendingSince, code).toBeNull();
      s = reduce(s, frame({ type: 'assigned', conversation: conv('c2') }));
      expect(s.selected, code).toBe('c1');
    }
  });

  it("takes a claim's refusal off the screen once the agent's next claim succeeds; other notices stay", () => {
    let s = run(frame({ type: 'hello', agent, conversations: [] }), { type: 'claim-sent', now: 5 });
    s = reduce(s, frame({ type: 'error', code: 'already_claimed', message: 'Dit gesprek is al aangenomen.', ref: 'claim-0a1b' }));
    s = reduce(s, frame({ type: 'error', code: 'bad_request', message: 'Iets anders', ref: 'x-1' }));
    expect(s.notices.map((n) => n.text)).toEqual(['Dit gesprek is al aangenomen.', 'Iets anders']);
    // a colleague's transfer is no claim of the agent's: the refusal stays
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c2') }));
    expect(s.notices.map((n) => n.text)).toEqual(['Dit gesprek is al aangenomen.', 'Iets anders']);
    s = reduce(s, { type: 'claim-sent', now: 9 });
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c1') }));
    expect(s.notices.map((n) => n.text)).toEqual(['Iets anders']);
  });

  it('keeps a claim pending when the error answers something else', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'leaving', id: 'c1' }, { type: 'claim-sent', now: 5 });
    s = reduce(s, frame({ type: 'error', code: 'agent_unavailable', message: 'Niet beschikbaar', ref: 'leave:c1' }));
    expect(s.claimPendingSince).toBe(5);
  });

  it("offers a topic's claim button only for the topics the agent serves (a team lead sees every board)", () => {
    const s = run(frame({ type: 'hello', agent, conversations: [] }));
    expect(servesTopic(s, 'rijbewijs')).toBe(true);
    expect(servesTopic(s, 'afval')).toBe(false);
    expect(servesTopic(initialState, 'rijbewijs')).toBe(false);
  });

  it('lets no second claim go out while one is unanswered, and no longer than the answer may take', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [] }), { type: 'connection', state: 'open' });
    expect(claimInFlight(s, 1000)).toBe(false);
    s = reduce(s, { type: 'claim-sent', now: 1000 });
    expect(claimInFlight(s, 1000 + 300)).toBe(true); // a double click
    expect(claimInFlight(s, 1000 + CLAIM_ANSWER_MS + 1)).toBe(false); // a lost answer blocks no longer
    s = reduce(s, frame({ type: 'error', code: 'nothing_waiting', message: 'Er wacht niemand', ref: 'claim-1' }));
    expect(claimInFlight(s, 1000 + 400)).toBe(false);
  });

  it('removes a conversation this console closed or transferred', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    s = reduce(s, { type: 'leaving', id: 'c1' });
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'transferred' }));
    expect(s.conversations.map((c) => c.id)).toEqual(['c2']);
    expect(s.selected).toBe('c2');
    expect(s.leaving).toEqual([]);
  });

  it('keeps a conversation the resident left on screen until dismissed, also over a reconnect', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    s = reduce(s, { type: 'pending', conversationId: 'c1', pending: { clientMsgId: 'a-1', kind: 'message', text: 'Bent u er nog?', queuedAt: 5 } });
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'resident_left' }));
    expect(s.conversations[0].ended).toBe('resident_left');
    // the reply that did not make it stays readable, and is not sent again
    expect(s.conversations[0].pending.map((p) => p.text)).toEqual(['Bent u er nog?']);
    expect(unsent(s)).toEqual([]);
    s = reduce(s, frame({ type: 'hello', agent, conversations: [] }));
    expect(s.conversations[0].ended).toBe('resident_left');
    s = reduce(s, { type: 'dismiss', id: 'c1' });
    expect(s.conversations).toEqual([]);
    expect(s.selected).toBeNull();
  });

  it('counts as read what comes into view when the conversation shown goes away', () => {
    // c2's first message is unread while the agent works in c1
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'leaving', id: 'c1' });
    expect(unreadCount(s.conversations[1])).toBe(1);
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'closed' }));
    expect(s.selected).toBe('c2');
    expect(totalUnread(s)).toBe(0);

    s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'resident_left' }));
    s = reduce(s, { type: 'dismiss', id: 'c1' });
    expect(s.selected).toBe('c2');
    expect(totalUnread(s)).toBe(0);
  });

  it('leaves unread what comes into view while the page is hidden', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'leaving', id: 'c1' });
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'closed' }, 1, { visible: false }));
    expect(s.selected).toBe('c2');
    expect(totalUnread(s)).toBe(1);
  });

  it('lets a refused transfer be tried again', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }), { type: 'leaving', id: 'c1' });
    s = reduce(s, frame({ type: 'error', code: 'agent_unavailable', message: 'Niet beschikbaar', ref: 'leave:c1' }));
    expect(s.leaving).toEqual([]);
    expect(s.conversations).toHaveLength(1);
  });

  it('keeps a conversation the agent closed on screen when the resident wrote while it was closing', () => {
    // the agent confirmed Afsluiten in c1 (shown, page visible); the resident's question crosses the close
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'leaving', id: 'c1' });
    const late = { type: 'message', conversationId: 'c1', seq: 2, from: 'resident', text: 'Wacht, nog één vraag!', sentAt: 'x' } as const;
    s = reduce(s, frame(late));
    // it flashes by for a moment at most: not read yet
    expect(unreadCount(s.conversations[0])).toBe(1);
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'closed' }));
    const c1 = s.conversations.find((c) => c.id === 'c1');
    expect(c1?.ended).toBe('closed');
    expect(c1?.lateWords).toBe(true);
    expect(c1?.messages.map((m) => m.text)).toContain('Wacht, nog één vraag!');
    expect(s.leaving).toEqual([]);
    // in the title until the agent has seen it and dismissed it
    expect(s.selected).toBe('c1');
    s = reduce(s, { type: 'seen', id: 'c1' });
    s = reduce(s, { type: 'dismiss', id: 'c1' });
    expect(s.conversations.map((c) => c.id)).toEqual(['c2']);
  });

  it('lets a transferred conversation go even when the resident wrote meanwhile: the colleague has her words', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }), { type: 'leaving', id: 'c1' });
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'resident', text: 'Hallo?', sentAt: 'x' }));
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'transferred' }));
    expect(s.conversations.map((c) => c.id)).toEqual(['c2']);
  });
});

describe('queues and callbacks', () => {
  it('keeps the board and counts the longest wait on between pushes', () => {
    const board = { id: 'paspoort-id', waiting: 2, longestWaitSeconds: 30, estimatedWaitSeconds: 120, agentsAvailable: 1, callbacksOpen: 4 };
    const s = run(frame({ type: 'queues', topics: [board] }, 10_000));
    expect(s.callbacksOpen['paspoort-id']).toBe(4);
    expect(longestWaitNow(s.boards[0], s.boardsAt, 25_500)).toBe(45);
    expect(longestWaitNow({ ...board, waiting: 0 }, s.boardsAt, 25_500)).toBe(0);
  });

  it("dates a transferred resident's wait on the waiting list from the transfer, not from their kept place", () => {
    const transferred = { id: 'c1', topic: 'rijbewijs', residentName: 'Jan', queuedAt: '2026-11-30T08:00:00Z', waitingSince: '2026-11-30T09:01:00Z', firstMessage: null };
    expect(waitingSince(transferred)).toBe('2026-11-30T09:01:00Z');
    // a server before waitingSince: queuedAt as before
    expect(waitingSince({ ...transferred, waitingSince: undefined })).toBe('2026-11-30T08:00:00Z');
  });

  it('bumps the callback version on every callbacks event so the list reads again', () => {
    let s = run(frame({ type: 'callbacks', topics: [{ id: 'rijbewijs', open: 2 }] }));
    s = reduce(s, frame({ type: 'callbacks', topics: [{ id: 'rijbewijs', open: 3 }] }));
    expect(s.callbacksVersion).toBe(2);
    expect(s.callbacksOpen).toEqual({ rijbewijs: 3 });
  });
});

describe('the composer: reply or internal note', () => {
  const mode = (s: State, id: string) => s.conversations.find((c) => c.id === id)?.mode;

  it('starts every conversation as a reply, and keeps a note mode per conversation while the agent switches', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    expect([mode(s, 'c1'), mode(s, 'c2')]).toEqual(['reply', 'reply']);
    s = reduce(s, { type: 'mode', id: 'c1', mode: 'note' });
    expect([mode(s, 'c1'), mode(s, 'c2')]).toEqual(['note', 'reply']);
    s = reduce(s, { type: 'select', id: 'c2' });
    s = reduce(s, { type: 'select', id: 'c1' });
    expect(mode(s, 'c1')).toBe('note');
    // a note being saved, and the resident writing meanwhile, leave it a note: agents often write two
    s = reduce(s, { type: 'pending', conversationId: 'c1', pending: { clientMsgId: 'n-1', kind: 'note', text: 'Let op', queuedAt: 5 } });
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 2, from: 'note', text: 'Let op', sentAt: 'x', clientMsgId: 'n-1' }));
    s = reduce(s, frame({ type: 'message', conversationId: 'c1', seq: 3, from: 'resident', text: 'Hallo?', sentAt: 'x' }));
    expect(mode(s, 'c1')).toBe('note');
    s = reduce(s, { type: 'mode', id: 'c1', mode: 'reply' });
    expect(mode(s, 'c1')).toBe('reply');
  });

  it('lets a typing frame go out only for a reply being written, never for a note', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    expect(typingMayGoOut(s, 'c1', 'Goedemorgen', 11)).toBe(true);
    s = reduce(s, { type: 'mode', id: 'c1', mode: 'note' });
    expect(typingMayGoOut(s, 'c1', 'Klant belde eerder al', 21)).toBe(false);
    // the other conversation is still a reply
    expect(typingMayGoOut(s, 'c2', 'Goedemorgen', 11)).toBe(true);
    // nothing typed yet, or a "/word" looking for a canned reply: not typing to the resident
    expect(typingMayGoOut(s, 'c2', '   ', 3)).toBe(false);
    expect(typingMayGoOut(s, 'c2', '/afspr', 6)).toBe(false);
    // a conversation that ended, or one this console does not hold
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'resident_left' }));
    expect(typingMayGoOut(s, 'c2', 'Goedemorgen', 11)).toBe(false);
    expect(typingMayGoOut(s, 'c9', 'Goedemorgen', 11)).toBe(false);
  });

  it('goes back to reply when the conversation ends, and starts as a reply when it comes back', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    s = reduce(s, { type: 'mode', id: 'c1', mode: 'note' });
    s = reduce(s, { type: 'mode', id: 'c2', mode: 'note' });
    s = reduce(s, frame({ type: 'ended', conversationId: 'c1', reason: 'resident_left' }));
    expect(mode(s, 'c1')).toBe('reply');
    // claimed again (transferred back): fresh
    s = reduce(s, frame({ type: 'assigned', conversation: conv('c1') }));
    expect(mode(s, 'c1')).toBe('reply');
    // lost while the connection was down, then listed again by a later hello: fresh as well
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')] }, 2000));
    expect(mode(s, 'c2')).toBe('reply');
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }, 3000));
    expect(mode(s, 'c2')).toBe('reply');
  });

  it('keeps the note mode over a reconnect and a reload, so a kept note draft is never sent by Enter', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    s = reduce(s, { type: 'mode', id: 'c2', mode: 'note' });
    s = reduce(s, { type: 'connection', state: 'reconnecting' });
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }, 2000));
    expect(mode(s, 'c2')).toBe('note');
    const kept = toRemember(s)!;
    expect(kept.modes).toEqual({ c2: 'note' });
    // a reload: a fresh state, handed what the page kept
    const reloaded = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }, 3000, { modes: kept.modes }));
    expect([mode(reloaded, 'c1'), mode(reloaded, 'c2')]).toEqual(['reply', 'note']);
    expect(typingMayGoOut(reloaded, 'c2', 'Half', 4)).toBe(false);
    // an ended conversation's mode is not kept
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'timeout' }));
    expect(toRemember(s)!.modes).toEqual({});
  });
});

describe('typing_stopped', () => {
  // during a rolling upgrade the console may talk to a node from before typing_stopped, which
  // answers bad_request; or the conversation has just gone to a colleague (not_assigned). The
  // resident's "… typt" runs out by itself within 5 s: nothing for the agent to see or do.
  it('a refusal of the typing_stopped the console sends puts no error in front of the agent', () => {
    const sent = typingStoppedFrame('c1');
    expect(sent).toMatchObject({ type: 'typing_stopped', conversationId: 'c1' });
    for (const code of ['bad_request', 'not_assigned']) {
      let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
      s = reduce(s, frame({ type: 'error', code, message: 'Onbekend of ongeldig bericht.', ref: sent.ref }));
      expect(s.notices).toEqual([]);
    }
  });

  it('another refusal is still shown', () => {
    let s = run(frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    s = reduce(s, frame({ type: 'error', code: 'bad_request', message: 'Onbekend of ongeldig bericht.' }));
    expect(s.notices.map((n) => n.text)).toEqual(['Onbekend of ongeldig bericht.']);
  });
});

describe("a conversation's own buttons", () => {
  it('lets the agent close or transfer a conversation still loading (hello `later`), also one known by its id alone; a callback waits for it', () => {
    // a reload: c2 is known by its id alone, and the server may retry its read for a long time
    const s = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }));
    const loading = s.conversations.find((c) => c.id === 'c2')!;
    expect(panelActions(loading, false, true)).toEqual({ transfer: true, callback: false, close: true });
    // not while its close is on its way, nor offline
    expect(panelActions(loading, true, true)).toEqual({ transfer: false, callback: false, close: false });
    expect(panelActions(loading, false, false)).toEqual({ transfer: false, callback: false, close: false });
    const held = s.conversations.find((c) => c.id === 'c1')!;
    expect(panelActions(held, false, true)).toEqual({ transfer: true, callback: true, close: true });
    const ended = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'timeout' }, 2000)).conversations.find((c) => c.id === 'c2')!;
    expect(panelActions(ended, false, true)).toEqual({ transfer: false, callback: false, close: false });
  });
});
