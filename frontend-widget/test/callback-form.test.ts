// @vitest-environment happy-dom
// The callback form's field errors as a resident on a phone meets them. The service (libphonenumber,
// PhoneNumbers) is the one judge of a number: the form sends what was typed, trimmed, and shows the
// service's reason beside the field, in the resident's language only, after the field's hint that
// shows what a right number looks like; the reason is short enough to stand whole with the field
// above the on-screen keyboard at 200 % zoom (e2e/callback-form.test.mjs).
// And the time window: whether it can be wrong at all.
import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { Widget } from '../src/widget';
import { description, settle, stubFetch, text, topic, type Answer } from './dom-helpers';

/** As CallbackInput answers a number libphonenumber does not take (PhoneNumbers.invalid). */
const INVALID: Answer = {
  status: 400,
  body: {
    title: 'Ongeldige invoer',
    errors: [{ field: 'phone', message: 'Vul een geldig nummer in. / Enter a valid number.' }],
  },
};
const CREATED: Answer = { status: 201, body: { id: 'cb-1', token: 'tcb', reference: '1Z74-T8GR' } };

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

/** The callback form straight from the topic list; the service answers a request with `answer`. */
async function form(answer: Answer | Answer[], lang: 'nl' | 'en' = 'nl') {
  const asked = stubFetch({
    '/api/v1/topics': { status: 200, body: [{ ...topic, callbackOffered: true, callbackReason: 'no_agents' }] },
    '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
    '/api/v1/callbacks': answer,
  });
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang }, host).open();
  const root = host.shadowRoot!;
  await settle();
  (root.querySelector('.topic-btn') as HTMLButtonElement).click();
  await settle();
  const el = root.querySelector('form.callback') as HTMLFormElement;
  const phone = el.querySelector('input[type=tel]') as HTMLInputElement;
  return {
    root, el, phone, asked,
    async send(number: string) {
      phone.value = number;
      (el.querySelector('button[type=submit]') as HTMLButtonElement).click();
      await settle();
      await settle();
    },
    /** The body of each request the form made. */
    requests: () => (fetch as unknown as Mock).mock.calls
      .filter(([url]) => String(url).endsWith('/api/v1/callbacks'))
      .map(([, init]) => JSON.parse((init as RequestInit).body as string)),
  };
}

describe("the phone field's hint", () => {
  // a resident abroad, or with a foreign number, reads in either language that one is taken, and how to write it
  for (const [lang, hint] of [['nl', 'Bijvoorbeeld 06 12345678 of +44 20 7946 0958'], ['en', 'For example 06 12345678 or +44 20 7946 0958']] as const) {
    it(`${lang}: shows a Dutch and a foreign example`, async () => {
      const f = await form(CREATED, lang);
      expect(description(f.phone)).toBe(hint);
    });
  }
});

describe('a phone number that cannot be right', () => {
  const said = {
    nl: 'Vul een geldig nummer in.',
    en: 'Enter a valid number.',
  };
  for (const lang of ['nl', 'en'] as const) {
    for (const wrong of ['12345', '+31 6 1234', '06 1234567']) {
      it(`${lang}, "${wrong}": goes to the service, whose reason stands right above the field in the resident's language, with the focus there`, async () => {
        const f = await form(INVALID, lang);
        await f.send(` ${wrong} `);
        // the service is the one judge: what was typed goes to it, trimmed
        expect(f.requests()).toEqual([expect.objectContaining({ phone: wrong })]);
        const error = f.phone.previousElementSibling as HTMLElement;
        // placed as every field's error: between the label (and hint) and the field
        expect(error.classList.contains('error')).toBe(true);
        expect(text(error)).toBe(said[lang]);
        // with the hint, what a right number looks like
        expect(description(f.phone)).toBe(lang === 'nl' ? 'Bijvoorbeeld 06 12345678 of +44 20 7946 0958 Vul een geldig nummer in.'
          : 'For example 06 12345678 or +44 20 7946 0958 Enter a valid number.');
        expect(f.phone.getAttribute('aria-invalid')).toBe('true');
        expect(f.root.activeElement).toBe(f.phone);
        expect(f.phone.value).toBe(` ${wrong} `); // nothing typed is lost
        expect(text(f.el.querySelector('[role=alert]'))).toBe(lang === 'nl' ? 'Controleer de gegevens.' : 'Please check the details.');
      });
    }
  }

  it('goes once the number is corrected, and the request is made', async () => {
    const f = await form([INVALID, CREATED]);
    await f.send('06 1234567');
    expect(f.phone.getAttribute('aria-invalid')).toBe('true');
    await f.send('06 12345678');
    expect(f.requests()).toEqual([expect.objectContaining({ phone: '06 1234567' }), expect.objectContaining({ phone: '06 12345678' })]);
    expect(f.phone.hasAttribute('aria-invalid')).toBe(false);
    expect(text(f.root.querySelector('h3'))).toBe('Wij bellen u terug');
  });
});

describe('a number the service may take', () => {
  // these all reach it, as typed
  for (const number of ['06 12345678', '06-12345678', '030 234 5678', '+31 20 123 4567', '+31 (0)20 123 4567', '0031 6 12345678',
    '612345678', '+44 20 7946 0958', '0044 20 7946 0958', '0800 1234', '0800 1234567', '088 123 4567']) {
    it(`"${number}" goes to the service`, async () => {
      const f = await form(CREATED);
      await f.send(number);
      expect(f.requests()).toEqual([expect.objectContaining({ phone: number })]);
      expect(f.phone.hasAttribute('aria-invalid')).toBe(false);
    });
  }

  it('refused for a reason only the service knows (a premium-rate number), is said in its words beside the field', async () => {
    const f = await form({
      status: 400,
      body: { title: 'Ongeldige invoer', errors: [{ field: 'phone', message: 'Wij bellen geen betaalnummers. / We do not call premium-rate numbers.' }] },
    });
    await f.send('0900 1234567');
    expect(f.requests()).toHaveLength(1);
    expect(description(f.phone)).toBe('Bijvoorbeeld 06 12345678 of +44 20 7946 0958 Wij bellen geen betaalnummers.');
    expect(f.phone.getAttribute('aria-invalid')).toBe('true');
    expect(f.root.activeElement).toBe(f.phone);
  });
});

describe('the time window', () => {
  // It cannot be wrong: one choice is made from the start, a radio group cannot be emptied, and the
  // service takes a missing window as "asap"; it refuses only a value the widget never sends. What a
  // screen reader needs is the group's name with each choice.
  it('is a group named by its question, with "Zo snel mogelijk" chosen from the start', async () => {
    const f = await form(CREATED);
    const radios = [...f.el.querySelectorAll<HTMLInputElement>('input[type=radio]')];
    expect(radios.map((r) => text(f.el.querySelector(`label[for="${r.id}"]`)))).toEqual(['Zo snel mogelijk', "'s Ochtends", "'s Middags"]);
    const groups = new Set(radios.map((r) => r.closest('fieldset')));
    expect(groups.size).toBe(1);
    const fieldset = [...groups][0]!;
    expect(text([...fieldset.children].find((c) => c.tagName === 'LEGEND'))).toBe('Wanneer mogen wij bellen?');
    expect(new Set(radios.map((r) => r.name)).size).toBe(1);
    expect(radios.filter((r) => r.checked).map((r) => r.value)).toEqual(['asap']);
  });

  it('untouched, is sent as "asap"', async () => {
    const f = await form(CREATED);
    await f.send('06 12345678');
    expect(f.requests()).toEqual([expect.objectContaining({ window: 'asap' })]);
  });

  it('chosen, is sent as chosen', async () => {
    const f = await form(CREATED);
    (f.el.querySelector('input[type=radio][value=morning]') as HTMLInputElement).checked = true;
    await f.send('06 12345678');
    expect(f.requests()).toEqual([expect.objectContaining({ window: 'morning' })]);
  });
});
