// @vitest-environment happy-dom
// The widget's flow around a conversation as the resident sees it: what is on screen, what is
// said to a screen reader and where the focus goes, driven by frames on a fake socket.
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { ChatView, type ChatActions } from '../src/screens/chat';
import { STRINGS, type Lang } from '../src/strings';
import { Widget } from '../src/widget';
import { chatActions, dropFocus, settle, stubFetch, text } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const SESSION = { kind: 'chat', id: 'c1', token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true };

let sockets: FakeSocket[] = [];

/** The chat screen on its own, in the page. */
function chatView(actions: Partial<ChatActions> = {}): ChatView {
  const view = new ChatView(STRINGS.nl, 'nl', chatActions(actions));
  document.body.append(view.el);
  return view;
}

/** The widget on a page whose tab already holds `session` (a reload in the middle of a chat). */
function resume(session: object = SESSION, lang: Lang = 'nl'): ShadowRoot {
  sessionStorage.setItem('loket.widget.v1', JSON.stringify(session));
  sockets = recordSockets();
  const host = document.createElement('div');
  document.body.append(host);
  new Widget({ baseUrl: 'https://loket.example', lang }, host);
  return host.shadowRoot!;
}

/*
 * Every real timer a test leaves (a widget's reconnect after a drop, its back-off growing while
 * no socket can open) is cleared when the test ends. A widget outlives its test (emptying the page
 * does not stop it): its reconnect fired later, in another test, and opened its socket there,
 * into that test's recordSockets list ('sockets' of length 5 where 1 was expected). Timers set
 * under fake timers are dropped with them (vi.useRealTimers).
 */
const pending = new Set<ReturnType<typeof setTimeout>>();
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
const realClearTimeout = globalThis.clearTimeout;
const realClearInterval = globalThis.clearInterval;
globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
  const id = realSetTimeout(...args);
  pending.add(id);
  return id;
}) as typeof setTimeout;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => {
  const id = realSetInterval(...args);
  pending.add(id);
  return id;
}) as typeof setInterval;

afterEach(() => {
  vi.useRealTimers();
  for (const id of pending) {
    realClearTimeout(id);
    realClearInterval(id);
  }
  pending.clear();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear(); // the site's other tabs keep nothing either
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

describe('a reload while offline', () => {
  // fake timers: the reconnects these tests leave behind never fire into the next test
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    vi.spyOn(Math, 'random').mockReturnValue(0);
  });
  afterEach(() => vi.restoreAllMocks());
  const wait = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

  it('says the conversation is still there and will show again, and the note goes once the history comes', async () => {
    stubFetch({});
    const root = resume({ ...SESSION, pending: [{ clientMsgId: 'm-1', text: 'Mijn paspoort is gestolen', status: 'sent' }] });
    sockets[0].drop(1006); // the phone has no connection: only the unsent message is in this tab
    await wait();
    const note = root.querySelector('.chat .resume-note') as HTMLElement;
    expect(note.hidden).toBe(false);
    expect(text(note)).toBe('Uw gesprek is er nog. Zodra er weer verbinding is, ziet u hier weer de berichten tot nu toe.');
    expect(note.getAttribute('role')).toBe('status');
    // the connection returns: the server replays the history and the note goes
    await wait(2000); // the next try
    const socket = sockets.at(-1)!;
    expect(socket).not.toBe(sockets[0]);
    socket.open();
    socket.push({ type: 'state', state: 'active', agentName: 'Anne' });
    socket.push({ type: 'message', seq: 1, from: 'agent', text: 'Waarmee kan ik u helpen?', sentAt: new Date().toISOString(), agentName: 'Anne' });
    expect(note.hidden).toBe(true);
    expect(text(root.querySelector('.log'))).toContain('Waarmee kan ik u helpen?');
  });

  it('says it in English', async () => {
    stubFetch({});
    const root = resume(SESSION, 'en');
    sockets[0].drop(1006);
    await wait();
    expect(text(root.querySelector('.chat .resume-note'))).toBe(
      'Your conversation is still there. When the connection is back, you will see the messages so far here again.');
  });

  it('says nothing of the kind on a reload with a connection, nor when a chat just started', async () => {
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 1, estimatedWaitSeconds: 60 });
    sockets[0].drop(1006); // a drop later on: the history is on screen already
    await wait();
    expect((root.querySelector('.chat .resume-note') as HTMLElement | null)?.hidden ?? true).toBe(true);
  });
});

describe('a message being typed', () => {
  /** The page comes back in the same tab (a reload, or a phone that discarded the tab while the resident looked up a number). */
  function reload(): ShadowRoot {
    document.body.innerHTML = '';
    sockets = recordSockets();
    const host = document.createElement('div');
    document.body.append(host);
    new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host);
    return host.shadowRoot!;
  }

  function type(root: ShadowRoot, value: string): HTMLTextAreaElement {
    const input = root.querySelector('textarea')!;
    input.value = value;
    input.dispatchEvent(new Event('input'));
    return input;
  }

  it('is still in the message box after a reload, and not once it is sent', async () => {
    stubFetch({});
    let root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    type(root, 'Mijn paspoortnummer is NX5');
    root = reload();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    expect(root.querySelector('textarea')!.value).toBe('Mijn paspoortnummer is NX5');

    type(root, 'Mijn paspoortnummer is NX5 en verloopt morgen');
    (root.querySelector('form.composer') as HTMLFormElement).requestSubmit();
    expect(sockets[0].sent.at(-1)).toMatchObject({ type: 'message', text: 'Mijn paspoortnummer is NX5 en verloopt morgen' });
    root = reload();
    expect(root.querySelector('textarea')!.value).toBe('');
  });
});

describe('an agent who takes the conversation while the panel is closed', () => {
  it('shows the badge on the launcher and is said by a screen reader', async () => {
    stubFetch({});
    const root = resume({ ...SESSION, open: false });
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 1, estimatedWaitSeconds: 60 });
    const badge = root.querySelector('.launcher .badge') as HTMLElement;
    expect(badge.hidden).toBe(true);
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    expect(badge.hidden).toBe(false);
    expect(text(root.querySelector('.loket > [role=status]'))).toBe('Anne heeft uw gesprek aangenomen.');
  });

  it('says nothing again when a reconnect finds the conversation still taken', async () => {
    stubFetch({});
    const root = resume({ ...SESSION, open: false });
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    expect((root.querySelector('.launcher .badge') as HTMLElement).hidden).toBe(true);
  });
});

describe('the connection coming back', () => {
  it('does not say "Verbinding maken…" above "Geen verbinding" when a reload finds no network', async () => {
    stubFetch({});
    const root = resume();
    sockets[0].drop(1006);
    await settle();
    const lines = [...root.querySelectorAll('.chat > p, .head p, .head [role=status]')].map((el) => text(el)).filter(Boolean);
    expect(lines.some((t) => t.startsWith('Geen verbinding.'))).toBe(true);
    expect(lines).not.toContain('Verbinding maken…');
  });
  // said once when it drops and once when it is back: test/announcements.test.ts
});

describe('a notice under the message box', () => {
  it('is said by a screen reader: ending the conversation without a connection', () => {
    const view = chatView({ leave: () => false });
    (view.el.querySelector('.leave') as HTMLButtonElement).click();
    (view.el.querySelector('.confirm button') as HTMLButtonElement).click();
    const notice = [...view.el.querySelectorAll('p')].find((p) => p.textContent === 'Geen verbinding');
    expect(notice).toBeTruthy();
    expect(notice!.closest('[role=status],[role=alert],[aria-live]')).not.toBeNull();
  });

  it('is said by a screen reader: a message that is too long', () => {
    const view = chatView();
    const input = view.el.querySelector('textarea')!;
    input.value = 'a'.repeat(2001);
    (view.el.querySelector('form.composer') as HTMLFormElement).requestSubmit();
    const notice = [...view.el.querySelectorAll('p')].find((p) => p.textContent?.startsWith('Uw bericht is te lang'));
    expect(notice!.closest('[role=status],[role=alert],[aria-live]')).not.toBeNull();
  });
});

describe('a conversation that is no longer there', () => {
  it('puts the focus on "Nieuwe vraag" when it was in the message box', () => {
    const view = chatView();
    view.state({ type: 'state', state: 'active', agentName: 'Anne' });
    view.el.querySelector('textarea')!.focus();
    view.connection('gone');
    expect(text(view.el.querySelector('.end [role=alert]'))).toBe('Dit gesprek is niet meer beschikbaar.');
    expect(document.activeElement?.textContent).toBe('Nieuwe vraag');
  });
});

describe('a conversation the resident ends', () => {
  it('puts the focus on the end\'s heading, though the confirmation that had it is gone', () => {
    const view = chatView({ leave: () => true });
    view.state({ type: 'state', state: 'active', agentName: 'Anne' });
    (view.el.querySelector('.leave') as HTMLButtonElement).click();
    const yes = [...view.el.querySelectorAll('.confirm button')].find((b) => b.textContent === 'Ja, beëindigen') as HTMLButtonElement;
    expect(document.activeElement).toBe(yes);
    yes.click();
    dropFocus(); // as Chromium does with a focused button that is hidden
    view.state({ type: 'state', state: 'closed', reason: 'resident_left' });
    expect(document.activeElement?.tagName).toBe('H3');
    expect(text(document.activeElement)).toBe('U heeft het gesprek beëindigd.');
  });

  it('leaves the focus alone when the agent ends it while the resident is elsewhere on the page', () => {
    const view = chatView();
    view.state({ type: 'state', state: 'active', agentName: 'Anne' });
    const link = document.createElement('a');
    link.href = '#elders';
    document.body.append(link);
    link.focus();
    view.state({ type: 'state', state: 'closed', reason: 'closed' });
    expect(document.activeElement).toBe(link);
  });
});

describe('a message in flight when the conversation ends', () => {
  it('stays on screen as not sent, its text there to copy', async () => {
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    const input = root.querySelector('textarea')!;
    input.value = 'Mag ik nog iets vragen over mijn rijbewijs?';
    (root.querySelector('form.composer') as HTMLFormElement).requestSubmit();
    expect(sockets[0].sent.at(-1)).toMatchObject({ type: 'message', text: 'Mag ik nog iets vragen over mijn rijbewijs?' });
    // the agent closed at the same moment
    sockets[0].push({ type: 'state', state: 'closed', reason: 'closed' });
    const bubble = root.querySelector('.log .msg.pending');
    expect(text(bubble?.querySelector('.text'))).toBe('Mag ik nog iets vragen over mijn rijbewijs?');
    expect(text(bubble?.querySelector('.note'))).toMatch(/^niet verstuurd: het gesprek was al beëindigd/);
    const clientMsgId = String(sockets[0].sent.at(-1)!.clientMsgId);
    sockets[0].push({ type: 'error', code: 'conversation_ended', message: 'Dit gesprek is beëindigd. / This conversation has ended.', clientMsgId });
    expect(text(root.querySelector('.log .msg.pending .note'))).toMatch(/^niet verstuurd: Dit gesprek is beëindigd\./);
    expect(text(root.querySelector('.end h3'))).toBe('Het gesprek is beëindigd.');
  });
});

describe('a message the server could not take', () => {
  function sentMessage(root: ShadowRoot, words: string): string {
    const input = root.querySelector('textarea')!;
    input.value = words;
    (root.querySelector('form.composer') as HTMLFormElement).requestSubmit();
    return String(sockets[0].sent.at(-1)!.clientMsgId);
  }

  it('offers "Opnieuw versturen" after a passing failure, which sends it again as the same message', () => {
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    const id = sentMessage(root, 'Is mijn aanvraag binnen?');
    sockets[0].push({ type: 'error', code: 'internal', message: 'Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.', clientMsgId: id });
    const note = () => root.querySelector('.log .msg.pending .note');
    expect(text(note())).toMatch(/^niet verstuurd: Er ging iets mis; probeer het opnieuw\. Opnieuw versturen/);
    const again = [...note()!.querySelectorAll('button')].find((b) => b.textContent === 'Opnieuw versturen')!;
    again.click();
    expect(sockets[0].sent.at(-1)).toEqual({ type: 'message', clientMsgId: id, text: 'Is mijn aanvraag binnen?' });
    expect(text(note())).toBe('wordt verstuurd');
    // no longer marked as failed while it is on its way
    expect(root.querySelector('.log .msg.pending')!.classList.contains('failed')).toBe(false);
    // and while the chat cannot store it, it says so, not as a failure
    sockets[0].push({ type: 'error', code: 'unavailable', message: 'De chat is even niet bereikbaar; uw bericht wordt zo vanzelf opnieuw verstuurd. / The chat is briefly unavailable; your message will be sent again shortly.', clientMsgId: id });
    expect(text(note())).toBe('de chat is even niet bereikbaar; wordt zo vanzelf opnieuw verstuurd');
    expect(root.querySelector('.log .msg.pending')!.classList.contains('failed')).toBe(false);
    sockets[0].push({ type: 'message', seq: 3, from: 'resident', text: 'Is mijn aanvraag binnen?', sentAt: '2026-12-02T14:30:00Z', clientMsgId: id });
    expect(root.querySelector('.log .msg.pending')).toBeNull();
    expect(root.querySelectorAll('.log .msg.resident')).toHaveLength(1);
  });

  it('shows a message the chat could not store just now as being sent again, and sends it again by itself', () => {
    vi.useFakeTimers();
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    const id = sentMessage(root, 'Is mijn aanvraag binnen?');
    const unavailable = {
      type: 'error',
      code: 'unavailable',
      message: 'De chat is even niet bereikbaar; uw bericht wordt zo vanzelf opnieuw verstuurd. / The chat is briefly unavailable; your message will be sent again shortly.',
      clientMsgId: id,
    };
    const bubble = () => root.querySelector('.log .msg.pending')!;
    const tries = () => sockets[0].sent.filter((f) => f.type === 'message' && f.clientMsgId === id).length;
    // a database restart of a minute: the resident never has to click
    for (let i = 0; i < 6; i++) {
      sockets[0].push(unavailable);
      expect(text(bubble().querySelector('.note'))).toBe('de chat is even niet bereikbaar; wordt zo vanzelf opnieuw verstuurd');
      expect(bubble().classList.contains('failed')).toBe(false);
      expect(bubble().querySelectorAll('button')).toHaveLength(0);
      // the server answers each try at once; the longest wait is 60 s plus up to a fifth
      for (let ms = 0; ms < 72_000 && tries() === i + 1; ms += 100) vi.advanceTimersByTime(100);
      expect(tries()).toBe(i + 2);
      expect(text(bubble().querySelector('.note'))).toBe('de chat is even niet bereikbaar; wordt zo vanzelf opnieuw verstuurd');
    }
    expect(root.querySelector('.notice, [role=alert]')?.textContent ?? '').not.toContain('niet bereikbaar');
    sockets[0].push({ type: 'message', seq: 3, from: 'resident', text: 'Is mijn aanvraag binnen?', sentAt: '2026-12-02T14:30:00Z', clientMsgId: id });
    expect(root.querySelector('.log .msg.pending')).toBeNull();
    expect(root.querySelectorAll('.log .msg.resident')).toHaveLength(1);
  });

  it('offers no "Opnieuw versturen" when the message itself was refused', () => {
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    const id = sentMessage(root, 'Hallo');
    sockets[0].push({ type: 'error', code: 'invalid_message', message: 'Ongeldig bericht. / Invalid message.', clientMsgId: id });
    const note = root.querySelector('.log .msg.pending .note')!;
    expect(text(note)).toMatch(/^niet verstuurd: Ongeldig bericht\./);
    expect([...note.querySelectorAll('button')].map((b) => b.getAttribute('aria-label') ?? b.textContent)).toEqual(['Bericht verwijderen']);
  });
});

describe('a conversation the server no longer has', () => {
  it('shows "niet meer beschikbaar" with "Nieuwe vraag" and forgets the session, instead of reconnecting', async () => {
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'error', code: 'not_found', message: 'Onbekend gesprek. / Unknown conversation.' });
    sockets[0].drop(1008, 'unknown conversation');
    await settle();
    expect(text(root.querySelector('.chat .end [role=alert]'))).toBe('Dit gesprek is niet meer beschikbaar.');
    expect(text(root.querySelector('.chat .end button'))).toBe('Nieuwe vraag');
    expect((root.querySelector('.chat form.composer') as HTMLElement).hidden).toBe(true);
    expect(sessionStorage.getItem('loket.widget.v1')).toBeNull();
    expect(sockets).toHaveLength(1);
  });

  it('offers no "Opnieuw versturen" any more for a message that could not be sent', async () => {
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    const input = root.querySelector('textarea')!;
    input.value = 'Is mijn aanvraag binnen?';
    (root.querySelector('form.composer') as HTMLFormElement).requestSubmit();
    const id = String(sockets[0].sent.at(-1)!.clientMsgId);
    sockets[0].push({ type: 'error', code: 'internal', message: 'Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.', clientMsgId: id });
    const note = () => root.querySelector('.log .msg.pending .note')!;
    expect([...note().querySelectorAll('button')].map((b) => b.textContent)).toContain('Opnieuw versturen');
    sockets[0].push({ type: 'error', code: 'not_found', message: 'Onbekend gesprek. / Unknown conversation.' });
    sockets[0].drop(1008, 'unknown conversation');
    await settle();
    // the text stays to copy, as not sent; only removing it is left
    expect(text(note())).toMatch(/^niet verstuurd/);
    expect([...note().querySelectorAll('button')].map((b) => b.getAttribute('aria-label') ?? b.textContent)).toEqual(['Bericht verwijderen']);
    expect(text(root.querySelector('.log .msg.pending .text'))).toBe('Is mijn aanvraag binnen?');
  });
});

describe('the callback form over a waiting chat', () => {
  const settings = () => stubFetch({ '/api/v1/topics': { status: 200, body: [] }, '/api/v1/settings': { status: 200, body: { retentionDays: 28 } } });
  const invalidState = { type: 'error', code: 'invalid_state', message: 'Een terugbelverzoek kan alleen terwijl u wacht. / A callback can only be requested while waiting.' };

  /** Waiting in the queue, the resident accepts the callback offer: the form covers the chat. */
  async function formOverChat(): Promise<ShadowRoot> {
    settings();
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 6, estimatedWaitSeconds: 1800 });
    sockets[0].push({ type: 'callback_offer', reason: 'long_wait', estimatedWaitSeconds: 1800 });
    (root.querySelector('.offer button.primary') as HTMLButtonElement).click();
    await settle();
    expect((root.querySelector('.chat') as HTMLElement).hidden).toBe(true);
    (root.querySelector('input[type=tel]') as HTMLInputElement).value = '06 12345678';
    return root;
  }

  function submit(root: ShadowRoot): void {
    (root.querySelector('form.callback') as HTMLFormElement).requestSubmit();
    expect(sockets[0].sent.at(-1)).toMatchObject({ type: 'request_callback', phone: '06 12345678' });
    expect(text(root.querySelector('form.callback [role=alert]'))).toBe('Het verzoek wordt verstuurd…');
  }

  it('gives way to the chat when an agent takes the conversation, and says so', async () => {
    const root = await formOverChat();
    submit(root);
    // meanwhile an agent claimed the conversation and said hello; the request came too late
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    sockets[0].push({ type: 'message', seq: 1, from: 'agent', agentName: 'Anne', text: 'Goedemiddag, waarmee kan ik u helpen?', sentAt: '2026-12-02T14:29:06Z' });
    sockets[0].push(invalidState);
    expect(root.querySelector('form.callback')).toBeNull();
    const chat = root.querySelector('.chat') as HTMLElement;
    expect(chat.hidden).toBe(false);
    expect(text(chat.querySelector('.queue'))).toBe('U chat met Anne.');
    expect(text(chat.querySelector('.log'))).toContain('Goedemiddag, waarmee kan ik u helpen?');
    const notice = chat.querySelector('form.composer [role=status]');
    expect(text(notice)).toBe('Anne heeft uw gesprek aangenomen. U kunt nu chatten; er is geen terugbelverzoek gemaakt.');
    expect(root.activeElement).toBe(chat.querySelector('textarea'));
  });

  it('keeps what the resident wrote about her question: it goes into the message box, after her draft', async () => {
    const root = await formOverChat();
    const chat = root.querySelector('.chat') as HTMLElement;
    (chat.querySelector('textarea') as HTMLTextAreaElement).value = 'Mijn container';
    (root.querySelector('form.callback textarea') as HTMLTextAreaElement).value = '  Drie weken niet geleegd.  ';
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    expect(root.querySelector('form.callback')).toBeNull();
    expect((chat.querySelector('textarea') as HTMLTextAreaElement).value).toBe('Mijn container\nDrie weken niet geleegd.');
    expect(text(chat.querySelector('form.composer [role=status]'))).toBe(
      'Anne heeft uw gesprek aangenomen. U kunt nu chatten; er is geen terugbelverzoek gemaakt. Wat u bij "Waar gaat het over?" schreef, staat in het berichtvak.');
    // kept as the draft, so a reload keeps it too
    expect(JSON.parse(sessionStorage.getItem('loket.widget.v1') ?? '{}').draft).toBe('Mijn container\nDrie weken niet geleegd.');
  });

  it('says plainly, in the form, that nothing went without a connection', async () => {
    const root = await formOverChat();
    sockets[0].drop();
    await settle();
    (root.querySelector('form.callback') as HTMLFormElement).requestSubmit();
    expect(text(root.querySelector('form.callback [role=alert]'))).toBe(
      'Geen verbinding. Uw gegevens staan nog in het formulier; verstuur het opnieuw zodra er weer verbinding is.');
    expect((root.querySelector('input[type=tel]') as HTMLInputElement).value).toBe('06 12345678');
  });

  it('reopened after a close, the panel puts the focus in the form, not in the hidden chat under it', async () => {
    const root = await formOverChat();
    (root.querySelector('.panel button.close') as HTMLButtonElement).click();
    (root.querySelector('.launcher') as HTMLButtonElement).click();
    expect(root.activeElement).toBe(root.querySelector('form.callback h3'));
    expect((root.querySelector('input[type=tel]') as HTMLInputElement).value).toBe('06 12345678');
  });

  it('gives way to the chat also when the resident had not sent it yet', async () => {
    const root = await formOverChat();
    sockets[0].push({ type: 'state', state: 'active' });
    expect(root.querySelector('form.callback')).toBeNull();
    expect((root.querySelector('.chat') as HTMLElement).hidden).toBe(false);
    expect(text(root.querySelector('.chat form.composer [role=status]'))).toMatch(/^Een medewerker heeft uw gesprek aangenomen\./);
  });

  it('shows the end of the conversation when it ends meanwhile', async () => {
    const root = await formOverChat();
    sockets[0].push({ type: 'state', state: 'abandoned', reason: 'resident_left' });
    expect(root.querySelector('form.callback')).toBeNull();
    const chat = root.querySelector('.chat') as HTMLElement;
    expect(chat.hidden).toBe(false);
    expect(text(chat.querySelector('.end h3'))).toBe('U staat niet meer in de wachtrij.');
    expect(root.activeElement).toBe(chat.querySelector('.end h3'));
  });

  it('says in the form why the request was refused, when that answer comes first', async () => {
    const root = await formOverChat();
    submit(root);
    sockets[0].push(invalidState);
    const form = root.querySelector('form.callback') as HTMLElement;
    expect(text(form.querySelector('[role=alert]'))).toBe('Een terugbelverzoek kan alleen terwijl u wacht.');
    expect((form.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
  });

  it('says in the form that something went wrong on a passing failure', async () => {
    const root = await formOverChat();
    submit(root);
    sockets[0].push({ type: 'error', code: 'internal', message: 'Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.' });
    expect(text(root.querySelector('form.callback [role=alert]'))).toBe('Er ging iets mis; probeer het opnieuw.');
    expect(text(root.querySelector('.chat form.composer [role=status]'))).toBe('');
  });

  it('says in the form that the connection was lost before an answer came', async () => {
    const root = await formOverChat();
    submit(root);
    sockets[0].drop();
    expect(text(root.querySelector('form.callback [role=alert]'))).toBe('Geen verbinding');
    expect((root.querySelector('form.callback button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
  });

  it('still ends in the confirmation when the request is made', async () => {
    const root = await formOverChat();
    submit(root);
    sockets[0].push({ type: 'state', state: 'callback', reason: 'callback' });
    sockets[0].push({ type: 'callback_created', callbackId: 'cb-1' });
    expect(root.querySelector('form.callback')).toBeNull();
    expect(text(root.querySelector('h3'))).toBe('Wij bellen u terug');
  });
});

describe('the transcript download', () => {
  it.each(['en', 'nl'] as const)('asks for the transcript in the widget\'s language (%s) and names the file in it', async (lang) => {
    stubFetch({ '/api/v1/conversations/c1/transcript': { status: 200, body: 'transcript' } });
    const saved: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download);
    });
    onTestFinished(() => click.mockRestore());
    const root = resume(SESSION, lang);
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' }); // this page saw it open: it shows its end
    sockets[0].push({ type: 'state', state: 'closed', reason: 'closed' });
    const download = [...root.querySelectorAll('.end button')].find((b) => b.textContent === STRINGS[lang].transcript) as HTMLButtonElement;
    download.click();
    await settle();
    await settle();
    const asked = vi.mocked(fetch).mock.calls
      .map(([url, init]) => ({ url: new URL(String(url)), init }))
      .filter((c) => c.url.pathname === '/api/v1/conversations/c1/transcript');
    expect(asked.length).toBeGreaterThan(0);
    const last = asked.at(-1)!;
    expect(last.url.searchParams.get('lang')).toBe(lang);
    expect((last.init?.headers as Record<string, string>).Accept).toBe('text/plain');
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatch(new RegExp(`^${STRINGS[lang].transcriptFile}-\\d{4}-\\d\\d-\\d\\d\\.txt$`));
  });
});

describe('the agent typing', () => {
  it('shows "Anne typt…" and takes it away at once when the agent stops typing without sending (turned to a note)', () => {
    stubFetch({});
    const root = resume();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    const line = root.querySelector('.typing') as HTMLElement;
    sockets[0].push({ type: 'typing', from: 'agent' });
    expect(line.hidden).toBe(false);
    expect(text(line)).toBe('Anne typt…');
    sockets[0].push({ type: 'typing_stopped', from: 'agent' });
    // not after the 5 s the line otherwise stays
    expect(line.hidden).toBe(true);
  });
});

describe('a web address in a message', () => {
  const message = (text: string, from = 'agent') =>
    ({ seq: 1, from, text, sentAt: '2026-12-07T09:00:00Z', agentName: 'Anne' }) as Parameters<ChatView['message']>[0];

  it('is a link that opens in a new tab, without the sentence\'s full stop, with the rest as text', () => {
    const view = chatView();
    view.message(message('Kijk op https://www.gemeente.example/spoed. Of bel 14 020.'));
    const text = view.el.querySelector('.log .msg .text')!;
    const links = [...text.querySelectorAll('a')];
    expect(links.map((a) => [a.getAttribute('href'), a.textContent])).toEqual([
      ['https://www.gemeente.example/spoed', 'https://www.gemeente.example/spoed'],
    ]);
    expect(links[0].getAttribute('target')).toBe('_blank');
    expect(links[0].getAttribute('rel')).toContain('noopener');
    expect(text.textContent).toBe('Kijk op https://www.gemeente.example/spoed. Of bel 14 020.');
  });

  it('is never a link of another kind, markup stays text, and a closing bracket of the sentence is not part of it', () => {
    const view = chatView();
    view.message(message('javascript:alert(1) <a href="https://x.example">x</a> (zie http://a.example/b_(c))', 'resident'));
    const text = view.el.querySelector('.log .msg .text')!;
    expect([...text.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual(['https://x.example', 'http://a.example/b_(c)']);
    expect(text.textContent).toBe('javascript:alert(1) <a href="https://x.example">x</a> (zie http://a.example/b_(c))');
  });
});
