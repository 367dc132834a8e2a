// @vitest-environment happy-dom
// A resident on a phone with a bad connection: the network changes under a socket that still says
// it is open (no close ever comes), the tab is hidden for a while and shown again, the phone says it
// went offline. What the resident then sees must be current, and what they type must wait honestly.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { stubFetch, text } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

let all: FakeSocket[] = [];
/**
 * Each test's conversation has an id of its own: the widgets of earlier tests still listen to the
 * window and the document, and open their sockets into the newest test's list too.
 */
let id = 'c0';
/** This test's widget's sockets, oldest first. */
const mine = () => all.filter((s) => s.url.includes(`/ws/resident/${id}?`));
let visibility: DocumentVisibilityState = 'visible';

/** The widget on a page whose tab holds a queued conversation, connected, third in the queue. */
async function queuedThird(): Promise<ShadowRoot> {
  id = 'c' + (Number(id.slice(1)) + 1);
  sessionStorage.setItem('loket.widget.v1', JSON.stringify({ kind: 'chat', id, token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true }));
  all = recordSockets();
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host);
  const socket = mine().at(-1)!;
  socket.open();
  socket.push({ type: 'state', state: 'queued', position: 3, estimatedWaitSeconds: 600 });
  socket.push({ type: 'message', seq: 1, from: 'resident', text: 'Mijn paspoort is verlopen', sentAt: new Date().toISOString(), clientMsgId: 'm-0' });
  await vi.advanceTimersByTimeAsync(0);
  return host.shadowRoot!;
}

function setVisibility(v: DocumentVisibilityState): void {
  visibility = v;
  document.dispatchEvent(new Event('visibilitychange'));
}

const header = (root: ShadowRoot) => text(root.querySelector('.conn'));
const statusLine = (root: ShadowRoot) => text(root.querySelector('.chat .queue'));
const log = (root: ShadowRoot) => [...root.querySelectorAll('.log .msg .text')].map((e) => text(e));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.spyOn(Math, 'random').mockReturnValue(0);
  visibility = 'visible';
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => visibility });
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => visibility === 'hidden' });
  stubFetch({});
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

describe('a socket that died without a word', () => {
  it('is replaced when the phone says it is online again (another network): the queue position is current', async () => {
    const root = await queuedThird();
    expect(statusLine(root)).toContain('U bent nummer 3 in de wachtrij.');
    const dead = mine().at(-1)!;
    // the phone moved from Wi-Fi to 4G: the old connection is gone, but no close ever reaches the page
    window.dispatchEvent(new Event('online'));
    expect(mine().length).toBe(2);
    const fresh = mine().at(-1)!;
    expect(fresh.url).toBe(`wss://loket.example/ws/resident/${id}?after=1`);
    expect(dead.readyState).toBe(3);
    fresh.open();
    fresh.push({ type: 'state', state: 'queued', position: 1, estimatedWaitSeconds: 60 });
    expect(statusLine(root)).toContain('U bent de volgende in de wachtrij.');
    expect(header(root)).toBe('Verbonden');
    expect(log(root)).toEqual(['Mijn paspoort is verlopen']);
  });

  it('is replaced when the tab comes back after half a minute or more hidden, and what was missed shows once', async () => {
    const root = await queuedThird();
    setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(45000); // the resident looked something up in another app
    setVisibility('visible');
    expect(mine().length).toBe(2);
    const fresh = mine().at(-1)!;
    expect(fresh.url).toBe(`wss://loket.example/ws/resident/${id}?after=1`);
    fresh.open();
    fresh.push({ type: 'state', state: 'active', agentName: 'Anne' });
    fresh.push({ type: 'message', seq: 2, from: 'agent', text: 'Goedemiddag, waarmee kan ik helpen?', sentAt: new Date().toISOString(), agentName: 'Anne' });
    // the old socket's late frames, should it still deliver, are not shown twice
    mine()[0].push({ type: 'message', seq: 2, from: 'agent', text: 'Goedemiddag, waarmee kan ik helpen?', sentAt: new Date().toISOString(), agentName: 'Anne' });
    expect(text(root.querySelector('.chat'))).toContain('Anne');
    expect(log(root)).toEqual(['Mijn paspoort is verlopen', 'Goedemiddag, waarmee kan ik helpen?']);
  });

  it('is left alone when the tab was hidden only briefly: switching tabs does not reconnect every time', async () => {
    await queuedThird();
    for (let i = 0; i < 5; i++) {
      setVisibility('hidden');
      await vi.advanceTimersByTimeAsync(3000);
      setVisibility('visible');
    }
    expect(mine().length).toBe(1);
  });

  it('is replaced when a frozen page resumes after a while (the phone suspended it)', async () => {
    await queuedThird();
    document.dispatchEvent(new Event('freeze'));
    await vi.advanceTimersByTimeAsync(60000);
    document.dispatchEvent(new Event('resume'));
    expect(mine().length).toBe(2);
    expect(mine().at(-1)!.url).toBe(`wss://loket.example/ws/resident/${id}?after=1`);
  });

  it('sends what was on the wire without an echo again on the new socket, once, in order', async () => {
    const root = await queuedThird();
    const input = root.querySelector('textarea') as HTMLTextAreaElement;
    const form = root.querySelector('.chat form') as HTMLFormElement;
    for (const t of ['Eerste', 'Tweede']) {
      input.value = t;
      form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
    expect(mine()[0].sent.filter((f) => f.type === 'message').map((f) => f.text)).toEqual(['Eerste', 'Tweede']);
    window.dispatchEvent(new Event('online'));
    const fresh = mine().at(-1)!;
    expect(fresh).not.toBe(mine()[0]);
    fresh.open();
    const resent = fresh.sent.filter((f) => f.type === 'message');
    expect(resent.map((f) => f.text)).toEqual(['Eerste', 'Tweede']);
    expect(resent.map((f) => f.clientMsgId)).toEqual(mine()[0].sent.filter((f) => f.type === 'message').map((f) => f.clientMsgId));
  });
});

describe('the phone says it is offline', () => {
  it('says so at once, and a message typed then waits for the connection instead of going into the dead socket', async () => {
    const root = await queuedThird();
    window.dispatchEvent(new Event('offline'));
    expect(header(root)).toBe('Geen verbinding');
    const input = root.querySelector('textarea') as HTMLTextAreaElement;
    input.value = 'Getypt in de lift';
    (root.querySelector('.chat form') as HTMLFormElement).dispatchEvent(new Event('submit', { cancelable: true }));
    expect(mine()[0].sent.filter((f) => f.type === 'message')).toEqual([]);
    expect(text(root.querySelector('.log .msg.pending .note'))).toBe('wacht op verbinding');
    // back: sent once on the new connection, and the header says so
    window.dispatchEvent(new Event('online'));
    const fresh = mine().at(-1)!;
    expect(fresh).not.toBe(mine()[0]);
    fresh.open();
    expect(fresh.sent.filter((f) => f.type === 'message').map((f) => f.text)).toEqual(['Getypt in de lift']);
    expect(header(root)).toBe('Verbonden');
  });
});

describe('a callback request on a link that never answers', () => {
  it('from the topic list: after half a minute without an answer the form says so and keeps what was typed, not "wordt verstuurd" for ever', async () => {
    const topic = {
      id: 'paspoort-id', name: 'Paspoort en ID-kaart', open: true, nextOpenAt: null, queueLength: 2, estimatedWaitSeconds: 600,
      callbackOffered: true, callbackReason: 'no_agents', notice: null, digitalAlternatives: [],
    };
    const asked: string[] = [];
    // the request went out on a link that died: no answer, no error, until the page gives up on it
    vi.stubGlobal('fetch', vi.fn((url: string, init?: RequestInit) => {
      const path = new URL(url).pathname;
      asked.push(path);
      if (path === '/api/v1/topics') return Promise.resolve(new Response(JSON.stringify([topic]), { status: 200 }));
      if (path === '/api/v1/settings') return Promise.resolve(new Response(JSON.stringify({ retentionDays: 28 }), { status: 200 }));
      return new Promise((_, fail) => init?.signal?.addEventListener('abort', () => fail(new DOMException('aborted', 'AbortError'))));
    }));
    const host = document.createElement('div');
    document.body.append(host);
    new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host).open();
    const root = host.shadowRoot!;
    await vi.advanceTimersByTimeAsync(0);
    (root.querySelector('.topic-btn') as HTMLButtonElement).click();
    await vi.advanceTimersByTimeAsync(0);
    const form = root.querySelector('form.callback') as HTMLFormElement;
    (form.querySelector('input[type=tel]') as HTMLInputElement).value = '06 12345678';
    (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await vi.advanceTimersByTimeAsync(1000);
    expect(text(form.querySelector('[role=alert]'))).toBe('Het verzoek wordt verstuurd…');
    await vi.advanceTimersByTimeAsync(30000);
    expect(text(form.querySelector('[role=alert]'))).toBe(
      'Het lukt even niet om uw verzoek te versturen: de dienst is tijdelijk niet beschikbaar. Uw gegevens staan nog in het formulier. Probeer het over een paar seconden opnieuw.');
    expect((form.querySelector('input[type=tel]') as HTMLInputElement).value).toBe('06 12345678');
    await vi.advanceTimersByTimeAsync(3000);
    expect((form.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
    expect(asked.filter((p) => p === '/api/v1/callbacks')).toHaveLength(1);
  });

  it('from the chat: a request sent on a socket that is then replaced is not left at "wordt verstuurd"', async () => {
    const root = await queuedThird();
    mine()[0].push({ type: 'callback_offer', reason: 'long_wait', estimatedWaitSeconds: 1800 });
    const accept = [...root.querySelectorAll('.offer button')].find((b) => text(b) === 'Bel mij terug') as HTMLButtonElement;
    accept.click();
    const form = root.querySelector('form.callback') as HTMLFormElement;
    (form.querySelector('input[type=tel]') as HTMLInputElement).value = '06 12345678';
    (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
    expect(mine()[0].sent.filter((f) => f.type === 'request_callback')).toHaveLength(1);
    expect(text(form.querySelector('[role=alert]'))).toBe('Het verzoek wordt verstuurd…');
    // the phone changes networks before any answer: the request may be lost with the old socket
    window.dispatchEvent(new Event('online'));
    const fresh = mine().at(-1)!;
    fresh.open();
    fresh.push({ type: 'state', state: 'queued', position: 3, estimatedWaitSeconds: 600 });
    expect(text(form.querySelector('[role=alert]'))).not.toBe('Het verzoek wordt verstuurd…');
    expect(root.querySelector('form.callback')).toBe(form);
    expect((form.querySelector('input[type=tel]') as HTMLInputElement).value).toBe('06 12345678');
  });
});

describe('a phone out of reach for a long while', () => {
  it('tries to connect about once a minute while the browser says it is offline, and at once when it is back', async () => {
    const root = await queuedThird();
    vi.stubGlobal('navigator', { ...navigator, onLine: false });
    vi.stubGlobal('fetch', vi.fn(async () => {
      throw new TypeError('Failed to fetch'); // no request gets anywhere either
    }));
    window.dispatchEvent(new Event('offline'));
    const before = mine().length;
    // every try fails at once: there is no network
    for (let t = 0; t < 5 * 60; t++) {
      const last = mine().at(-1)!;
      if (last.readyState === 0) last.drop(1006);
      await vi.advanceTimersByTimeAsync(1000);
    }
    const tries = mine().length - before;
    expect(tries).toBeGreaterThanOrEqual(3); // in case the browser is wrong about being offline
    expect(tries).toBeLessThanOrEqual(10); // at most one every half minute
    expect(header(root)).toBe('Geen verbinding');
    vi.stubGlobal('navigator', { ...navigator, onLine: true });
    const count = mine().length;
    window.dispatchEvent(new Event('online'));
    expect(mine().length).toBe(count + 1);
    mine().at(-1)!.open();
    expect(header(root)).toBe('Verbonden');
  });
});

describe('back in front without a connection', () => {
  it('tries at once, not after the rest of the back-off (a phone holds timers back in a background tab)', async () => {
    const root = await queuedThird();
    vi.stubGlobal('fetch', vi.fn(async () => {
      throw new TypeError('Failed to fetch'); // the probe of the conversation gets no answer either
    }));
    setVisibility('hidden');
    // the connection goes, and the tries while hidden fail: the back-off has grown
    for (let i = 0; i < 5; i++) {
      mine().at(-1)!.drop(1006);
      await vi.advanceTimersByTimeAsync(i < 4 ? 10000 : 0);
    }
    expect(header(root)).toBe('Geen verbinding');
    const count = mine().length;
    setVisibility('visible');
    expect(mine().length).toBe(count + 1);
    mine().at(-1)!.open();
    expect(header(root)).toBe('Verbonden');
  });
});

describe('a connection refused while the server still counts the dead ones', () => {
  it('says the refusal, and no longer once a connection works again', async () => {
    const root = await queuedThird();
    window.dispatchEvent(new Event('online'));
    // the server still counts this phone's sockets on the networks it left: it refuses the new one
    const refused = mine().at(-1)!;
    refused.open();
    refused.push({ type: 'error', code: 'too_many_connections', message: 'Dit gesprek is al open in 3 vensters; sluit er een. / This conversation is already open in 3 windows; close one.' });
    refused.drop(1008, 'too many connections');
    const notice = () => text(root.querySelector('.chat .composer .error, .chat form .error, .chat .error'));
    expect(notice()).toBe('Dit gesprek is al open in 3 vensters; sluit er een.');
    // a little later the server has let the dead ones go: the next try works
    await vi.advanceTimersByTimeAsync(10000);
    const fresh = mine().at(-1)!;
    expect(fresh).not.toBe(refused);
    fresh.open();
    fresh.push({ type: 'state', state: 'queued', position: 2, estimatedWaitSeconds: 300 });
    expect(statusLine(root)).toContain('U bent nummer 2 in de wachtrij.');
    expect(notice()).toBe('');
  });
});

describe('a socket the server replaced with a newer one of the same conversation', () => {
  const replacedText = 'Dit gesprek is in een ander venster of op een ander netwerk verder gegaan. / This conversation continued in another window or on another network.';

  it('says the conversation continued elsewhere and reconnects only when the resident asks, not by itself', async () => {
    const root = await queuedThird();
    const replaced = mine().at(-1)!;
    // another window of this conversation (or this phone on a network it came back to) took this socket's place
    replaced.push({ type: 'error', code: 'replaced', message: replacedText });
    replaced.drop(4001, 'replaced');
    const panel = () => root.querySelector('.chat .replaced');
    expect(text(panel()?.querySelector('p') ?? null)).toBe('Dit gesprek is in een ander venster of op een ander netwerk verder gegaan.');
    const button = panel()?.querySelector('button') as HTMLButtonElement | null;
    expect(text(button)).toBe('Hier verder gaan');
    // neither time nor the browser's "online" nor the tab coming back reconnects: the other window would be replaced in turn
    await vi.advanceTimersByTimeAsync(120000);
    window.dispatchEvent(new Event('online'));
    setVisibility('hidden');
    await vi.advanceTimersByTimeAsync(60000);
    setVisibility('visible');
    expect(mine().length).toBe(1);
    expect(header(root)).not.toBe('Geen verbinding');
    button!.click();
    expect(mine().length).toBe(2);
    const again = mine().at(-1)!;
    expect(again.url).toBe(`wss://loket.example/ws/resident/${id}?after=1`);
    again.open();
    again.push({ type: 'state', state: 'queued', position: 2, estimatedWaitSeconds: 300 });
    expect(statusLine(root)).toContain('U bent nummer 2 in de wachtrij.');
    expect(panel()?.hasAttribute('hidden') ?? true).toBe(true);
    expect(header(root)).toBe('Verbonden');
  });
});
