// @vitest-environment happy-dom
// The confirmation of a callback request once the resident cancels it: what it says, where the focus goes.
import { afterEach, describe, expect, it } from 'vitest';
import { callbackDoneView } from '../src/screens/callback-done';
import { STRINGS } from '../src/strings';
import { dropFocus, settle, text } from './dom-helpers';

afterEach(() => {
  document.body.innerHTML = '';
});

/** The confirmation of a request made from the topic list, in a shadow root as the widget has it. */
function confirmation(cancel: () => Promise<void>) {
  const host = document.createElement('div');
  document.body.append(host);
  const root = host.attachShadow({ mode: 'open' });
  root.append(callbackDoneView({
    s: STRINGS.nl,
    saved: { kind: 'callback', id: 'cb1', token: 't', topic: 'rijbewijs', topicName: 'Rijbewijs', window: 'asap' },
    callbackId: 'cb1',
    reference: '1Z74-T8GR',
    phoneEnd: '78',
    cancelled: false,
    cancel,
    markCancelled: () => {},
    transcript: null,
    newQuestion: () => {},
  }));
  return root;
}

const button = (root: ShadowRoot, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent === name)!;

describe('a callback request cancelled', () => {
  it('no longer says that we will call, and moves the focus from the removed button to the heading', async () => {
    const root = confirmation(async () => {});
    const cancel = button(root, 'Terugbelverzoek intrekken');
    cancel.click();
    const yes = button(root, 'Ja, intrekken');
    yes.focus();
    yes.click();
    dropFocus(); // as Chromium does with a focused button that is disabled while the request is on its way
    await settle();
    expect(cancel.isConnected).toBe(false);
    expect(yes.isConnected).toBe(false);
    const heading = root.querySelector('h3')!;
    expect(text(heading)).toBe('Uw terugbelverzoek is ingetrokken.');
    expect(text(root.firstElementChild)).not.toContain('Wij bellen u terug');
    expect(text(root.firstElementChild)).not.toContain('Wanneer:');
    expect(text(root.firstElementChild)).not.toContain('Wij bellen u op');
    expect(text(root.querySelector('.ref'))).toBe('Uw referentie: 1Z74-T8GR'); // still there to quote
    expect(root.activeElement).toBe(heading);
  });

  it('is said by a screen reader when the focus had moved on meanwhile, and leaves the focus there', async () => {
    let done = () => {};
    const root = confirmation(() => new Promise<void>((ok) => (done = ok)));
    button(root, 'Terugbelverzoek intrekken').click();
    button(root, 'Ja, intrekken').click();
    const newQuestion = button(root, 'Nieuwe vraag');
    newQuestion.focus();
    done();
    await settle();
    expect(text(root.querySelector('[role=status]'))).toBe('Uw terugbelverzoek is ingetrokken.');
    expect(root.activeElement).toBe(newQuestion);
  });
});

describe('a stray tap on "Terugbelverzoek intrekken"', () => {
  it('cancels nothing: it asks first, and "Nee, niet intrekken" keeps the request and puts the focus back', async () => {
    let cancels = 0;
    const root = confirmation(async () => {
      cancels++;
    });
    const cancel = button(root, 'Terugbelverzoek intrekken');
    cancel.focus();
    cancel.click();
    await settle();
    expect(cancels).toBe(0);
    const question = root.querySelector('[role=group]')!;
    expect(text(question)).toContain('Wilt u uw terugbelverzoek intrekken? Wij bellen u dan niet.');
    // the safe answer first, where the button was, and it has the focus
    const no = button(root, 'Nee, niet intrekken');
    expect(question.querySelector('button')).toBe(no);
    expect(root.activeElement).toBe(no);
    expect(root.getElementById(question.getAttribute('aria-labelledby')!)?.textContent).toContain('Wilt u uw terugbelverzoek intrekken?');
    no.click();
    await settle();
    expect(cancels).toBe(0);
    expect(text(root.querySelector('h3'))).toBe('Wij bellen u terug');
    expect(root.querySelector('[role=group]')).toBeNull();
    expect(root.activeElement).toBe(button(root, 'Terugbelverzoek intrekken'));
  });

  it('asks in English too, and cancels after "Yes, cancel it"', async () => {
    let cancels = 0;
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.append(callbackDoneView({
      s: STRINGS.en,
      saved: { kind: 'callback', id: 'cb1', token: 't', topic: 'rijbewijs', topicName: 'Driving licence', window: 'asap' },
      callbackId: 'cb1',
      cancelled: false,
      cancel: async () => {
        cancels++;
      },
      markCancelled: () => {},
      transcript: null,
      newQuestion: () => {},
    }));
    button(root, 'Cancel callback request').click();
    expect(text(root.querySelector('[role=group]'))).toContain('Do you want to cancel your callback request? We will then not call you.');
    button(root, 'Yes, cancel it').click();
    await settle();
    expect(cancels).toBe(1);
    expect(text(root.querySelector('h3'))).toBe('Your callback request has been cancelled.');
  });
});
