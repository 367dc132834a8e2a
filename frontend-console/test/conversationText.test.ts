import { describe, expect, it } from 'vitest';
import { tabPresence } from '../src/conversationText';
import { type Key, translate } from '../src/i18n';
import type { ConversationView } from '../src/protocol';
import { initialState, reduce } from '../src/state';

describe("what a conversation's tab tells a screen reader after its name", () => {
  const nl = (key: Key, params?: Record<string, string | number>) => translate('nl', key, params);
  const en = (key: Key, params?: Record<string, string | number>) => translate('en', key, params);
  const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
  const lotte: ConversationView = {
    id: 'c1', topic: 'paspoort-id', state: 'active', residentName: 'Lotte', queuedAt: 'x', assignedAt: 'x', residentOnline: true, confidential: false, messages: [],
  };

  it('says a conversation still loading (hello `later`) is loading, not that its resident is offline', () => {
    const s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte], later: ['c2'] }, now: 1 });
    const loading = s.conversations.find((c) => c.id === 'c2')!;
    expect(tabPresence(loading, nl)).toBe('wordt geladen');
    expect(tabPresence(loading, en)).toBe('loading');
    // once it came, whether its resident is there
    const came = reduce(s, { type: 'frame', frame: { type: 'assigned', conversation: { ...lotte, id: 'c2', residentOnline: false }, via: 'transfer' }, now: 2 });
    expect(tabPresence(came.conversations.find((c) => c.id === 'c2')!, nl)).toBe('offline');
    expect(tabPresence(s.conversations.find((c) => c.id === 'c1')!, nl)).toBe('online');
    expect(tabPresence(s.conversations.find((c) => c.id === 'c1')!, en)).toBe('online');
  });

  it('says an ended conversation, also one that ended while loading, is offline', () => {
    let s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte], later: ['c2'] }, now: 1 });
    s = reduce(s, { type: 'frame', frame: { type: 'ended', conversationId: 'c2', reason: 'resident_left' }, now: 2 });
    s = reduce(s, { type: 'frame', frame: { type: 'ended', conversationId: 'c1', reason: 'resident_left' }, now: 3 });
    expect(tabPresence(s.conversations.find((c) => c.id === 'c2')!, nl)).toBe('offline');
    expect(tabPresence(s.conversations.find((c) => c.id === 'c1')!, nl)).toBe('offline');
  });
});
