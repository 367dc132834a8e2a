// @vitest-environment happy-dom
// A resident who closes the tab (or whose phone drops it) and comes back soon finds their
// conversation; a second tab continues it rather than start another. On a shared computer the
// next person does not find it: the site's shared copy expires soon after the widget stops
// running, and is removed as soon as the conversation is over.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SHARED_TTL_MS } from '../src/store';
import { Widget } from '../src/widget';
import { STARTED, stubFetch, text, topic } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const KEY = 'loket.widget.v1';

let sockets: FakeSocket[] = [];
let asked: string[] = [];
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);
const starts = () => asked.filter((p) => p === '/api/v1/conversations').length;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.spyOn(Math, 'random').mockReturnValue(0);
  asked = stubFetch({
    '/api/v1/topics': { status: 200, body: [topic] },
    '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
    '/api/v1/conversations': STARTED,
  });
  sockets = recordSockets();
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

/** A tab with the municipal site: the widget mounted, as main.ts does. */
function openTab(): ShadowRoot {
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host);
  return host.shadowRoot!;
}

/** The tab is closed: its page, its sessionStorage and its timers are gone; localStorage stays. */
function closeTab(): void {
  document.body.innerHTML = '';
  sessionStorage.clear();
  const now = Date.now();
  vi.clearAllTimers(); // which also sets the fake clock back to where it started
  vi.setSystemTime(now);
}

function button(root: ShadowRoot, label: string): HTMLButtonElement | undefined {
  return [...root.querySelectorAll('button')].find((b) => text(b) === label);
}

/** The resident opens the widget, chooses the topic and starts the chat; the socket connects and says where they are. */
async function startChat(): Promise<ShadowRoot> {
  const root = openTab();
  button(root, 'Chat met de gemeente')!.click();
  await tick();
  (root.querySelector('.topic-btn') as HTMLButtonElement).click();
  await tick();
  (root.querySelector('form button[type=submit]') as HTMLButtonElement).click();
  await tick();
  expect(starts()).toBe(1);
  const socket = sockets.at(-1)!;
  socket.open();
  socket.push({ type: 'state', state: 'queued', position: 3, estimatedWaitSeconds: 600 });
  return root;
}

describe('a tab closed and opened again', () => {
  it('shows the same conversation within the expiry, without starting a new one', async () => {
    await startChat();
    closeTab();
    await tick(30_000);
    const before = sockets.length;
    const root = openTab();
    expect(sockets).toHaveLength(before + 1);
    expect(sockets.at(-1)!.url).toContain('/ws/resident/c9');
    expect(starts()).toBe(1); // no second POST
    expect(root.querySelector('.chat')).not.toBeNull();
    expect((root.querySelector('[role=dialog]') as HTMLElement).hidden).toBe(false); // open, as the resident left it
    expect(JSON.parse(sessionStorage.getItem(KEY) ?? 'null')?.id).toBe('c9'); // the new tab's own: a reload resumes it
  });

  it('counts the expiry from the last sign of life: a widget running for minutes keeps it fresh', async () => {
    await startChat();
    await tick(5 * 60_000); // the resident waits in the queue, the widget running
    closeTab();
    await tick(SHARED_TTL_MS - 10_000);
    const before = sockets.length;
    openTab();
    expect(sockets).toHaveLength(before + 1);
    expect(sockets.at(-1)!.url).toContain('/ws/resident/c9');
    expect(starts()).toBe(1);
  });

  it('does not resume after the expiry, and the stale entry is gone', async () => {
    await startChat();
    closeTab();
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')?.id).toBe('c9');
    await tick(SHARED_TTL_MS + 1000);
    const before = sockets.length;
    const root = openTab();
    expect(sockets).toHaveLength(before); // nothing resumed
    expect(root.querySelector('.chat')).toBeNull();
    expect(Object.keys(localStorage).filter((k) => k.startsWith('loket'))).toEqual([]);
  });

  it('leaves nothing behind once the conversation ended', async () => {
    const root = await startChat();
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')?.id).toBe('c9');
    sockets.at(-1)!.push({ type: 'state', state: 'closed', reason: 'closed' });
    // the end screen stays in this tab, but no other tab takes the conversation up
    expect(Object.keys(localStorage).filter((k) => k.startsWith('loket'))).toEqual([]);
    button(root, 'Nieuwe vraag')!.click();
    expect(sessionStorage.getItem(KEY)).toBeNull();
    closeTab();
    const before = sockets.length;
    openTab();
    expect(sockets).toHaveLength(before);
  });
});

describe('a second tab', () => {
  it('continues the conversation another tab started, also when it was open on the topic list already', async () => {
    const second = openTab();
    button(second, 'Chat met de gemeente')!.click();
    await tick();
    expect(second.querySelector('.topic-btn')).not.toBeNull();
    // the first tab starts a chat: the browser tells this one through a storage event
    const session = { kind: 'chat', id: 'c1', token: 't1', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true };
    localStorage.setItem(KEY, JSON.stringify(session));
    localStorage.setItem(KEY + '.seen', String(Date.now()));
    window.dispatchEvent(new StorageEvent('storage', { key: KEY, newValue: JSON.stringify(session) }));
    expect(sockets.at(-1)?.url).toContain('/ws/resident/c1');
    expect(second.querySelector('.chat')).not.toBeNull();
    expect(starts()).toBe(0);
    expect(sessionStorage.getItem(KEY)).toContain('"c1"'); // a reload of this tab keeps it too
  });

  it('does not start a second conversation from house rules it had open when another tab started one', async () => {
    const second = openTab();
    button(second, 'Chat met de gemeente')!.click();
    await tick();
    (second.querySelector('.topic-btn') as HTMLButtonElement).click();
    await tick();
    const session = { kind: 'chat', id: 'c1', token: 't1', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true };
    localStorage.setItem(KEY, JSON.stringify(session));
    localStorage.setItem(KEY + '.seen', String(Date.now()));
    (second.querySelector('form button[type=submit]') as HTMLButtonElement).click();
    await tick();
    expect(starts()).toBe(0);
    expect(sockets.at(-1)?.url).toContain('/ws/resident/c1');
    expect(second.querySelector('.chat')).not.toBeNull();
  });
});

describe('what stays in the browser after the resident left', () => {
  it('never holds the half-written message in the site\'s shared storage: only this tab keeps it', async () => {
    const root = await startChat();
    const input = root.querySelector('textarea')!;
    input.value = 'Mijn BSN staat op mijn oude paspoort';
    input.dispatchEvent(new Event('input'));
    expect(sessionStorage.getItem(KEY)).toContain('Mijn BSN staat op mijn oude paspoort'); // a reload of this tab finds it
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')?.id).toBe('c9');
    for (const k of Object.keys(localStorage)) expect(localStorage.getItem(k)).not.toContain('Mijn BSN');
  });

  it('is removed once it expired by a widget still open on the site, not left until the next page load', async () => {
    await startChat();
    closeTab();
    // the site is still open in a tab that shows the end of an earlier conversation (its own, in its sessionStorage)
    sessionStorage.setItem(KEY, JSON.stringify({ kind: 'chat', id: 'c8', token: 't8', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', ended: true }));
    openTab();
    expect(sockets.at(-1)!.url).toContain('/ws/resident/c8');
    sockets.at(-1)!.open();
    sockets.at(-1)!.push({ type: 'state', state: 'closed', reason: 'closed' });
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')?.id).toBe('c9'); // still within the expiry
    await tick(SHARED_TTL_MS + 20_000);
    expect(Object.keys(localStorage).filter((k) => k.startsWith('loket'))).toEqual([]);
  });
});

describe('"Nieuwe vraag" in a tab that showed an earlier conversation', () => {
  it('leaves the conversation another tab has open for the site\'s next tab', async () => {
    await startChat(); // tab A: c9, open
    closeTab(); // closed by mistake: a new tab within the expiry should find c9
    // meanwhile tab B shows the end of an earlier conversation of its own
    sessionStorage.setItem(KEY, JSON.stringify({ kind: 'chat', id: 'c8', token: 't8', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', ended: true, open: true }));
    const b = openTab();
    const socket = sockets.at(-1)!;
    expect(socket.url).toContain('/ws/resident/c8');
    socket.open();
    socket.push({ type: 'state', state: 'closed', reason: 'closed' });
    button(b, 'Nieuwe vraag')!.click();
    expect(JSON.parse(localStorage.getItem(KEY) ?? 'null')?.id).toBe('c9');
    closeTab(); // the resident opens the site again a moment later
    const before = sockets.length;
    openTab();
    expect(sockets).toHaveLength(before + 1);
    expect(sockets.at(-1)!.url).toContain('/ws/resident/c9');
  });
});

describe('two tabs that both have something unsent', () => {
  /** What the resident types and sends in a tab's message box. */
  function send(root: ShadowRoot, value: string): void {
    const input = root.querySelector('textarea')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    (root.querySelector('form.composer') as HTMLFormElement).requestSubmit();
  }

  it('lose neither tab\'s message: a tab opened after both were closed has both, and sends both', async () => {
    const first = await startChat();
    const second = openTab(); // a second tab of the site: it continues the same conversation
    expect(sockets.at(-1)!.url).toContain('/ws/resident/c9');
    // the train enters a tunnel: both tabs lose the connection, and the resident writes in each
    for (const s of sockets) if (s.readyState !== 3) s.drop(1006);
    await tick();
    send(first, 'Mijn paspoort is gestolen');
    send(second, 'Ik ben morgen in het buitenland');
    closeTab(); // both tabs go, before the connection came back
    const before = sockets.length;
    const root = openTab();
    expect(sockets).toHaveLength(before + 1);
    const unsent = [...root.querySelectorAll('.log .msg.pending')].map((el) => text(el));
    expect(unsent.some((t) => t.includes('Mijn paspoort is gestolen'))).toBe(true);
    expect(unsent.some((t) => t.includes('Ik ben morgen in het buitenland'))).toBe(true);
    const socket = sockets.at(-1)!;
    socket.open();
    socket.push({ type: 'state', state: 'queued', position: 3, estimatedWaitSeconds: 600 });
    expect(socket.sent.filter((f) => f.type === 'message').map((f) => f.text)).toEqual(
      expect.arrayContaining(['Mijn paspoort is gestolen', 'Ik ben morgen in het buitenland']),
    );
  });

  it('does not bring back a message one tab saw sent', async () => {
    const first = await startChat();
    openTab();
    send(first, 'Mijn paspoort is gestolen');
    const sent = sockets[0].sent.find((f) => f.type === 'message')!;
    // the server's echo reaches both tabs
    for (const s of sockets) if (s.readyState === 1) s.push({ type: 'message', seq: 1, from: 'resident', text: sent.text, sentAt: new Date().toISOString(), clientMsgId: sent.clientMsgId });
    closeTab();
    const root = openTab();
    expect(root.querySelectorAll('.log .msg.pending')).toHaveLength(0);
  });
});

describe('localStorage blocked by the browser', () => {
  it('works as before: the chat starts, and a reload in the same tab still resumes it', async () => {
    vi.spyOn(window, 'localStorage', 'get').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    await startChat();
    document.body.innerHTML = ''; // a reload: this tab's sessionStorage stays
    openTab();
    expect(sockets.at(-1)!.url).toContain('/ws/resident/c9');
    expect(starts()).toBe(1);
  });
});
