// @vitest-environment happy-dom
// The widget's flow around a conversation as the resident sees it: what is on screen, what is
// said to a screen reader and where the focus goes, driven by frames on a fake socket.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { settle, stubFetch, text } from './dom-helpers';
import { FakeSocket } from './fake-socket';

const SESSION = { kind: 'chat', id: 'c1', token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true };

let sockets: FakeSocket[] = [];

/** The widget on a page whose tab already holds `session` (a reload in the middle of a chat). */
function resume(session: object = SESSION): ShadowRoot {
  sessionStorage.setItem('loket.widget.v1', JSON.stringify(session));
  sockets = [];
  vi.stubGlobal('WebSocket', class extends FakeSocket {
    constructor(url: string, protocols: string[]) {
      super(url, protocols);
      sockets.push(this);
    }
  });
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host);
  return host.shadowRoot!;
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
});

describe('messages kept over a reload', () => {
  it('are on screen at once, waiting for the connection, when the page comes back without one', async () => {
    stubFetch({});
    const root = resume({ ...SESSION, pending: [{ clientMsgId: 'm-1', text: 'Mijn paspoort is gestolen', status: 'sent' }] });
    sockets[0].drop(1006); // the phone has no connection yet
    await settle();
    const bubble = root.querySelector('.log .msg.pending');
    expect(text(bubble)).toContain('Mijn paspoort is gestolen');
    expect(text(bubble?.querySelector('.note'))).toBe('wacht op verbinding');
  });
});
