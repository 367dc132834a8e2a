import { describe, expect, it } from 'vitest';
import { focusAfterClaim, focusAfterLeaving } from '../src/focus';
import type { ServerFrame } from '../src/protocol';
import { type State, initialState, reduce } from '../src/state';
import { agent, conv } from './fixtures';

const frame = (f: ServerFrame) => ({ type: 'frame' as const, frame: f, now: 1 });

function holding(...ids: string[]): State {
  return reduce(initialState, frame({ type: 'hello', agent, conversations: ids.map((id) => conv(id, { messages: [] })) }));
}

/** The agent closes (transfers, hands off) `id`: the console expects its `ended`, then it comes. */
function left(s: State, id: string): State {
  const leaving = reduce(s, { type: 'leaving', id });
  return reduce(leaving, frame({ type: 'ended', conversationId: id, reason: 'closed' }));
}

describe('focus after the agent closed, transferred or handed off a conversation', () => {
  it('goes to the message box of the conversation that comes into view', () => {
    const s = left(holding('c1', 'c2'), 'c1');
    expect(s.selected).toBe('c2');
    const ids = focusAfterLeaving(s, 'c1', 'conversations', true)!;
    expect(ids[0]).toBe('reply-c2');
    // should that box not be there (or be disabled), the page still has a place to go
    expect(ids.slice(-2)).toEqual(['claim-next', 'main']);
  });

  it('goes to "Volgende gesprek", else the main region, when no conversation is left', () => {
    const s = left(holding('c1'), 'c1');
    expect(focusAfterLeaving(s, 'c1', 'conversations', true)).toEqual(['claim-next', 'main']);
  });

  it('goes to the tab of a conversation that came into view already ended: it has no message box', () => {
    let s = holding('c1', 'c2');
    s = reduce(s, frame({ type: 'ended', conversationId: 'c2', reason: 'resident_left' }));
    s = left(s, 'c1');
    expect(s.selected).toBe('c2');
    const ids = focusAfterLeaving(s, 'c1', 'conversations', true)!;
    expect(ids).not.toContain('reply-c2');
    expect(ids[0]).toBe('tab-c2');
  });

  it('waits while the conversation is still on screen (its `ended` has not come yet)', () => {
    const s = reduce(holding('c1', 'c2'), { type: 'leaving', id: 'c1' });
    expect(focusAfterLeaving(s, 'c1', 'conversations', true)).toBeNull();
  });

  it('leaves the focus where it is when it did not get lost (the dialog gave it back to its opener)', () => {
    const s = left(holding('c1', 'c2'), 'c1');
    expect(focusAfterLeaving(s, 'c1', 'conversations', false)).toBeNull();
  });

  it('goes to the main region on another view', () => {
    const s = left(holding('c1', 'c2'), 'c1');
    expect(focusAfterLeaving(s, 'c1', 'callbacks', true)).toEqual(['main']);
  });
});

describe('focus after the agent took a conversation themselves', () => {
  it('goes to its message box when the focus fell to the page (the last free slot disabled "Volgende gesprek")', () => {
    const s = holding('c1', 'c2');
    expect(focusAfterClaim(s, 'c2', 'conversations', 'lost')).toEqual(['reply-c2', 'tab-c2', 'log-c2', 'claim-next', 'main']);
  });

  it('goes to its message box from the waiting list, whose "Kies" leaves with the resident', () => {
    expect(focusAfterClaim(holding('c1'), 'c1', 'conversations', 'waiting-list')?.[0]).toBe('reply-c1');
  });

  it('stays where it is otherwise: on "Volgende gesprek" that can take another, in a reply', () => {
    expect(focusAfterClaim(holding('c1'), 'c1', 'conversations', 'kept')).toBeNull();
  });

  it('moves nowhere for a conversation that is not there, or ended already', () => {
    expect(focusAfterClaim(holding('c1'), 'c9', 'conversations', 'lost')).toBeNull();
    const s = reduce(holding('c1'), frame({ type: 'ended', conversationId: 'c1', reason: 'resident_left' }));
    expect(focusAfterClaim(s, 'c1', 'conversations', 'lost')).toBeNull();
  });
});
