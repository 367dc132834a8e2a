// @vitest-environment happy-dom
// The callback offer while the resident waits, as they see and hear it: words that match the
// reason, and an offer that goes quiet once its reason no longer holds (callback_offer_withdrawn,
// docs/protocol.md §4), without flicker, without taking a half-filled form away.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Widget } from '../src/widget';
import { settle, stubFetch, text } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const SESSION = { kind: 'chat', id: 'c1', token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true };

let sockets: FakeSocket[] = [];

/** The widget on a page whose tab already holds a waiting conversation, its socket open. */
function waiting(lang: 'nl' | 'en' = 'nl'): ShadowRoot {
  stubFetch({ '/api/v1/topics': { status: 200, body: [] }, '/api/v1/settings': { status: 200, body: { retentionDays: 28 } } });
  sessionStorage.setItem('loket.widget.v1', JSON.stringify(SESSION));
  sockets = recordSockets();
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang }, host);
  sockets[0].open();
  return host.shadowRoot!;
}

/** The offer's place above the log: what is shown there, and whether a screen reader hears it (politely). */
function offerArea(root: ShadowRoot): HTMLElement {
  const area = root.querySelector('.chat .offer-wrap') as HTMLElement;
  expect(area.getAttribute('aria-live')).toBe('polite');
  return area;
}

function buttons(el: Element): string[] {
  return [...el.querySelectorAll('button')].map(text);
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear(); // the site's other tabs keep nothing either
});

describe('a callback offer whose reason no longer holds', () => {
  it('goes quiet once an agent is on duty: no more "geen medewerker beschikbaar" beside "U bent de volgende"', () => {
    const root = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 1 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    expect(text(offerArea(root))).toMatch(/^Er is nu geen medewerker beschikbaar\./);

    // an agent comes on duty: the wait is known, and the server withdraws the offer
    sockets[0].push({ type: 'state', state: 'queued', position: 1, estimatedWaitSeconds: 0 });
    sockets[0].push({ type: 'callback_offer_withdrawn', reason: 'no_agents' });
    expect(text(root.querySelector('.chat .queue'))).toBe('U bent de volgende in de wachtrij. Wachttijd: minder dan 5 minuten.');
    const area = offerArea(root);
    expect(text(area)).not.toContain('geen medewerker');
    // said once, politely, and a quiet way to still ask for a callback
    expect(text(area)).toBe('Er is nu een medewerker beschikbaar. Liever teruggebeld worden?');
    expect(buttons(area)).toEqual(['Liever teruggebeld worden?']);
    expect(area.querySelector('.offer')).toBeNull();

    (area.querySelector('button') as HTMLButtonElement).click();
    expect(text(root.querySelector('form.callback h3'))).toBe('Terugbelverzoek');
  });

  it('says in its own words why it went, for each reason', () => {
    const gone: Record<string, string> = {
      long_wait: 'Het is minder druk geworden.',
      capacity_short: 'Het is minder druk geworden.',
      closing: 'U bent naar verwachting vóór sluitingstijd aan de beurt.',
    };
    for (const [reason, said] of Object.entries(gone)) {
      const root = waiting();
      sockets[0].push({ type: 'state', state: 'queued', position: 4, estimatedWaitSeconds: 1500 });
      sockets[0].push({ type: 'callback_offer', reason, estimatedWaitSeconds: 1500 });
      sockets[0].push({ type: 'callback_offer_withdrawn', reason });
      expect(text(offerArea(root)), reason).toBe(`${said} Liever teruggebeld worden?`);
      document.body.innerHTML = '';
      sessionStorage.clear();
      localStorage.clear(); // the site's other tabs keep nothing either
    }
  });

  it('goes quiet after a reconnect when the server says no offer stands, in the words of the offer that was shown', () => {
    const root = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 6, estimatedWaitSeconds: 1800 });
    sockets[0].push({ type: 'callback_offer', reason: 'long_wait', estimatedWaitSeconds: 1800 });
    sockets[0].push({ type: 'state', state: 'queued', position: 2, estimatedWaitSeconds: 200 });
    sockets[0].push({ type: 'callback_offer_withdrawn' });
    expect(text(offerArea(root))).toBe('Het is minder druk geworden. Liever teruggebeld worden?');
  });

  it('keeps the focus where the resident was: on the quiet link when they were on the offer', () => {
    const root = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 1 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    (root.querySelector('.offer button.secondary') as HTMLButtonElement).focus();
    sockets[0].push({ type: 'callback_offer_withdrawn', reason: 'no_agents' });
    expect(text(root.activeElement)).toBe('Liever teruggebeld worden?');
  });

  it('leaves the focus and the draft in the message box when the resident is typing', () => {
    const again = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 1 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    const box = again.querySelector('textarea')!;
    box.focus();
    box.value = 'Mijn paspoort';
    sockets[0].push({ type: 'callback_offer_withdrawn', reason: 'no_agents' });
    expect(again.activeElement).toBe(box);
    expect(box.value).toBe('Mijn paspoort');
  });

  it('does not take away the callback form the resident is filling in, and tells them politely in it', async () => {
    const root = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 1 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    (root.querySelector('.offer button.primary') as HTMLButtonElement).click();
    await settle();
    const phone = root.querySelector('input[type=tel]') as HTMLInputElement;
    phone.focus();
    phone.value = '06 1234';

    sockets[0].push({ type: 'state', state: 'queued', position: 1, estimatedWaitSeconds: 0 });
    sockets[0].push({ type: 'callback_offer_withdrawn', reason: 'no_agents' });
    const form = root.querySelector('form.callback') as HTMLElement;
    expect(form).not.toBeNull();
    expect(phone.value).toBe('06 1234');
    expect(root.activeElement).toBe(phone);
    const note = [...form.querySelectorAll('[role=status]')].map(text).filter(Boolean);
    expect(note).toEqual(['Er is nu een medewerker beschikbaar. U kunt ook terug naar de chat en wachten.']);

    // back in the chat, the offer is the quiet link
    [...form.querySelectorAll('button')].find((b) => text(b) === 'Terug naar de chat')!.click();
    expect(text(offerArea(root))).toBe('Er is nu een medewerker beschikbaar. Liever teruggebeld worden?');
  });
});

describe('a callback offer that comes again', () => {
  it('is not rebuilt nor said again when it is the same offer (a reconnect)', () => {
    const root = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 3 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    const shown = root.querySelector('.offer');
    sockets[0].push({ type: 'state', state: 'queued', position: 3 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    expect(root.querySelector('.offer')).toBe(shown);
  });

  it('changes its words in place when the reason changes, the focus staying on its button', () => {
    const root = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 3 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    const accept = root.querySelector('.offer button.primary') as HTMLButtonElement;
    accept.focus();
    sockets[0].push({ type: 'callback_offer', reason: 'closing', estimatedWaitSeconds: 900 });
    expect(text(root.querySelector('.offer p'))).toBe('Wij sluiten voordat u aan de beurt bent. Wilt u dat wij u terugbellen?');
    expect(root.activeElement).toBe(accept);
  });

  it('stays quiet after "Blijf wachten" when the same offer comes again, and speaks up for a new reason', () => {
    const root = waiting();
    sockets[0].push({ type: 'state', state: 'queued', position: 3 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    (root.querySelector('.offer button.secondary') as HTMLButtonElement).click();
    expect(root.activeElement).toBe(root.querySelector('textarea'));
    // still there for a resident who changes their mind
    expect(buttons(offerArea(root))).toEqual(['Liever teruggebeld worden?']);
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    expect(root.querySelector('.offer')).toBeNull();
    sockets[0].push({ type: 'callback_offer', reason: 'closing', estimatedWaitSeconds: 900 });
    expect(text(root.querySelector('.offer p'))).toMatch(/^Wij sluiten voordat u aan de beurt bent\./);
  });
});

describe('in English', () => {
  it('says the same', () => {
    const root = waiting('en');
    sockets[0].push({ type: 'state', state: 'queued', position: 1 });
    sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
    sockets[0].push({ type: 'callback_offer_withdrawn', reason: 'no_agents' });
    expect(text(offerArea(root))).toBe('An agent is available now. Rather be called back?');
  });
});

describe('the callback form straight from the topic list', () => {
  const topic = {
    id: 'paspoort-id',
    name: 'Paspoort en ID-kaart',
    open: true,
    nextOpenAt: null,
    queueLength: 12,
    estimatedWaitSeconds: 1800,
    callbackOffered: true,
    notice: null,
    digitalAlternatives: [],
  };

  /** The resident opens the widget and chooses the topic; the service says this about it. */
  async function choose(fields: object, lang: 'nl' | 'en' = 'nl', start?: { status: number; body?: unknown }): Promise<ShadowRoot> {
    stubFetch({
      '/api/v1/topics': { status: 200, body: [{ ...topic, ...fields }] },
      '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
      ...(start ? { '/api/v1/conversations': start } : {}),
    });
    const host = document.createElement('div');
    document.body.append(host);
    new Widget({ baseUrl: 'https://loket.example', lang }, host).open();
    const root = host.shadowRoot!;
    await settle();
    (root.querySelector('.topic-btn') as HTMLButtonElement).click();
    await settle();
    return root;
  }

  const intro = (root: ShadowRoot) => text(root.querySelector('form.callback h3 + p'));

  it('says why, in the words of the reason', async () => {
    const said: Record<string, string> = {
      no_agents: 'Er is nu geen medewerker vrij voor de chat. Laat uw telefoonnummer achter, dan bellen wij u terug.',
      long_wait: 'Het is nu druk in de chat. Wachttijd: ongeveer 15–60 minuten. Laat uw telefoonnummer achter, dan bellen wij u terug.',
      capacity_short: 'Het is nu erg druk in de chat. Laat uw telefoonnummer achter, dan bellen wij u terug.',
      closing: 'De chat sluit binnenkort, waarschijnlijk voordat u aan de beurt bent. Laat uw telefoonnummer achter, dan bellen wij u terug.',
    };
    for (const [reason, words] of Object.entries(said)) {
      const root = await choose({ callbackReason: reason });
      expect(intro(root), reason).toBe(words);
      expect(buttons(root.querySelector('form.callback')!)).toContain('Toch chatten en wachten');
      document.body.innerHTML = '';
    }
  });

  it('does not say "geen medewerker vrij" when it does not know the reason (an older service)', async () => {
    const root = await choose({});
    expect(intro(root)).toBe('Wilt u liever dat wij u terugbellen? Laat uw telefoonnummer achter, dan bellen wij u terug.');
  });

  it('says it is busy, not that nobody is free, when the start was turned away in a surge', async () => {
    const root = await choose({ callbackOffered: false, callbackReason: null, estimatedWaitSeconds: 120 }, 'nl',
      { status: 503, body: { type: '/problems/busy', title: 'Het is nu erg druk / It is very busy right now', status: 503 } });
    (root.querySelector('form button[type=submit]') as HTMLButtonElement).click();
    await settle();
    await settle();
    expect(intro(root)).toBe('Het is nu erg druk in de chat. Laat uw telefoonnummer achter, dan bellen wij u terug.');
  });

  it('says the same in English', async () => {
    const root = await choose({ callbackReason: 'long_wait' }, 'en');
    expect(intro(root)).toBe('It is busy in the chat right now. Waiting time: about 15–60 minutes. Leave your phone number and we will call you back.');
  });
});

describe('a callback asked for from the chat and refused for too many open requests from one address', () => {
  it('says why in the form, in the resident\'s language, and keeps the number', async () => {
    const message = 'Vanaf dit adres staan al 3 terugbelverzoeken open. Trek er een in of probeer het later opnieuw. '
      + '/ There are already 3 open callback requests from this address. Cancel one or try again later.';
    for (const lang of ['nl', 'en'] as const) {
      const root = waiting(lang);
      sockets[0].push({ type: 'state', state: 'queued', position: 1 });
      sockets[0].push({ type: 'callback_offer', reason: 'no_agents' });
      (root.querySelector('.offer button.primary') as HTMLButtonElement).click();
      await settle();
      const form = root.querySelector('form.callback') as HTMLFormElement;
      (form.querySelector('input[type=tel]') as HTMLInputElement).value = '06 12345678';
      (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
      await settle();
      expect(sockets[0].sent.map((f) => f.type)).toContain('request_callback');
      sockets[0].push({ type: 'error', code: 'too_many_callbacks', message });
      expect(root.querySelector('form.callback')).toBe(form);
      expect(text(form.querySelector('[role=alert]'))).toBe(lang === 'nl'
        ? 'Vanaf dit adres staan al 3 terugbelverzoeken open. Trek er een in of probeer het later opnieuw.'
        : 'There are already 3 open callback requests from this address. Cancel one or try again later.');
      expect((form.querySelector('input[type=tel]') as HTMLInputElement).value).toBe('06 12345678');
      document.body.innerHTML = '';
      sessionStorage.clear();
      localStorage.clear();
      vi.unstubAllGlobals();
    }
  });
});
