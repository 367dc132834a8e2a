// @vitest-environment happy-dom
// Once a conversation has ended, nothing the browser keeps can open it again: the page that is
// open at the end keeps showing it (in memory, with the rating, the download and "Nieuwe vraag"),
// but the token, the unsent messages and the draft leave the tab's storage at once. A reload, a
// reopened closed tab, or the next person at a library computer gets a short ended state instead
// of the transcript.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { STARTED, settle, stubFetch, text, topic } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const KEY = 'loket.widget.v1';
let sockets: FakeSocket[] = [];

beforeEach(() => {
  stubFetch({
    '/api/v1/topics': { status: 200, body: [topic] },
    '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
    '/api/v1/conversations': STARTED,
  });
  sockets = recordSockets();
});

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

function mount(lang: 'nl' | 'en' = 'nl'): ShadowRoot {
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang }, host).open();
  return host.shadowRoot!;
}

/** Everything the site keeps in this browser, both storages, as one string. */
function kept(): string {
  const all: string[] = [];
  for (const st of [sessionStorage, localStorage]) for (const k of Object.keys(st)) all.push(`${k}=${st.getItem(k)}`);
  return all.join('\n');
}

const button = (root: ShadowRoot, label: string) => [...root.querySelectorAll('button')].find((b) => text(b) === label);

/** A chat started on this page, an agent's answer, and something half typed in the message box. */
async function chatting(): Promise<ShadowRoot> {
  const root = mount();
  await settle();
  (root.querySelector('.topic-btn') as HTMLButtonElement).click();
  await settle();
  (root.querySelector('form button[type=submit]') as HTMLButtonElement).click();
  await settle();
  await settle();
  const socket = sockets.at(-1)!;
  socket.open();
  socket.push({ type: 'state', state: 'active', agentName: 'Anne' });
  socket.push({ type: 'message', seq: 1, from: 'agent', text: 'Uw paspoort ligt klaar', sentAt: '2026-12-06T10:00:00Z', agentName: 'Anne' });
  const input = root.querySelector('textarea')!;
  input.value = 'Mijn BSN is';
  input.dispatchEvent(new Event('input'));
  expect(kept()).toContain('t9'); // while it runs, a reload resumes it
  return root;
}

/** The short ended state a reload shows instead of the transcript. */
function expectEndedNotice(root: ShadowRoot): void {
  expect(text(root.querySelector('h3'))).toBe('Dit gesprek is beëindigd.');
  expect(text(root.querySelector('.view'))).toContain('Voor uw privacy tonen we het hier niet meer.');
  expect(button(root, 'Nieuwe vraag')).toBeDefined();
}

/** A reload of the tab: the page goes, its sessionStorage stays. */
function reload(lang: 'nl' | 'en' = 'nl'): ShadowRoot {
  document.body.innerHTML = '';
  return mount(lang);
}

describe('a conversation that ended on the open page', () => {
  it('stays on that page with the rating, but leaves no token, message or draft in the browser', async () => {
    const root = await chatting();
    sockets.at(-1)!.push({ type: 'state', state: 'closed', reason: 'closed' });
    // the open page: the transcript, the rating, the download and "Nieuwe vraag"
    expect(text(root.querySelector('.log'))).toContain('Uw paspoort ligt klaar');
    expect(root.querySelector('.end form .score')).not.toBeNull();
    expect(button(root, 'Download het gesprek')).toBeDefined();
    expect(button(root, 'Nieuwe vraag')).toBeDefined();
    // the browser's storage: nothing that opens it, nothing of what was written
    expect(kept()).not.toContain('t9');
    expect(kept()).not.toContain('c9');
    expect(kept()).not.toContain('Mijn BSN');
  });

  it('shows a short ended state after a reload, not the transcript, and opens no connection', async () => {
    await chatting();
    sockets.at(-1)!.push({ type: 'state', state: 'closed', reason: 'closed' });
    const before = sockets.length;
    const root = reload();
    expect(sockets).toHaveLength(before);
    expect(root.querySelector('.log')).toBeNull();
    expectEndedNotice(root);
    expect((root.querySelector('[role=dialog]') as HTMLElement).hidden).toBe(false); // open, as the resident left it
    button(root, 'Nieuwe vraag')!.click();
    await settle();
    expect(root.querySelector('.topic-btn')).not.toBeNull();
    expect(kept()).toBe('');
  });

  it('says so in English in an English widget', async () => {
    await chatting();
    sockets.at(-1)!.push({ type: 'state', state: 'abandoned', reason: 'resident_left' });
    const root = reload('en');
    expect(text(root.querySelector('h3'))).toBe('This conversation has ended.');
    expect(text(root.querySelector('.view'))).toContain('For your privacy it is no longer shown here.');
    expect(button(root, 'New question')).toBeDefined();
  });

  it('keeps the callback confirmation on the page when handed off, with no transcript token left in the browser', async () => {
    const root = await chatting();
    const socket = sockets.at(-1)!;
    socket.push({ type: 'state', state: 'callback', reason: 'callback' });
    socket.push({ type: 'callback_created', callbackId: '0f8e4d2c-1b3a-4c5d-8e6f-708192a3b4c5', reference: '1Z74-T8GR', token: 'tcb' });
    expect(text(root.querySelector('h3'))).toBe('Wij bellen u terug');
    expect(button(root, 'Terugbelverzoek intrekken')).toBeDefined();
    expect(button(root, 'Download het gesprek')).toBeDefined();
    expect(kept()).not.toContain('t9');
    expect(kept()).not.toContain('Mijn BSN');
    // a reload shows the request (its own token opens only the request), without the conversation
    const again = reload();
    expect(text(again.querySelector('h3'))).toBe('Wij bellen u terug');
    expect(text(again.querySelector('.ref code'))).toBe('1Z74-T8GR');
    expect(button(again, 'Terugbelverzoek intrekken')).toBeDefined();
    expect(button(again, 'Download het gesprek')).toBeUndefined();
    expect(sockets.at(-1)).toBe(socket); // no socket for the conversation
  });
});

describe('an end learnt on reload', () => {
  it('shows the short ended state instead of the history the server replays, and forgets the token', async () => {
    // the tab kept the conversation; it ended while the tab was away
    sessionStorage.setItem(KEY, JSON.stringify({ kind: 'chat', id: 'c1', token: 't1', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true,
      pending: [{ clientMsgId: 'm1', text: 'Nog een vraag', status: 'queued' }] }));
    const root = mount();
    const socket = sockets[0];
    socket.open();
    socket.push({ type: 'state', state: 'closed', reason: 'closed' });
    socket.push({ type: 'message', seq: 1, from: 'agent', text: 'Uw paspoort ligt klaar', sentAt: '2026-12-06T10:00:00Z', agentName: 'Anne' });
    expect(text(root.querySelector('.panel') ?? root.firstElementChild)).not.toContain('Uw paspoort ligt klaar');
    expect(text(root.querySelector('.panel') ?? root.firstElementChild)).not.toContain('Nog een vraag');
    expectEndedNotice(root);
    expect(socket.readyState).toBe(3);
    expect(kept()).not.toContain('t1');
    expect(kept()).not.toContain('Nog een vraag');
  });

  it('shows the short ended state when the service no longer lets the token read it', async () => {
    sessionStorage.setItem(KEY, JSON.stringify({ kind: 'chat', id: 'c1', token: 't1', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true }));
    const root = mount();
    const socket = sockets[0];
    socket.open();
    socket.push({ type: 'error', code: 'access_ended', message: 'Dit gesprek is beëindigd en is hier niet meer te lezen. / This conversation has ended and can no longer be read here.' });
    socket.drop(1008, 'conversation ended');
    expectEndedNotice(root);
    expect(sockets).toHaveLength(1);
    expect(kept()).not.toContain('t1');
  });
});
