import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ServerFrame } from '../src/protocol';
import { type Action, type State, awaitsLoad, initialState, reduce } from '../src/state';
import { Waiters, storedIds } from '../src/waiters';
import { conv } from './fixtures';

const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
const frame = (f: ServerFrame, now = 1000): Action => ({ type: 'frame', frame: f, now });

describe('waiting for the answer to a close or transfer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('does not report a failure while the conversation is loading (a reconnect named it in later): its ended comes after the read', async () => {
    let s: State = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1'), conv('c2')] }));
    const waiters = new Waiters(() => ({ message: 'Geen verbinding' }), (id) => awaitsLoad(s, id));
    // the close dialog of c2 is open when the connection drops; the reconnect's hello names c2 in `later`
    s = reduce(s, { type: 'connection', state: 'reconnecting' });
    s = reduce(s, frame({ type: 'hello', agent, conversations: [conv('c1')], later: ['c2'] }, 2000));
    s = reduce(s, { type: 'leaving', id: 'c2' });
    const outcome = { value: 'waiting' };
    waiters.wait('leave:c2', 10_000, 'c2').then(() => (outcome.value = 'closed'), (e) => (outcome.value = 'failed: ' + e.message));
    // the server retries its read, 0.5 s doubling to 30 s: its answer may take that long
    await vi.advanceTimersByTimeAsync(25_000);
    expect(outcome.value).toBe('waiting');
    // the read succeeds: the close went through, and its ended comes
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'closed' }, 30_000));
    expect(waiters.settle('leave:c2')).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(outcome.value).toBe('closed');
  });

  it('still reports a close of a conversation not loading that got no answer in 10 s', async () => {
    const s: State = reduce(initialState, frame({ type: 'hello', agent, conversations: [conv('c1')] }));
    const waiters = new Waiters(() => ({ message: 'Geen verbinding' }), (id) => awaitsLoad(s, id));
    const outcome = { value: 'waiting' };
    waiters.wait('leave:c1', 10_000, 'c1').then(() => (outcome.value = 'closed'), (e) => (outcome.value = 'failed: ' + e.message));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(outcome.value).toBe('failed: Geen verbinding');
  });
});

describe('the answer to a note sent to a conversation still loading', () => {
  it('is the assigned that brings it: its clientMsgId among the messages', () => {
    const note = { seq: 3, from: 'note' as const, text: 'Overdracht: zie aanvraag', sentAt: 'x', clientMsgId: 'n-1', agentName: 'Anne' };
    const c2 = conv('c2', { messages: [...conv('c2').messages, note] });
    expect(storedIds({ type: 'assigned', conversation: c2, via: 'claim' })).toEqual(['m-1', 'n-1']);
    expect(storedIds({ type: 'message', conversationId: 'c2', ...note })).toEqual(['n-1']);
    expect(storedIds({ type: 'ended', conversationId: 'c2', reason: 'closed' })).toEqual([]);
  });
});
