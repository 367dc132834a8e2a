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
    cancel.focus();
    cancel.click();
    dropFocus(); // as Chromium does with a focused button that is disabled while the request is on its way
    await settle();
    expect(cancel.isConnected).toBe(false);
    const heading = root.querySelector('h3')!;
    expect(text(heading)).toBe('Uw terugbelverzoek is ingetrokken.');
    expect(text(root.firstElementChild)).not.toContain('Wij bellen u terug');
    expect(text(root.firstElementChild)).not.toContain('Een medewerker belt u zo snel mogelijk');
    expect(root.activeElement).toBe(heading);
  });

  it('is said by a screen reader when the focus had moved on meanwhile, and leaves the focus there', async () => {
    let done = () => {};
    const root = confirmation(() => new Promise<void>((ok) => (done = ok)));
    button(root, 'Terugbelverzoek intrekken').click();
    const newQuestion = button(root, 'Nieuwe vraag');
    newQuestion.focus();
    done();
    await settle();
    expect(text(root.querySelector('[role=status]'))).toBe('Uw terugbelverzoek is ingetrokken.');
    expect(root.activeElement).toBe(newQuestion);
  });
});
