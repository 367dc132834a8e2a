// @vitest-environment happy-dom
// A chat handed off to a callback request: after the chat, the request is shown and cancelled with
// the request's own token (callback_created), never with the conversation's, which the service
// stops honouring shortly after the end (docs/protocol.md §3). A widget that has only the
// conversation's token (a tab opened before the request's token existed) says honestly that the
// request can no longer be cancelled here, and how to reach it instead.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { STARTED, settle, stubFetch, text, topic } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const CALLBACK = '0f8e4d2c-1b3a-4c5d-8e6f-708192a3b4c5';
const ACCESS_ENDED = {
  status: 403,
  body: {
    type: '/problems/access-ended', title: 'Forbidden', status: 403,
    detail: 'Dit gesprek is beëindigd en is hier niet meer te lezen. / This conversation has ended and can no longer be read here.',
  },
};
let sockets: FakeSocket[] = [];

/** The service: the request's own token cancels it; the conversation's token is past its bound. */
function service() {
  stubFetch({
    '/api/v1/topics': { status: 200, body: [topic] },
    '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
    '/api/v1/conversations': STARTED,
  });
  const answers = vi.mocked(globalThis.fetch).getMockImplementation()!;
  vi.mocked(globalThis.fetch).mockImplementation(async (url, init) => {
    if (new URL(String(url)).pathname === `/api/v1/callbacks/${CALLBACK}`) {
      const auth = new Headers(init?.headers).get('Authorization');
      if (auth === 'Bearer tcb') return new Response(null, { status: 204 });
      return new Response(JSON.stringify(ACCESS_ENDED.body), {
        status: ACCESS_ENDED.status, headers: { 'Content-Type': 'application/problem+json' },
      });
    }
    return answers(url, init);
  });
}

beforeEach(() => {
  service();
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

const button = (root: ShadowRoot, label: string) => [...root.querySelectorAll('button')].find((b) => text(b) === label);

/** The tokens the widget sent to the callback request, in order. */
function tokensSentToTheRequest(): (string | null)[] {
  return vi.mocked(globalThis.fetch).mock.calls
    .filter(([url]) => new URL(String(url)).pathname === `/api/v1/callbacks/${CALLBACK}`)
    .map(([, init]) => new Headers(init?.headers).get('Authorization'));
}

/** A chat started on this page that became a callback request; `token`: the one callback_created carried. */
async function handedOff(token: string | undefined, lang: 'nl' | 'en' = 'nl'): Promise<ShadowRoot> {
  const root = mount(lang);
  await settle();
  (root.querySelector('.topic-btn') as HTMLButtonElement).click();
  await settle();
  (root.querySelector('form button[type=submit]') as HTMLButtonElement).click();
  await settle();
  await settle();
  const socket = sockets.at(-1)!;
  socket.open();
  socket.push({ type: 'state', state: 'callback', reason: 'callback' });
  socket.push({ type: 'callback_created', callbackId: CALLBACK, reference: '1Z74-T8GR', ...(token ? { token } : {}) });
  return root;
}

async function cancel(root: ShadowRoot, nl = true): Promise<void> {
  button(root, nl ? 'Terugbelverzoek intrekken' : 'Cancel callback request')!.click();
  button(root, nl ? 'Ja, intrekken' : 'Yes, cancel it')!.click();
  await settle();
  await settle();
}

describe('a callback request after the chat it came from ended', () => {
  it('is cancelled on the open page with its own token, not the conversation token', async () => {
    const root = await handedOff('tcb');
    expect(text(root.querySelector('h3'))).toBe('Wij bellen u terug');
    await cancel(root);
    expect(tokensSentToTheRequest()).toEqual(['Bearer tcb']);
    expect(text(root.querySelector('h3'))).toBe('Uw terugbelverzoek is ingetrokken.');
  });

  it('is shown after a reload and cancelled with its own token', async () => {
    await handedOff('tcb');
    document.body.innerHTML = '';
    const root = mount();
    expect(text(root.querySelector('.ref code'))).toBe('1Z74-T8GR');
    await cancel(root);
    expect(tokensSentToTheRequest()).toEqual(['Bearer tcb']);
    expect(text(root.querySelector('h3'))).toBe('Uw terugbelverzoek is ingetrokken.');
  });

  it('with only the conversation token, says honestly that it can no longer be cancelled here, and how instead', async () => {
    const root = await handedOff(undefined);
    await cancel(root);
    expect(tokensSentToTheRequest()).toEqual(['Bearer t9']);
    const error = text(root.querySelector('.error'));
    expect(error).toContain('kunt u het hier niet meer intrekken');
    expect(error).toContain('referentie');
    expect(error).not.toContain('Probeer het opnieuw');
    // no "try again": the button is gone, the request still stands
    expect(button(root, 'Ja, intrekken')).toBeUndefined();
    expect(button(root, 'Terugbelverzoek intrekken')).toBeUndefined();
    expect(text(root.querySelector('h3'))).toBe('Wij bellen u terug');
  });

  it('says that in English too', async () => {
    const root = await handedOff(undefined, 'en');
    await cancel(root, false);
    const error = text(root.querySelector('.error'));
    expect(error).toContain('can no longer be cancelled here');
    expect(error).toContain('reference');
  });

  it('kept by a tab from before the request had its own token, says after a reload that it still stands', async () => {
    // what an older widget kept: the chat, handed off, with only the conversation's token
    sessionStorage.setItem('loket.widget.v1', JSON.stringify({
      kind: 'chat', id: 'c1', token: 't1', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true,
      callbackId: CALLBACK, callbackReference: '1Z74-T8GR',
    }));
    const root = mount();
    const socket = sockets[0];
    socket.open();
    socket.push({ type: 'error', code: 'access_ended', message: ACCESS_ENDED.body.detail });
    socket.drop(1008, 'conversation ended');
    const view = text(root.querySelector('.view'));
    expect(view).toContain('Dit gesprek is beëindigd.');
    expect(view).toContain('Uw terugbelverzoek staat nog');
    expect(view).toContain('1Z74-T8GR');
    expect(JSON.stringify(sessionStorage)).not.toContain('t1');
    // and a further reload still says so
    document.body.innerHTML = '';
    expect(text(mount().querySelector('.view'))).toContain('1Z74-T8GR');
  });
});
