import { describe, expect, it } from 'vitest';
import { assignedAnnouncement, leftAnnouncement, messageAnnouncement, noAnnouncement, nextAnnouncement, sendFailedAnnouncement } from '../src/announce';
import { type Key, translate } from '../src/i18n';
import type { ConversationView, ServerFrame } from '../src/protocol';
import { initialState, reduce } from '../src/state';

describe('live announcements', () => {
  it('makes the same words twice into two announcements, so a screen reader reads both', () => {
    const first = nextAnnouncement(noAnnouncement, 'Nieuw bericht van Jan in een ander gesprek.');
    const second = nextAnnouncement(first, 'Nieuw bericht van Jan in een ander gesprek.');
    expect(second.text).toBe(first.text);
    // the live region renders each announcement as an element keyed by its id: a new id is a new node
    expect(second.id).not.toBe(first.id);
  });
});

describe('announcing a resident message', () => {
  const t = (key: Key, params?: Record<string, string | number>) => translate('nl', key, params);
  const conv = (id: string, residentName: string): ConversationView => ({
    id,
    topic: 'paspoort-id',
    state: 'active',
    residentName,
    queuedAt: '2026-11-30T09:00:48Z',
    assignedAt: '2026-11-30T09:01:05Z',
    residentOnline: true,
    confidential: false,
    messages: [],
  });
  const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
  const state = reduce(initialState, {
    type: 'frame',
    frame: { type: 'hello', agent, conversations: [conv('c1', 'Jan'), conv('c2', 'Piet')] },
    now: 1,
  });
  const message = (conversationId: string): ServerFrame => ({ type: 'message', conversationId, seq: 1, from: 'resident', text: 'Hallo?', sentAt: 'x' });

  // The transcripts are no live regions (with three side by side a message was read by its own
  // and again by the console): the console's announcement is the one voice, so it reads the words
  it('reads a message in the conversation the agent is looking at, once, with its words', () => {
    expect(state.selected).toBe('c1');
    expect(messageAnnouncement(state, message('c1'), true, 'conversations', t)).toBe('Jan: Hallo?');
  });

  it('only says who wrote while the agent is scrolled up in older messages', () => {
    const up = reduce(state, { type: 'scrolled', id: 'c1', atBottom: false });
    expect(messageAnnouncement(up, message('c1'), true, 'conversations', t)).toBe('Nieuw bericht van Jan.');
  });

  it("never reads the agent's own reply or note back; reads a system message in the conversation shown", () => {
    const own = (from: 'agent' | 'note'): ServerFrame => ({ type: 'message', conversationId: 'c1', seq: 2, from, text: 'Goedemiddag', sentAt: 'x', clientMsgId: 'a-1', agentName: 'Anne' });
    expect(messageAnnouncement(state, own('agent'), true, 'conversations', t)).toBeNull();
    expect(messageAnnouncement(state, own('note'), true, 'conversations', t)).toBeNull();
    const system: ServerFrame = { type: 'message', conversationId: 'c1', seq: 3, from: 'system', text: 'De inwoner heeft het gesprek verlaten.', sentAt: 'x' };
    expect(messageAnnouncement(state, system, true, 'conversations', t)).toBe('De inwoner heeft het gesprek verlaten.');
    expect(messageAnnouncement(state, { ...system, conversationId: 'c2' }, true, 'conversations', t)).toBeNull();
  });

  it('reads a reply or note that was refused, naming the conversation, but not a retry after `unavailable`', () => {
    let s = reduce(state, { type: 'pending', conversationId: 'c2', pending: { clientMsgId: 'a-1', kind: 'message', text: 'Hallo', queuedAt: 1 } });
    s = reduce(s, { type: 'pending', conversationId: 'c2', pending: { clientMsgId: 'n-1', kind: 'note', text: 'Let op', queuedAt: 2 } });
    const refused = (ref: string, code = 'not_assigned'): ServerFrame => ({ type: 'error', code, message: 'Dit gesprek is niet aan u toegewezen.', ref });
    expect(sendFailedAnnouncement(s, refused('a-1'), t)).toBe('Uw bericht aan Piet is niet verstuurd: Dit gesprek is niet aan u toegewezen.');
    expect(sendFailedAnnouncement(s, refused('n-1'), t)).toBe('Uw notitie bij het gesprek met Piet is niet opgeslagen: Dit gesprek is niet aan u toegewezen.');
    expect(sendFailedAnnouncement(s, refused('a-1', 'unavailable'), t)).toBeNull();
    expect(sendFailedAnnouncement(s, refused('claim-1'), t)).toBeNull();
  });

  it('announces a message in the selected conversation while the agent is on another view', () => {
    expect(messageAnnouncement(state, message('c1'), true, 'callbacks', t)).toBe('Nieuw bericht van Jan.');
    expect(messageAnnouncement(state, message('c1'), true, 'supervisor', t)).toBe('Nieuw bericht van Jan.');
  });

  it('announces a message in another conversation, whatever the view', () => {
    expect(messageAnnouncement(state, message('c2'), true, 'conversations', t)).toBe('Nieuw bericht van Piet in een ander gesprek.');
    expect(messageAnnouncement(state, message('c2'), true, 'callbacks', t)).toBe('Nieuw bericht van Piet in een ander gesprek.');
  });
});

describe('announcing a conversation that came', () => {
  const t = (key: Key, params?: Record<string, string | number>) => translate('nl', key, params);
  const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
  const conv = (id: string, residentName: string): ConversationView => ({
    id, topic: 'paspoort-id', state: 'active', residentName, queuedAt: 'x', assignedAt: 'x', residentOnline: true, confidential: false, messages: [],
  });
  const claiming = reduce(reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [] }, now: 1 }), {
    type: 'claim-sent',
    now: 2,
    target: {},
    ref: 'claim-1',
  });
  const assigned = (c: ConversationView, via?: 'claim' | 'transfer', ref?: string): Extract<ServerFrame, { type: 'assigned' }> => ({
    type: 'assigned',
    conversation: c,
    ...(via ? { via } : {}),
    ...(ref ? { ref } : {}),
  });

  it("says a colleague's transfer that crossed the agent's claim is a transfer, and the claimed one new", () => {
    expect(assignedAnnouncement(claiming, assigned(conv('c2', 'Piet'), 'transfer'), 'Paspoort', t)).toBe('Gesprek aan u overgedragen: Piet (Paspoort).');
    expect(assignedAnnouncement(claiming, assigned(conv('c3', 'Jan'), 'claim', 'claim-1'), 'Paspoort', t)).toBe('Nieuw gesprek: Jan (Paspoort).');
  });

  it("says the agent's claim in another window is hers, taken there", () => {
    expect(assignedAnnouncement(claiming, assigned(conv('c4', 'Els'), 'claim'), 'Paspoort', t)).toBe('Gesprek aangenomen in een ander venster: Els (Paspoort).');
    const en = (key: Key, params?: Record<string, string | number>) => translate('en', key, params);
    expect(assignedAnnouncement(claiming, assigned(conv('c4', 'Els'), 'claim'), 'Passport', en)).toBe('Conversation taken in another window: Els (Passport).');
  });

  it('says what an older server sent without via by what the claim asked for', () => {
    const one = reduce(claiming, { type: 'claim-sent', now: 3, target: { conversationId: 'c3' }, ref: 'claim-2' });
    expect(assignedAnnouncement(one, assigned(conv('c2', 'Piet')), 'Paspoort', t)).toBe('Gesprek aan u overgedragen: Piet (Paspoort).');
    expect(assignedAnnouncement(one, assigned(conv('c3', 'Jan')), 'Paspoort', t)).toBe('Nieuw gesprek: Jan (Paspoort).');
  });
});

describe('announcing a conversation that was coming later (hello `later`) as it arrives', () => {
  const nl = (key: Key, params?: Record<string, string | number>) => translate('nl', key, params);
  const en = (key: Key, params?: Record<string, string | number>) => translate('en', key, params);
  const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };
  const els: ConversationView = {
    id: 'c9', topic: 'paspoort-id', state: 'active', residentName: 'Els', queuedAt: 'x', assignedAt: 'x', residentOnline: true, confidential: false, messages: [],
  };
  // after a reload: known by its id alone until its assigned
  const reloaded = reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [], later: ['c9'] }, now: 1 });
  // after a reconnect: shown as it was, loading
  const reconnected = reduce(reduce(reduce(initialState, { type: 'frame', frame: { type: 'hello', agent, conversations: [els] }, now: 1 }), { type: 'connection', state: 'reconnecting' }), {
    type: 'frame',
    frame: { type: 'hello', agent, conversations: [], later: ['c9'] },
    now: 2,
  });

  it('says it loaded, not that it was taken elsewhere or transferred: it was the agent\'s all along', () => {
    for (const before of [reloaded, reconnected]) {
      expect(before.conversations.find((c) => c.id === 'c9')?.loading).toBe(true);
      expect(assignedAnnouncement(before, { type: 'assigned', conversation: els, via: 'transfer' }, 'Paspoort', nl)).toBe('Gesprek geladen: Els (Paspoort).');
      expect(assignedAnnouncement(before, { type: 'assigned', conversation: els, via: 'claim' }, 'Paspoort', nl)).toBe('Gesprek geladen: Els (Paspoort).');
      expect(assignedAnnouncement(before, { type: 'assigned', conversation: els }, 'Paspoort', nl)).toBe('Gesprek geladen: Els (Paspoort).');
    }
    expect(assignedAnnouncement(reloaded, { type: 'assigned', conversation: els, via: 'claim' }, 'Passport', en)).toBe('Conversation loaded: Els (Passport).');
  });

  it('says a new transfer of a conversation that ended while loading is a transfer again', () => {
    const ended = reduce(reloaded, { type: 'frame', frame: { type: 'ended', conversationId: 'c9', reason: 'resident_left' }, now: 3 });
    expect(assignedAnnouncement(ended, { type: 'assigned', conversation: els, via: 'transfer' }, 'Paspoort', nl)).toBe('Gesprek aan u overgedragen: Els (Paspoort).');
  });
});

describe('announcing that the agent closed, transferred or handed off a conversation', () => {
  const nl = (key: Key, params?: Record<string, string | number>) => translate('nl', key, params);
  const en = (key: Key, params?: Record<string, string | number>) => translate('en', key, params);

  it('says the conversation was closed', () => {
    expect(leftAnnouncement('close', nl)).toBe('Gesprek gesloten.');
    expect(leftAnnouncement('close', en)).toBe('Conversation closed.');
  });

  it('says to whom the conversation was transferred', () => {
    expect(leftAnnouncement('transfer', nl, 'Burgerzaken')).toBe('Gesprek overgedragen aan Burgerzaken.');
    expect(leftAnnouncement('transfer', en, 'Burgerzaken')).toBe('Conversation transferred to Burgerzaken.');
  });

  it('says a callback request was made and the conversation closed', () => {
    expect(leftAnnouncement('callback', nl)).toBe('Terugbelverzoek aangemaakt; het gesprek is gesloten.');
    expect(leftAnnouncement('callback', en)).toBe('Callback request created; the conversation is closed.');
  });
});
