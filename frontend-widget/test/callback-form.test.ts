// @vitest-environment happy-dom
// The callback form's field errors as a resident on a phone meets them. With the on-screen keyboard
// up at 200 % zoom (an effective 180×200 px) the service's "Dit is geen geldig telefoonnummer,
// bijvoorbeeld … of …" ran to some 170 px above the field: only its last lines showed and the field
// was pushed away (e2e/callback-form.test.mjs). And the time window: whether it can be wrong at all.
import { afterEach, describe, expect, it, vi, type Mock } from 'vitest';
import { Widget } from '../src/widget';
import { description, settle, stubFetch, text, topic, type Answer } from './dom-helpers';

/** As CallbackInput answers a number libphonenumber does not take (PhoneNumbers.invalid). */
const INVALID: Answer = {
  status: 400,
  body: {
    title: 'Ongeldige invoer',
    errors: [{ field: 'phone', message: 'Dit is geen geldig telefoonnummer, bijvoorbeeld 06 12345678 of +31 20 1234567. '
      + '/ This is not a valid phone number, for example 06 12345678 or +31 20 1234567.' }],
  },
};
const CREATED: Answer = { status: 201, body: { id: 'cb-1', token: 'tcb', reference: '1Z74-T8GR' } };

/**
 * About 20 characters a line fit at 180 px: three lines at most, so that the error, the field
 * and a line of the label stand together above the keyboard.
 */
const SHORT = 60;

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear();
});

/** The callback form straight from the topic list; the service answers a request with `answer`. */
async function form(answer: Answer, lang: 'nl' | 'en' = 'nl') {
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

describe('a phone number that cannot be right', () => {
  for (const [lang, example] of [['nl', /06 12345678/], ['en', /06 12345678/]] as const) {
    for (const wrong of ['12345', '+31 6 1234', '06 1234567', '06 123456789', '020 12345678', '06 1234 567a']) {
      it(`${lang}, "${wrong}": one short line right above the field, in its description, with the focus there`, async () => {
        const f = await form(INVALID, lang);
        await f.send(wrong);
        const error = f.phone.previousElementSibling as HTMLElement;
        // placed as every field's error: between the label (and hint) and the field
        expect(error.classList.contains('error')).toBe(true);
        const said = text(error);
        expect(said).toMatch(example); // says what a right number looks like
        expect(said.length, said).toBeLessThanOrEqual(SHORT);
        expect(said).not.toContain(' / '); // in the resident's language only
        expect(description(f.phone)).toContain(said);
        expect(f.phone.getAttribute('aria-invalid')).toBe('true');
        expect(f.root.activeElement).toBe(f.phone);
        expect(f.phone.value).toBe(wrong); // nothing typed is lost
        expect(text(f.el.querySelector('[role=alert]'))).toBe(lang === 'nl' ? 'Controleer de gegevens.' : 'Please check the details.');
      });
    }
  }

  it('goes once the number is corrected, and the request is made', async () => {
    const f = await form(CREATED);
    await f.send('06 1234567');
    expect(f.phone.getAttribute('aria-invalid')).toBe('true');
    await f.send('06 12345678');
    expect(f.requests()).toEqual([expect.objectContaining({ phone: '06 12345678' })]);
    expect(text(f.root.querySelector('h3'))).toBe('Wij bellen u terug');
  });
});

describe('a number the service may take', () => {
  // the widget is never stricter than the service: these all reach it, as typed
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
      body: { title: 'Ongeldige invoer', errors: [{ field: 'phone', message: 'Wij bellen geen betaalnummers, zoals 0900, 0906 of 0909. '
        + 'Geef een gewoon vast of mobiel nummer. / We do not call premium-rate numbers, such as 0900, 0906 or 0909. Give an ordinary landline or mobile number.' }] },
    });
    await f.send('0900 1234567');
    expect(f.requests()).toHaveLength(1);
    expect(description(f.phone)).toContain('Wij bellen geen betaalnummers');
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
