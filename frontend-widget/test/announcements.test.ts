// @vitest-environment happy-dom
// What a screen reader hears while a resident waits on a surge day: the connection dropping and
// coming back once each (not on every try to reconnect), also with the callback form over the
// chat; the place in the queue when it means something (the wait in other words, being next,
// an agent taking the conversation), not on every tick of the position.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { stubFetch, text } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const SESSION = { kind: 'chat', id: 'c1', token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true };

let sockets: FakeSocket[] = [];

function resume(): ShadowRoot {
  sessionStorage.setItem('loket.widget.v1', JSON.stringify(SESSION));
  sockets = recordSockets();
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host);
  return host.shadowRoot!;
}

/** Whether an element is shown: no hidden ancestor (a live region in a hidden part is not said). */
function shown(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) if ((e as HTMLElement).hidden) return false;
  return true;
}

/**
 * Every announcement, in order: the text of a live region each time its content is changed
 * (a region set again to the same words is said again), while it is shown; empty ones say nothing.
 */
function listen(root: ShadowRoot): string[] {
  const said: string[] = [];
  const live = (n: Node | null): Element | null => {
    const el = n instanceof Element ? n : n?.parentElement ?? null;
    return el?.closest('[role=status],[role=alert],[aria-live=polite],[aria-live=assertive]') ?? null;
  };
  new MutationObserver((records) => {
    const regions = new Set<Element>();
    for (const r of records) {
      const region = live(r.target);
      if (region && region.getAttribute('aria-live') !== 'off') regions.add(region);
    }
    for (const region of regions) if (text(region) && shown(region)) said.push(text(region));
  }).observe(root, { subtree: true, childList: true, characterData: true });
  return said;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  vi.spyOn(Math, 'random').mockReturnValue(0);
  // the probe between tries finds the conversation still there (the server is out of reach, not it)
  stubFetch({ '/api/v1/conversations/c1/transcript': { status: 200, body: 'transcript' }, '/api/v1/topics': { status: 200, body: [] }, '/api/v1/settings': { status: 200, body: { retentionDays: 28 } } });
});

afterEach(() => {
  vi.clearAllTimers();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

const wait = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

/** The widget's next try to connect: the socket it opens. */
async function nextSocket(): Promise<FakeSocket> {
  const n = sockets.length;
  for (let i = 0; i < 60 && sockets.length === n; i++) await wait(500);
  expect(sockets.length).toBeGreaterThan(n);
  return sockets.at(-1)!;
}

describe('the connection', () => {
  it('is said once when it drops and once when it is back, not on every try in between', async () => {
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 4, estimatedWaitSeconds: 900 });
    await wait();
    const said = listen(root);
    sockets[0].drop(1006);
    await wait();
    for (let i = 0; i < 4; i++) {
      (await nextSocket()).drop(1006); // the next try fails too
      await wait();
    }
    expect(said).toEqual(['Geen verbinding. Wij proberen het opnieuw. Berichten die u nu typt, versturen wij zodra er weer verbinding is.']);
    const back = await nextSocket();
    back.open();
    back.push({ type: 'state', state: 'queued', position: 4, estimatedWaitSeconds: 900 });
    await wait();
    expect(said.slice(1)).toEqual(['De verbinding is terug.']);
    // the header line says where things stand, in one slot
    expect(text(root.querySelector('.conn'))).toBe('Verbonden');
    await wait(5000);
    expect(said).toHaveLength(2);
  });

  it('is said while the callback form covers the chat', async () => {
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 6, estimatedWaitSeconds: 1800 });
    sockets[0].push({ type: 'callback_offer', reason: 'long_wait', estimatedWaitSeconds: 1800 });
    (root.querySelector('.offer button.primary') as HTMLButtonElement).click();
    await wait();
    expect((root.querySelector('.chat') as HTMLElement).hidden).toBe(true);
    const said = listen(root);
    sockets[0].drop(1006);
    await wait();
    expect(said).toEqual(['Geen verbinding. Wij proberen het opnieuw. Berichten die u nu typt, versturen wij zodra er weer verbinding is.']);
  });
});

describe('the place in the queue', () => {
  it('is shown on every change but said only when it means something', async () => {
    const root = resume();
    sockets[0].open();
    const said = listen(root);
    const queued = (position: number, estimatedWaitSeconds: number | null) =>
      sockets[0].push({ type: 'state', state: 'queued', position, estimatedWaitSeconds });
    queued(12, 1200);
    await wait();
    expect(said).toEqual(['U bent nummer 12 in de wachtrij. Wachttijd: ongeveer 10–40 minuten.']);
    // the surge moves the queue one by one: shown, not said each time
    for (const p of [11, 10, 9]) {
      queued(p, 1200);
      await wait();
      expect(text(root.querySelector('.queue'))).toBe(`U bent nummer ${p} in de wachtrij. Wachttijd: ongeveer 10–40 minuten.`);
    }
    expect(said).toHaveLength(1);
    // the wait in other words: said
    queued(8, 600);
    await wait();
    expect(said.at(-1)).toBe('U bent nummer 8 in de wachtrij. Wachttijd: ongeveer 5–20 minuten.');
    // nobody can say how long any more: said, honestly
    queued(7, null);
    await wait();
    expect(said.at(-1)).toBe('U bent nummer 7 in de wachtrij. Wachttijd onbekend.');
    queued(3, null);
    await wait();
    expect(said).toHaveLength(3);
    // next: said
    queued(1, null);
    await wait();
    expect(said.at(-1)).toBe('U bent de volgende in de wachtrij. Wachttijd onbekend.');
    // an agent takes it: said
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    await wait();
    expect(said.at(-1)).toBe('U chat met Anne.');
    expect(said).toHaveLength(5);
  });
});
