import { describe, expect, it } from 'vitest';
import { fillCanned, insertCanned, matchCanned, slashQuery } from '../src/canned';
import { dictionaries, translate } from '../src/i18n';
import { SHORTCUTS, shortcutFor } from '../src/keys';
import type { CannedReply } from '../src/protocol';
import { normaliseAgents, normaliseStats, transferCandidates } from '../src/supervision';

const replies: CannedReply[] = [
  { id: '1', title: 'Afspraak maken', text: 'U kunt online een afspraak maken, {naam}.', topics: ['paspoort-id'], locale: 'nl' },
  { id: '2', title: 'Openingstijden', text: 'Wij zijn open van 8.30 tot 17.00 uur.', topics: [], locale: 'nl' },
  { id: '3', title: 'Opening hours', text: 'We are open 8.30–17.00.', topics: [], locale: 'en' },
  { id: '4', title: 'Rijexamen', text: 'Het CBR neemt examens af.', topics: ['rijbewijs'], locale: 'nl' },
  { id: '5', title: 'Afsluiten', text: 'Kan ik u nog ergens anders mee helpen? Een afspraak is ook mogelijk.', topics: null, locale: null },
];

describe('canned replies', () => {
  it('finds the "/word" being typed at the caret', () => {
    expect(slashQuery('/afs', 4)).toEqual({ start: 0, query: 'afs' });
    expect(slashQuery('Goedemorgen /op', 15)).toEqual({ start: 12, query: 'op' });
    expect(slashQuery('en/of', 5)).toBeNull();
    expect(slashQuery('/afs en verder', 14)).toBeNull();
    expect(slashQuery('/', 1)).toEqual({ start: 0, query: '' });
  });

  it('offers replies for the topic and language, title matches first', () => {
    const titles = (q: string, topic = 'paspoort-id', locale = 'nl') => matchCanned(replies, q, topic, locale).map((r) => r.title);
    expect(titles('af')).toEqual(['Afspraak maken', 'Afsluiten']);
    expect(titles('afspraak')).toEqual(['Afspraak maken', 'Afsluiten']); // the second by its text
    expect(titles('')).not.toContain('Rijexamen');
    expect(titles('', 'rijbewijs')).toContain('Rijexamen');
    expect(titles('open', 'rijbewijs', 'en')).toEqual(['Opening hours']);
    expect(titles('ÓPEN')).toEqual(['Openingstijden']);
  });

  it('fills in the names and replaces the "/word"', () => {
    const filled = fillCanned(replies[0].text, 'Jan', 'Anne');
    expect(filled).toBe('U kunt online een afspraak maken, Jan.');
    expect(insertCanned('Hallo /afs', 10, filled, { start: 6, query: 'afs' })).toEqual({
      text: 'Hallo ' + filled,
      caret: 6 + filled.length,
    });
    expect(insertCanned('ab', 1, 'X', null)).toEqual({ text: 'aXb', caret: 2 });
  });
});

describe('shortcuts', () => {
  const key = (k: string, code: string, mods: Partial<{ altKey: boolean; ctrlKey: boolean; shiftKey: boolean; metaKey: boolean; repeat: boolean }> = {}) => ({
    key: k,
    code,
    altKey: false,
    ctrlKey: false,
    shiftKey: false,
    metaKey: false,
    ...mods,
  });

  it('maps Alt+letter to actions by the physical key', () => {
    expect(shortcutFor(key('n', 'KeyN', { altKey: true }))).toEqual({ kind: 'next' });
    expect(shortcutFor(key('˜', 'KeyN', { altKey: true }))).toEqual({ kind: 'next' });
    expect(shortcutFor(key('2', 'Digit2', { altKey: true }))).toEqual({ kind: 'conversation', index: 1 });
    expect(shortcutFor(key('PageDown', 'PageDown', { altKey: true }))).toEqual({ kind: 'cycle', delta: 1 });
    expect(shortcutFor(key('o', 'KeyO', { altKey: true }))).toEqual({ kind: 'transfer' });
    // Alt+I: reply or internal note ("ˆ" on a Mac)
    expect(shortcutFor(key('ˆ', 'KeyI', { altKey: true }))).toEqual({ kind: 'mode' });
  });

  it('lists every shortcut it knows in the overview, in both languages', () => {
    for (const s of SHORTCUTS) {
      expect(dictionaries.nl).toHaveProperty('key_' + s.action);
      expect(dictionaries.en).toHaveProperty('key_' + s.action);
    }
    expect(SHORTCUTS.map((s) => s.keys)).toContain('Alt+I');
  });

  it('acts once on a held key: Alt+N held down claims one conversation, not one per repeat', () => {
    expect(shortcutFor(key('n', 'KeyN', { altKey: true, repeat: true }))).toBeNull();
    expect(shortcutFor(key('b', 'KeyB', { altKey: true, repeat: true }))).toBeNull();
    // walking through the tabs by holding Alt+PageDown is what a held key is for
    expect(shortcutFor(key('PageDown', 'PageDown', { altKey: true, repeat: true }))).toEqual({ kind: 'cycle', delta: 1 });
  });

  it('leaves plain typing and browser combinations alone', () => {
    expect(shortcutFor(key('n', 'KeyN'))).toBeNull();
    expect(shortcutFor(key('n', 'KeyN', { altKey: true, ctrlKey: true }))).toBeNull();
    expect(shortcutFor(key('z', 'KeyZ', { altKey: true }))).toBeNull();
  });
});

describe('translations', () => {
  it('has every Dutch text in English too', () => {
    const nl = Object.keys(dictionaries.nl).sort();
    expect(Object.keys(dictionaries.en).sort()).toEqual(nl);
    for (const k of nl) expect((dictionaries.en as Record<string, string>)[k]).not.toBe('');
  });

  it('counts one thing in the singular and the rest in the plural, in both languages', () => {
    const one = (lang: 'nl' | 'en', key: Parameters<typeof translate>[1]) => translate(lang, key, { count: 1, total: 1 });
    expect(one('nl', 'ratingCount')).toBe('1 beoordeling');
    expect(one('en', 'ratingCount')).toBe('1 rating');
    expect(one('nl', 'resultCount')).toBe('1 gesprek gevonden.');
    expect(one('en', 'resultCount')).toBe('1 conversation found.');
    expect(one('nl', 'auditCount')).toBe('1 regel, nieuwste eerst.');
    expect(one('en', 'auditCount')).toBe('1 line, newest first.');
    expect(one('nl', 'erasedCallbacks')).toBe('1 terugbelverzoek verwijderd.');
    expect(one('nl', 'cannedCount')).toBe('1 standaardantwoord; pijltjes kiezen, Enter voegt in.');
    expect(translate('nl', 'ratingCount', { count: 2 })).toBe('2 beoordelingen');
    expect(translate('nl', 'ratingCount', { count: 0 })).toBe('0 beoordelingen');
    expect(translate('en', 'resultCount', { total: 12 })).toBe('12 conversations found.');
  });

  it('names the controls as outside browser tests rely on', () => {
    const nl = dictionaries.nl;
    expect([nl.username, nl.password, nl.login, nl.nextConversation, nl.replyLabel, nl.note, nl.transfer, nl.close]).toEqual([
      'Gebruikersnaam',
      'Wachtwoord',
      'Inloggen',
      'Volgende gesprek',
      'Uw bericht',
      'Notitie',
      'Overdragen',
      'Afsluiten',
    ]);
  });
});

describe('supervisor data', () => {
  it('reads agents in the likely shapes and picks colleagues to transfer to', () => {
    const agents = normaliseAgents([
      { id: 'a', displayName: 'Anne', status: 'available', topics: ['x'], openConversations: [{ id: 'c' }], maxConcurrent: 3 },
      { id: 'b', name: 'Bert', status: 'available', topics: ['x'], openConversations: 3, maxConcurrent: 3 },
      { id: 'c', username: 'carla', status: 'away', topics: [], openConversations: 0 },
      { id: 'd', name: 'Dirk', status: 'available', topics: ['x'], conversations: 0, maxConcurrent: 2 },
    ]);
    expect(agents.map((a) => [a.name, a.openConversations])).toEqual([
      ['Anne', 1],
      ['Bert', 3],
      ['carla', 0],
      ['Dirk', 0],
    ]);
    expect(transferCandidates(agents, 'a').map((a) => a.id)).toEqual(['d']);
    expect(normaliseAgents({ items: [{ id: 'z', name: 'Z', status: 'offline' }] })[0].topics).toEqual([]);
    expect(normaliseAgents('nonsense')).toEqual([]);
  });

  it('reads statistics per topic', () => {
    const stats = normaliseStats({
      topics: [{ topic: 'afval', offered: 10, answered: 8, abandoned: 1, callbacks: 1, serviceLevel: 75, wait: { median: 30, p90: 90 }, averageHandleSeconds: 240, averageRating: 4.5 }],
    });
    expect(stats[0]).toMatchObject({ topic: 'afval', offered: 10, medianWaitSeconds: 30, p90WaitSeconds: 90, averageHandleSeconds: 240, averageRating: 4.5 });
  });

  it('reads the callback requests made that day, from the topic list too', () => {
    const stats = normaliseStats({ topics: [{ topic: 'afval', offered: 0, answered: 0, abandoned: 0, callbacks: 0, callbackRequests: 3 }] });
    expect(stats[0].callbackRequests).toBe(3);
    // a server before the figure: no number, shown as "–"
    expect(normaliseStats({ topics: [{ topic: 'afval', offered: 1 }] })[0].callbackRequests).toBeUndefined();
    expect(translate('nl', 'callbackRequests')).toBe('Terugbelverzoeken ontvangen');
    expect(translate('en', 'callbackRequests')).toBe('Callback requests received');
  });

  it('reads those still waiting, so the figures of a topic add up to offered', () => {
    const [row] = normaliseStats({ topics: [{ topic: 'paspoort', offered: 13, answered: 2, abandoned: 9, callbacks: 1, waiting: 1 }] });
    expect(row.waiting).toBe(1);
    expect((row.answered ?? 0) + (row.abandoned ?? 0) + (row.callbacks ?? 0) + (row.waiting ?? 0)).toBe(row.offered);
    // a server before the figure: shown as "–"
    expect(normaliseStats({ topics: [{ topic: 'afval', offered: 1 }] })[0].waiting).toBeUndefined();
    expect(translate('nl', 'stillWaiting')).toBe('Wacht nog');
    expect(translate('en', 'stillWaiting')).toBe('Still waiting');
    // a chat an agent handed off is answered: the hint no longer says every conversation ending in a callback
    expect(translate('nl', 'callbackRequestsHint')).toContain('voordat een medewerker');
    expect(translate('en', 'callbackRequestsHint')).toContain('before an agent');
  });
});

describe('a canned reply in a conversation still loading', () => {
  it('leaves {naam} as typed while the name is not known yet, instead of "Goedemiddag ,"', () => {
    expect(fillCanned('Goedemiddag {naam}, ik ben {medewerker}.', undefined, 'Anne')).toBe('Goedemiddag {naam}, ik ben Anne.');
    expect(fillCanned('Good afternoon {name},', undefined, 'Anne')).toBe('Good afternoon {name},');
    // a resident who gave no name: nothing to fill in, as before
    expect(fillCanned('Goedemiddag {naam},', null, 'Anne')).toBe('Goedemiddag ,');
  });
});
