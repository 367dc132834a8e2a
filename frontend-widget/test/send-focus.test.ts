// @vitest-environment happy-dom
// A resident on a phone taps "Verstuur": the message goes, and the message box has the focus
// again, so the on-screen keyboard stays up for the next line (with the focus left on the button
// the keyboard went down after every message, and the resident had to tap the box again).
import { afterEach, describe, expect, it } from 'vitest';
import type { PendingMessage } from '../src/protocol';
import { ChatView } from '../src/screens/chat';
import { STRINGS } from '../src/strings';
import { chatActions } from './dom-helpers';

afterEach(() => {
  document.body.innerHTML = '';
});

function chat(sent: string[], accept = true): ChatView {
  const view = new ChatView(STRINGS.nl, 'nl', chatActions({
    send: (text) => {
      sent.push(text);
      return accept ? ({ clientMsgId: 'c1', text, status: 'sending' } as unknown as PendingMessage) : null;
    },
  }));
  document.body.append(view.el);
  view.state({ type: 'state', state: 'active', agentName: 'Anne' });
  return view;
}

const sendButton = (view: ChatView) => view.el.querySelector<HTMLButtonElement>('.composer button[type=submit]')!;

describe('sending with the Verstuur button', () => {
  it('empties the message box and gives it the focus back', () => {
    const sent: string[] = [];
    const view = chat(sent);
    const box = view.el.querySelector('textarea')!;
    box.focus();
    box.value = 'Mijn paspoort is verlopen';
    // a tap on the button moves the focus to it, then submits the form
    const button = sendButton(view);
    button.focus();
    button.click();
    expect(sent).toEqual(['Mijn paspoort is verlopen']);
    expect(box.value).toBe('');
    expect(document.activeElement).toBe(box);
  });

  it('gives the focus back to the message box also when the message could not go (what was typed stays)', () => {
    const sent: string[] = [];
    const view = chat(sent, false);
    const box = view.el.querySelector('textarea')!;
    box.value = 'Nog een vraag';
    const button = sendButton(view);
    button.focus();
    button.click();
    expect(box.value).toBe('Nog een vraag');
    expect(document.activeElement).toBe(box);
  });

  it('an empty box: nothing is sent, and the focus goes to the box to type in', () => {
    const sent: string[] = [];
    const view = chat(sent);
    const button = sendButton(view);
    button.focus();
    button.click();
    expect(sent).toEqual([]);
    expect(document.activeElement).toBe(view.el.querySelector('textarea'));
  });
});
