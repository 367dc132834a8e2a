// @vitest-environment happy-dom
// "Terug" from the house rules or the callback form brings the resident back to the topic they
// chose, not to the top of the list: a keyboard or screen-reader user goes on from where they were.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { stubFetch } from './dom-helpers';

const base = {
  open: true,
  nextOpenAt: null,
  queueLength: 0,
  estimatedWaitSeconds: 600,
  callbackOffered: false,
  notice: null,
  digitalAlternatives: [],
};
const topics = [
  { ...base, id: 'paspoort-id', name: 'Paspoort en ID-kaart' },
  { ...base, id: 'afval', name: 'Afval', estimatedWaitSeconds: null, callbackOffered: true, callbackReason: 'no_agents' },
  { ...base, id: 'parkeren', name: 'Parkeren' },
];

const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  stubFetch({
    '/api/v1/topics': { status: 200, body: topics },
    '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
  });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear(); // the site's other tabs keep nothing either
});

async function openWidget(): Promise<ShadowRoot> {
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host).open();
  await tick();
  return host.shadowRoot!;
}

const topicButton = (root: ShadowRoot, name: string) =>
  [...root.querySelectorAll<HTMLButtonElement>('.topic-btn')].find((b) => b.textContent === name)!;

async function choose(root: ShadowRoot, name: string) {
  const button = topicButton(root, name);
  button.focus();
  button.click();
  await tick();
}

async function back(root: ShadowRoot) {
  [...root.querySelectorAll('button')].find((b) => b.textContent === 'Terug')!.click();
  await tick();
}

describe('"Terug" to the topic list', () => {
  it('from the house rules puts the focus on the topic chosen', async () => {
    const root = await openWidget();
    await choose(root, 'Parkeren');
    expect(root.querySelector('h3')?.textContent).not.toBe('Waarover gaat uw vraag?');
    await back(root);
    expect(root.activeElement).toBe(topicButton(root, 'Parkeren'));
  });

  it('from the callback form a topic with no agent led to, too', async () => {
    const root = await openWidget();
    await choose(root, 'Afval');
    expect(root.querySelector('h3')?.textContent).toBe('Terugbelverzoek');
    await back(root);
    expect(root.activeElement).toBe(topicButton(root, 'Afval'));
  });

  it('the list opened afresh starts at its heading, as before', async () => {
    const root = await openWidget();
    expect(root.activeElement?.tagName).toBe('H3');
  });
});
