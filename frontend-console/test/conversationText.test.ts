import { describe, expect, it } from 'vitest';
import { conversationTitle, knownResidentName, presenceOf, residentLabel, tabPresence } from '../src/conversationText';
import { fillCanned } from '../src/canned';
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

describe("what a conversation's presence mark shows", () => {
  const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
  const lotte: ConversationView = {
    id: 'c1', topic: 'paspoort-id', state: 'active', residentName: 'Lotte', queuedAt: 'x', assignedAt: 'x', residentOnline: true, confidential: false, messages: [],
  };
  const of = (s: ReturnType<typeof reduce>, id: string) => presenceOf(s.conversations.find((c) => c.id === id)!);

  it('shows not known yet while a conversation loads, after a reload and after a reconnect that knew it online, until its data says', () => {
    // after a reload: known by its id alone (it was marked offline)
    let s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte], later: ['c2'] }, now: 1 });
    expect(of(s, 'c2')).toBe('unknown');
    expect(of(s, 'c1')).toBe('online');
    s = reduce(s, { type: 'frame', frame: { type: 'assigned', conversation: { ...lotte, id: 'c2', residentOnline: false }, via: 'transfer' }, now: 2 });
    expect(of(s, 'c2')).toBe('offline');
    // a reconnect whose hello cannot read c1 now: what the page knew of its resident may be old
    s = reduce(s, { type: 'frame', frame: { type: 'hello', agent, conversations: [{ ...lotte, id: 'c2', residentOnline: false }], later: ['c1'] }, now: 3 });
    expect(of(s, 'c1')).toBe('unknown');
    s = reduce(s, { type: 'frame', frame: { type: 'assigned', conversation: { ...lotte, residentOnline: true }, via: 'transfer' }, now: 4 });
    expect(of(s, 'c1')).toBe('online');
  });

  it("shows a presence frame that comes while it loads, and forgets it when a reconnect's hello names it again", () => {
    let s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte], later: ['c2'] }, now: 1 });
    s = reduce(s, { type: 'frame', frame: { type: 'presence', conversationId: 'c2', residentOnline: true }, now: 2 });
    expect(of(s, 'c2')).toBe('online');
    s = reduce(s, { type: 'frame', frame: { type: 'presence', conversationId: 'c2', residentOnline: false }, now: 3 });
    expect(of(s, 'c2')).toBe('offline');
    // the next reconnect still cannot read it: what the frame said may be old now
    s = reduce(s, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte], later: ['c2'] }, now: 4 });
    expect(of(s, 'c2')).toBe('unknown');
  });

  it('shows an ended conversation offline, also one that ended while it loaded', () => {
    let s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte], later: ['c2'] }, now: 1 });
    s = reduce(s, { type: 'frame', frame: { type: 'ended', conversationId: 'c2', reason: 'resident_left' }, now: 2 });
    s = reduce(s, { type: 'frame', frame: { type: 'ended', conversationId: 'c1', reason: 'resident_left' }, now: 3 });
    expect(of(s, 'c2')).toBe('offline');
    expect(of(s, 'c1')).toBe('offline');
  });
});

describe('how a conversation known by its id alone is named', () => {
  const nl = (key: Key, params?: Record<string, string | number>) => translate('nl', key, params);
  const en = (key: Key, params?: Record<string, string | number>) => translate('en', key, params);
  const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
  const lotte: ConversationView = {
    id: 'c1', topic: 'paspoort-id', state: 'active', residentName: 'Lotte', queuedAt: 'x', assignedAt: 'x', residentOnline: true, confidential: false, messages: [],
  };

  it('calls one that ended before it loaded "not loaded", not a conversation with a resident who gave no name', () => {
    // after a reload the hello names c2 and c3 in `later`: the page knows them by their ids alone
    let s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte], later: ['c2', 'c3'] }, now: 1 });
    const loading = s.conversations.find((c) => c.id === 'c2')!;
    expect(residentLabel(loading, nl)).toBe('Gesprek wordt geladen');
    expect(conversationTitle(loading, nl)).toBe('Gesprek wordt geladen');
    s = reduce(s, { type: 'frame', frame: { type: 'ended', conversationId: 'c2', reason: 'timeout' }, now: 2 });
    // or a following hello no longer names it
    s = reduce(s, { type: 'frame', frame: { type: 'hello', agent, conversations: [lotte] }, now: 3 });
    for (const id of ['c2', 'c3']) {
      const gone = s.conversations.find((c) => c.id === id)!;
      expect(gone.ended).toBeTruthy();
      expect(residentLabel(gone, nl)).toBe('Gesprek (niet geladen)');
      expect(conversationTitle(gone, nl)).toBe('Gesprek (niet geladen)');
      expect(conversationTitle(gone, en)).toBe('Conversation (not loaded)');
    }
    // one the page had read keeps its resident's name, or "Inwoner" if they gave none
    s = reduce(s, { type: 'frame', frame: { type: 'ended', conversationId: 'c1', reason: 'resident_left' }, now: 4 });
    expect(conversationTitle(s.conversations.find((c) => c.id === 'c1')!, nl)).toBe('Gesprek met Lotte');
    const anonymous = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [{ ...lotte, residentName: null }] }, now: 1 });
    expect(conversationTitle(anonymous.conversations[0], nl)).toBe('Gesprek met Inwoner');
  });

  it('names one that came after all by its resident again', () => {
    let s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [], later: ['c2'] }, now: 1 });
    s = reduce(s, { type: 'frame', frame: { type: 'assigned', conversation: { ...lotte, id: 'c2' }, via: 'transfer' }, now: 2 });
    s = reduce(s, { type: 'frame', frame: { type: 'ended', conversationId: 'c2', reason: 'timeout' }, now: 3 });
    expect(conversationTitle(s.conversations[0], nl)).toBe('Gesprek met Lotte');
  });
});

describe("the resident's name in a canned reply", () => {
  const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
  const lotte: ConversationView = {
    id: 'c1', topic: 'paspoort-id', state: 'active', residentName: 'Lotte', queuedAt: 'x', assignedAt: 'x', residentOnline: true, confidential: false, messages: [],
  };

  it('is left as {naam} in one still loading after a reload, and filled in once it came', () => {
    let s = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [{ ...lotte, residentName: null }], later: ['c2'] }, now: 1 });
    const fill = (id: string) => fillCanned('Goedemiddag {naam},', knownResidentName(s.conversations.find((c) => c.id === id)!), 'Anne');
    expect(fill('c2')).toBe('Goedemiddag {naam},');
    expect(fill('c1')).toBe('Goedemiddag ,');
    s = reduce(s, { type: 'frame', frame: { type: 'assigned', conversation: { ...lotte, id: 'c2' }, via: 'transfer' }, now: 2 });
    expect(fill('c2')).toBe('Goedemiddag Lotte,');
  });
});
