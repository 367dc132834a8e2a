// @vitest-environment happy-dom
// What a resident sees once their callback request is made, on a phone, needing to trust it: the
// number we will call (in full right after sending, so a typo shows; only its last digits after a
// reload, where the next person at a shared computer might look), when we call, and a short
// reference to quote when they phone the contact centre.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { settle, stubFetch, text, topic } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const KEY = 'loket.widget.v1';
let sockets: FakeSocket[] = [];

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

function mount(lang: 'nl' | 'en' = 'nl'): ShadowRoot {
  sockets = recordSockets();
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang }, host).open();
  return host.shadowRoot!;
}

/** The confirmation's lines as the resident reads them. */
const lines = (root: ShadowRoot) => [...root.querySelectorAll('.view p')].map((p) => text(p)).filter(Boolean);

async function requestFromTopicList(lang: 'nl' | 'en' = 'nl', created: object = { id: '0f8e4d2c-1b3a-4c5d-8e6f-708192a3b4c5', token: 'tcb', reference: '1Z74-T8GR' }) {
  stubFetch({
    '/api/v1/topics': { status: 200, body: [{ ...topic, callbackOffered: true, callbackReason: 'no_agents' }] },
    '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
    '/api/v1/callbacks': { status: 201, body: created },
  });
  const root = mount(lang);
  await settle();
  (root.querySelector('.topic-btn') as HTMLButtonElement).click();
  await settle();
  const form = root.querySelector('form.callback') as HTMLFormElement;
  (form.querySelector('input[type=tel]') as HTMLInputElement).value = '06 12345678';
  const afternoon = form.querySelector('input[type=radio][value=afternoon]') as HTMLInputElement;
  afternoon.checked = true;
  (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
  await settle();
  await settle();
  return root;
}

describe('the callback confirmation', () => {
  it('shows the number as typed, when we call and the short reference', async () => {
    const root = await requestFromTopicList();
    expect(text(root.querySelector('h3'))).toBe('Wij bellen u terug');
    expect(lines(root)).toEqual(expect.arrayContaining([
      'Wij bellen u op 06 12345678.',
      "Wanneer: 's middags.",
      'Uw referentie: 1Z74-T8GR',
      'Noem deze referentie als u ons belt over dit verzoek.',
    ]));
    expect(text(root.querySelector('.view'))).not.toContain('0f8e4d2c'); // not the long id
  });

  it('after a reload shows only the last digits of the number, and the browser never kept the whole number', async () => {
    await requestFromTopicList();
    for (const area of [sessionStorage, localStorage]) {
      for (const k of Object.keys(area)) expect(area.getItem(k)).not.toMatch(/12345678|1234 ?5678/);
    }
    document.body.innerHTML = ''; // a reload: this tab's sessionStorage stays
    const root = mount();
    await settle();
    expect(lines(root)).toEqual(expect.arrayContaining([
      'Wij bellen u op het nummer dat eindigt op 78.',
      "Wanneer: 's middags.",
      'Uw referentie: 1Z74-T8GR',
    ]));
    expect(text(root.querySelector('.view'))).not.toContain('06 12345678');
  });

  it('says it in English', async () => {
    const root = await requestFromTopicList('en');
    expect(text(root.querySelector('h3'))).toBe('We will call you back');
    expect(lines(root)).toEqual(expect.arrayContaining([
      'We will call you on 06 12345678.',
      'When: in the afternoon.',
      'Your reference: 1Z74-T8GR',
      'Quote this reference if you phone us about this request.',
    ]));
  });

  it('made from a waiting chat, shows the number and the reference the server gave with callback_created', async () => {
    stubFetch({ '/api/v1/topics': { status: 200, body: [topic] }, '/api/v1/settings': { status: 200, body: { retentionDays: 28 } } });
    sessionStorage.setItem(KEY, JSON.stringify({ kind: 'chat', id: 'c1', token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true }));
    const root = mount();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 2, estimatedWaitSeconds: 900 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    [...root.querySelectorAll('button')].find((b) => text(b) === 'Bel mij terug')!.click();
    const form = root.querySelector('form.callback') as HTMLFormElement;
    (form.querySelector('input[type=tel]') as HTMLInputElement).value = '+31 20 123 4567';
    (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settle();
    expect(sockets[0].sent.at(-1)).toMatchObject({ type: 'request_callback', phone: '+31 20 123 4567' });
    sockets[0].push({ type: 'state', state: 'callback', reason: 'callback' });
    sockets[0].push({ type: 'callback_created', callbackId: '0f8e4d2c-1b3a-4c5d-8e6f-708192a3b4c5', reference: '1Z74-T8GR' });
    expect(lines(root)).toEqual(expect.arrayContaining([
      'Wij bellen u op +31 20 123 4567.',
      'Wanneer: zo snel mogelijk.',
      'Uw referentie: 1Z74-T8GR',
    ]));
  });
});
