// @vitest-environment happy-dom
// The end of a conversation: the rating form, and where the focus goes once it is sent.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api';
import { endedView } from '../src/screens/ended';
import type { StateEvent } from '../src/protocol';
import { STRINGS } from '../src/strings';
import { dropFocus, settle } from './dom-helpers';

afterEach(() => {
  document.body.innerHTML = '';
});

/** The ended screen of a conversation an agent closed, in a shadow root as the widget has it. */
function ended(rate: () => Promise<void>, transcript: () => Promise<void> = async () => {}) {
  const host = document.createElement('div');
  document.body.append(host);
  const root = host.attachShadow({ mode: 'open' });
  const ev = { type: 'state', state: 'closed', reason: 'closed' } as unknown as StateEvent;
  const view = endedView(ev, { s: STRINGS.nl, rated: () => false, rate, transcript, newQuestion: () => {} });
  root.append(...view.nodes);
  return root;
}

describe('a rating sent', () => {
  it('moves the focus from the removed form to the thanks, which a screen reader says', async () => {
    const root = ended(async () => {});
    (root.querySelector('.score') as HTMLButtonElement).click();
    const submit = root.querySelector('form button[type=submit]') as HTMLButtonElement;
    submit.focus();
    (root.querySelector('form') as HTMLFormElement).requestSubmit();
    dropFocus(); // as Chromium does with a focused button that is disabled while the rating is on its way
    await settle();
    expect(root.querySelector('form')).toBeNull();
    const thanks = [...root.querySelectorAll('p')].find((p) => p.textContent === 'Bedankt voor uw beoordeling.');
    expect(thanks?.closest('[role=status]')).not.toBeNull();
    expect(root.activeElement).toBe(thanks);
  });

  it('leaves the focus alone when the resident had moved on while it was on its way', async () => {
    let done = () => {};
    const root = ended(() => new Promise<void>((ok) => (done = ok)));
    (root.querySelector('.score') as HTMLButtonElement).click();
    (root.querySelector('form') as HTMLFormElement).requestSubmit();
    const newQuestion = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Nieuwe vraag')!;
    newQuestion.focus();
    done();
    await settle();
    expect(root.querySelector('form')).toBeNull();
    expect(root.activeElement).toBe(newQuestion);
  });
});

describe('the transcript download', () => {
  it('says why when the service no longer lets the page read the conversation (access-ended)', async () => {
    const refused = new ApiError(403, 'Dit gesprek is beëindigd en is hier niet meer te lezen. / This conversation has ended and can no longer be read here.',
      [], { type: '/problems/access-ended', status: 403 });
    const root = ended(async () => {}, () => Promise.reject(refused));
    [...root.querySelectorAll('button')].find((b) => b.textContent === 'Download het gesprek')!.click();
    await settle();
    await settle();
    expect([...root.querySelectorAll('[role=alert]')].map((e) => e.textContent).filter(Boolean))
      .toEqual(['Het gesprek is te lang geleden beëindigd om het hier nog te downloaden.']);
  });
});
