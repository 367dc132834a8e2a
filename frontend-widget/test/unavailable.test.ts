// @vitest-environment happy-dom
// The service answers 503 for two reasons, and the widget must tell them apart. `busy` (a start
// turned away because this node's line of new chats is full) is a capacity refusal: a callback
// is offered. `unavailable` (the database down or out of connections, with Retry-After), any
// other 5xx and no answer at all are passing: a callback request would fail just the same, so
// the widget says the chat is briefly unavailable, tries again by itself and keeps what was typed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Api, ApiError, isCapacityRefusal, isPassing, retryAfterSeconds } from '../src/api';
import { AUTO_RETRIES, MAX_RETRY_MS, retryDelay } from '../src/retry';
import { Widget } from '../src/widget';
import { STARTED, stubFetch, text, topic, type Answer } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

/** As ProblemMappers answers when the database cannot be reached or has no connection free in time. */
const UNAVAILABLE: Answer = {
  status: 503,
  headers: { 'Retry-After': '10' },
  body: {
    type: '/problems/unavailable',
    title: 'Tijdelijk niet beschikbaar / Temporarily unavailable',
    status: 503,
    detail: 'Probeer het over een paar seconden opnieuw. / Try again in a few seconds.',
  },
};
/** As ArrivalGate answers when this node's line of starts is full. */
const BUSY: Answer = {
  status: 503,
  headers: { 'Retry-After': '60' },
  body: { type: '/problems/busy', title: 'Het is nu erg druk / It is very busy right now', status: 503 },
};


let sockets: FakeSocket[] = [];
/** Let promise callbacks run, and time pass on the fake clock. */
const tick = (ms = 0) => vi.advanceTimersByTimeAsync(ms);

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.spyOn(Math, 'random').mockReturnValue(0); // no jitter: the waits are exact
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear(); // the site's other tabs keep nothing either
});

describe('the answer of a failed call', () => {
  it('carries the problem code and Retry-After', async () => {
    stubFetch({ '/api/v1/conversations': UNAVAILABLE });
    const err = await new Api('https://loket.example').start('paspoort-id', undefined, 'nl').catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(503);
    expect(err.code).toBe('unavailable');
    expect(err.retryAfter).toBe(10);
  });

  it('reads Retry-After as seconds or as a date; without one, or unreadable, null', () => {
    const now = Date.parse('2026-12-06T10:00:00Z');
    expect(retryAfterSeconds('60', now)).toBe(60);
    expect(retryAfterSeconds('Sun, 06 Dec 2026 10:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Sun, 06 Dec 2026 09:59:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds('soon', now)).toBeNull();
  });

  it('is a capacity refusal only as 503 busy; unavailable, other 5xx and no answer are passing', () => {
    const problem = (status: number, type?: string) => new ApiError(status, 'x', [], type ? { type } : {});
    expect(isCapacityRefusal(problem(503, '/problems/busy'))).toBe(true);
    expect(isPassing(problem(503, '/problems/busy'))).toBe(false);
    for (const err of [problem(503, '/problems/unavailable'), problem(503), problem(500, '/problems/internal'), problem(502), problem(504), problem(0)]) {
      expect(isCapacityRefusal(err), `${err.status} ${err.code}`).toBe(false);
      expect(isPassing(err), `${err.status} ${err.code}`).toBe(true);
    }
    for (const err of [problem(400, '/problems/validation'), problem(409, '/problems/topic-closed'), problem(429, '/problems/rate-limited'), new Error('x')]) {
      expect(isPassing(err)).toBe(false);
    }
  });
});

describe('the wait before trying again by itself', () => {
  it('backs off from 2 s, never before Retry-After, never more than a minute', () => {
    const none = () => 0;
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelay(n, null, none))).toEqual([2000, 4000, 8000, 16000, 32000, 60000]);
    expect([0, 1, 2, 3, 4].map((n) => retryDelay(n, 10, none))).toEqual([10000, 10000, 10000, 16000, 32000]);
    expect(retryDelay(0, 3600, none)).toBe(MAX_RETRY_MS);
  });

  it('spreads residents who failed together by up to a fifth, within the cap', () => {
    expect(retryDelay(0, 10, () => 0.999)).toBe(11998);
    expect(retryDelay(0, 10, () => 0.5)).toBe(11000);
    expect(retryDelay(4, 55, () => 0.999)).toBe(MAX_RETRY_MS);
  });
});

describe('starting a chat while the service is briefly unavailable', () => {
  /** The resident chooses the topic, types a name on the house rules and presses "Start de chat". */
  async function startWith(start: Answer | Answer[], lang: 'nl' | 'en' = 'nl') {
    const asked = stubFetch({
      '/api/v1/topics': { status: 200, body: [topic] },
      '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
      '/api/v1/conversations': start,
      '/api/v1/callbacks': UNAVAILABLE,
    });
    sockets = recordSockets();
    const host = document.createElement('div');
    document.body.append(host);
    new Widget({ baseUrl: 'https://loket.example', lang }, host).open();
    const root = host.shadowRoot!;
    await tick();
    (root.querySelector('.topic-btn') as HTMLButtonElement).click();
    await tick();
    (root.querySelector('input[autocomplete=name]') as HTMLInputElement).value = 'Jan de Vries';
    (root.querySelector('form button[type=submit]') as HTMLButtonElement).click();
    await tick();
    return {
      root,
      starts: () => asked.filter((p) => p === '/api/v1/conversations').length,
      status: () => root.querySelector('.unavailable [role=status]'),
      again: () => [...root.querySelectorAll('button')].find((b) => b.textContent === (lang === 'en' ? 'Try again' : 'Opnieuw proberen')),
      name: () => (root.querySelector('input[autocomplete=name]') as HTMLInputElement | null)?.value,
      heading: () => text(root.querySelector('h3')),
    };
  }

  it('offers no callback on 503 unavailable: it says so politely, keeps the name and tries again after Retry-After', async () => {
    const w = await startWith([UNAVAILABLE, STARTED]);
    // still the house rules, with what the resident typed; no callback form that would fail the same way
    expect(w.heading()).toBe('Voordat u begint');
    expect(w.root.querySelector('form.callback')).toBeNull();
    expect(w.name()).toBe('Jan de Vries');
    expect(text(w.status())).toBe('De chat is even niet beschikbaar. Wij proberen het over 10 seconden vanzelf opnieuw. Wat u hebt ingevuld, blijft staan.');
    expect(text(w.root.querySelector('[role=alert]'))).toBe('');
    expect(w.again()?.hidden).toBe(false);
    expect(w.starts()).toBe(1);

    await tick(9999);
    expect(w.starts()).toBe(1); // not before Retry-After
    await tick(1);
    expect(w.starts()).toBe(2);
    await tick();
    // the second try worked: the chat, in the queue, with the name it was started with
    expect(text(w.root.querySelector('.chat .queue'))).toMatch(/^U bent nummer 3 in de wachtrij\./);
    expect(sockets).toHaveLength(1);
    expect(sockets[0].url).toContain('/ws/resident/c9');
  });

  it('sends the name it kept with the try by itself', async () => {
    const w = await startWith([UNAVAILABLE, STARTED]);
    await tick(10000);
    const fetch = globalThis.fetch as unknown as { mock: { calls: [string, RequestInit][] } };
    const bodies = fetch.mock.calls.filter(([url]) => url.endsWith('/api/v1/conversations')).map(([, init]) => JSON.parse(String(init.body)));
    expect(w.starts()).toBe(2);
    const startKey = bodies[0].startKey;
    expect(bodies).toEqual([
      { topic: 'paspoort-id', name: 'Jan de Vries', locale: 'nl', startKey },
      { topic: 'paspoort-id', name: 'Jan de Vries', locale: 'nl', startKey },
    ]);
  });

  it('sends one start key with every try of a start whose answer was lost, and a new one for the next start', async () => {
    // no answer at all (a phone's link): the service may have made the conversation; the same key
    // makes the try sent again answer that conversation instead of a second one
    const w = await startWith(['network-down', 'network-down', STARTED]);
    await tick(2000);
    w.again()!.click();
    await tick();
    const keys = () => (globalThis.fetch as unknown as { mock: { calls: [string, RequestInit][] } }).mock.calls
      .filter(([url]) => url.endsWith('/api/v1/conversations')).map(([, init]) => JSON.parse(String(init.body)).startKey);
    expect(w.starts()).toBe(3);
    expect(keys()[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(new Set(keys()).size).toBe(1);
    expect(text(w.root.querySelector('.chat .queue'))).toMatch(/^U bent nummer 3 in de wachtrij\./);

    // another start (after this chat, say, a new one from the house rules) is another conversation
    document.body.innerHTML = '';
    sessionStorage.clear();
    localStorage.clear();
    const first = keys()[0];
    const other = await startWith(STARTED);
    expect(other.starts()).toBe(1);
    expect(keys()[0]).toMatch(/^[0-9a-f]{32}$/);
    expect(keys()[0]).not.toBe(first);
  });

  it('still offers a callback when the start is refused for capacity (503 busy)', async () => {
    const w = await startWith(BUSY);
    await tick();
    expect(text(w.root.querySelector('form.callback h3'))).toBe('Terugbelverzoek');
    await tick(120000);
    expect(w.starts()).toBe(1);
  });

  it('says why a start is refused for too many chats from one address (a household, or a phone network sharing it), in the resident\'s language', async () => {
    const TOO_MANY: Answer = {
      status: 429,
      body: {
        type: '/problems/too-many-conversations',
        title: 'Vanaf dit adres lopen al 3 gesprekken. Sluit er een af of probeer het later opnieuw. / There are already 3 open conversations from this address. Close one or try again later.',
        status: 429,
      },
    };
    for (const lang of ['nl', 'en'] as const) {
      const w = await startWith(TOO_MANY, lang);
      expect(text(w.root.querySelector('[role=alert]'))).toBe(lang === 'nl'
        ? 'Vanaf dit adres lopen al 3 gesprekken. Sluit er een af of probeer het later opnieuw.'
        : 'There are already 3 open conversations from this address. Close one or try again later.');
      expect(w.name()).toBe('Jan de Vries');
      document.body.innerHTML = '';
    }
  });

  it('treats a 503 without a problem (a proxy in front), a 500 and no answer at all as passing too', async () => {
    for (const failure of [{ status: 503 }, { status: 500, body: { type: '/problems/internal', status: 500 } }, 'network-down'] as Answer[]) {
      const w = await startWith([failure, STARTED]);
      expect(w.root.querySelector('form.callback')).toBeNull();
      // no Retry-After: the first wait is the back-off's 2 s
      expect(text(w.status())).toBe('De chat is even niet beschikbaar. Wij proberen het over 2 seconden vanzelf opnieuw. Wat u hebt ingevuld, blijft staan.');
      expect(w.name()).toBe('Jan de Vries');
      await tick(2000);
      await tick();
      expect(w.starts()).toBe(2);
      expect(w.root.querySelector('.chat')).not.toBeNull();
      document.body.innerHTML = '';
      sessionStorage.clear(); // the chat it started is not resumed by the next widget
      localStorage.clear(); // the site's other tabs keep nothing either
    }
  });

  it('tries at once on "Opnieuw proberen", without a second try from the old timer', async () => {
    const w = await startWith([UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, STARTED]);
    await tick(3000);
    w.again()!.click();
    await tick();
    expect(w.starts()).toBe(2);
    // the resident asked: the waits start afresh from here, and the earlier one (at 10 s) is gone
    expect(text(w.status())).toBe('De chat is even niet beschikbaar. Wij proberen het over 10 seconden vanzelf opnieuw. Wat u hebt ingevuld, blijft staan.');
    await tick(9999);
    expect(w.starts()).toBe(2);
    await tick(1);
    expect(w.starts()).toBe(3);
  });

  it(`stops trying by itself after ${AUTO_RETRIES} tries and says so; the resident can still try`, async () => {
    const w = await startWith([...Array(AUTO_RETRIES + 1).fill(UNAVAILABLE), STARTED]);
    for (const wait of [10000, 10000, 10000, 16000, 32000]) {
      const before = w.starts();
      await tick(wait - 1);
      expect(w.starts()).toBe(before);
      await tick(1);
      expect(w.starts()).toBe(before + 1);
    }
    expect(text(w.status())).toBe('De chat is nog steeds niet beschikbaar. Wat u hebt ingevuld, blijft staan. Probeer het over een paar minuten opnieuw.');
    await tick(600000);
    expect(w.starts()).toBe(AUTO_RETRIES + 1);
    expect(w.name()).toBe('Jan de Vries');
    w.again()!.click();
    await tick();
    expect(w.starts()).toBe(AUTO_RETRIES + 2);
    expect(w.root.querySelector('.chat')).not.toBeNull();
  });

  it('stops trying when the resident goes back', async () => {
    const w = await startWith([UNAVAILABLE, STARTED]);
    [...w.root.querySelectorAll('button')].find((b) => b.textContent === 'Terug')!.click();
    await tick(60000);
    expect(w.starts()).toBe(1);
    expect(w.heading()).toBe('Waarover gaat uw vraag?');
    expect(sockets).toHaveLength(0);
  });

  describe('and the resident goes back', () => {
    const topics = 'Waarover gaat uw vraag?';
    /** "Terug", and the topic list loaded again. */
    async function back(root: ShadowRoot) {
      [...root.querySelectorAll('button')].find((b) => b.textContent === 'Terug')!.click();
      await tick();
    }
    /** An answer that comes only when the test lets it: the start is in flight until then. */
    function slow(answer: Exclude<Answer, 'network-down'>) {
      let release!: () => void;
      const until = new Promise<void>((r) => (release = r));
      return { answer: { ...answer, until }, release };
    }
    /** The resident chooses the (first) topic again and presses "Start de chat". */
    async function startAgain(root: ShadowRoot) {
      (root.querySelector('.topic-btn') as HTMLButtonElement).click();
      await tick();
      (root.querySelector('form button[type=submit]') as HTMLButtonElement).click();
      await tick();
    }
    const saved = () => sessionStorage.getItem('loket.widget.v1');

    it('tries no more after "Terug" in the wait between tries, also with the house rules open again', async () => {
      const w = await startWith([UNAVAILABLE, UNAVAILABLE, STARTED]);
      await tick(10000); // the first try by itself, failed too
      expect(w.starts()).toBe(2);
      await back(w.root);
      expect(vi.getTimerCount()).toBe(0); // the next try's timer is gone, not only idle
      (w.root.querySelector('.topic-btn') as HTMLButtonElement).click();
      await tick(120000);
      expect(w.starts()).toBe(2);
      expect(w.heading()).toBe('Voordat u begint');
      expect(sockets).toHaveLength(0);
    });

    it('tries no more when a try in flight at "Terug" fails, and leaves no timer', async () => {
      const late = slow(UNAVAILABLE);
      const w = await startWith([UNAVAILABLE, late.answer, STARTED]);
      await tick(10000); // the first try by itself is under way
      expect(w.starts()).toBe(2);
      await back(w.root);
      late.release();
      await tick();
      expect(vi.getTimerCount()).toBe(0);
      await tick(120000);
      expect(w.starts()).toBe(2);
      expect(w.heading()).toBe(topics);
    });

    it('ends a start that succeeds after "Terug": no chat, nothing kept, left with its own token', async () => {
      const late = slow(STARTED);
      const w = await startWith(late.answer);
      await back(w.root);
      late.release();
      await tick();
      // the resident stays where they went; the widget keeps nothing of the conversation
      expect(w.heading()).toBe(topics);
      expect(w.root.querySelector('.chat')).toBeNull();
      expect(saved()).toBeNull();
      // ended as a resident leaving the queue ends it: `leave` on its socket, with its token
      expect(sockets).toHaveLength(1);
      expect(sockets[0].url).toContain('/ws/resident/c9');
      expect(sockets[0].protocols[1]).toContain(encodeURIComponent('Bearer t9'));
      sockets[0].open();
      sockets[0].push({ type: 'state', state: 'queued', position: 3, estimatedWaitSeconds: 600 });
      expect(sockets[0].sent).toEqual([{ type: 'leave' }]);
      sockets[0].push({ type: 'state', state: 'abandoned', reason: 'resident_left' });
      expect(sockets[0].readyState).toBe(3); // closed: done with it
      await tick(600000);
      expect(sockets).toHaveLength(1);
      expect(w.heading()).toBe(topics);
      expect((w.root.querySelector('.conn') as HTMLElement).hidden).toBe(true); // no connection line for it
      expect(saved()).toBeNull();
    });

    it('also after a try by itself that was in flight at "Terug"', async () => {
      const late = slow(STARTED);
      const w = await startWith([UNAVAILABLE, late.answer]);
      await tick(10000);
      expect(w.starts()).toBe(2);
      await back(w.root);
      late.release();
      await tick();
      expect(w.root.querySelector('.chat')).toBeNull();
      expect(saved()).toBeNull();
      sockets[0].open();
      expect(sockets[0].sent).toEqual([{ type: 'leave' }]);
    });

    it('gives up ending it when the socket does not work, and leaves it to the grace period', async () => {
      const late = slow(STARTED);
      const w = await startWith(late.answer);
      await back(w.root);
      late.release();
      await tick();
      // every connection fails: it tries again a few times, for half a minute
      for (let ms = 0; ms < 30000; ms += 500) {
        for (const x of sockets) if (x.readyState !== 3) x.drop(1006);
        await tick(500);
      }
      const tried = sockets.length;
      expect(tried).toBeGreaterThan(1);
      await tick(600000);
      expect(sockets).toHaveLength(tried);
      expect(vi.getTimerCount()).toBe(0);
      expect(w.heading()).toBe(topics);
      expect(saved()).toBeNull();
    });

    it('shows no callback form for a start refused after "Terug"', async () => {
      const late = slow(BUSY);
      const w = await startWith(late.answer);
      await back(w.root);
      late.release();
      await tick();
      expect(w.root.querySelector('form.callback')).toBeNull();
      expect(w.heading()).toBe(topics);
    });

    it('counts only the newest start: the one in flight before it is ended when it succeeds', async () => {
      const late = slow(STARTED);
      const w = await startWith([late.answer, {
        status: 201,
        body: { id: 'c10', token: 't10', topic: 'paspoort-id', state: 'queued', position: 4, estimatedWaitSeconds: 600 },
      }]);
      await back(w.root);
      await startAgain(w.root);
      expect(w.starts()).toBe(2);
      expect(text(w.root.querySelector('.chat .queue'))).toMatch(/^U bent nummer 4 in de wachtrij\./);
      expect(sockets).toHaveLength(1);
      expect(sockets[0].url).toContain('/ws/resident/c10');
      late.release();
      await tick();
      // the chat of the newest start stays, and it is the one kept
      expect(text(w.root.querySelector('.chat .queue'))).toMatch(/^U bent nummer 4 in de wachtrij\./);
      expect(JSON.parse(saved()!)).toMatchObject({ id: 'c10', token: 't10' });
      expect(sockets).toHaveLength(2);
      expect(sockets[1].url).toContain('/ws/resident/c9');
      sockets[0].open();
      sockets[1].open();
      expect(sockets[1].sent).toEqual([{ type: 'leave' }]);
      expect(sockets[0].sent).toEqual([]);
      sockets[1].push({ type: 'state', state: 'abandoned', reason: 'resident_left' });
      sockets[0].push({ type: 'state', state: 'queued', position: 4, estimatedWaitSeconds: 600 });
      expect(sockets[1].readyState).toBe(3);
      // the new chat goes on as before, its connection line its own
      expect((w.root.querySelector('.chat .end') as HTMLElement).hidden).toBe(true);
      expect(w.root.querySelector('.conn')?.className).toBe('conn is-online');
      expect(text(w.root.querySelector('.chat .queue'))).toMatch(/^U bent nummer 4 in de wachtrij\./);
      expect(JSON.parse(saved()!)).toMatchObject({ id: 'c10' });
    });
  });

  it('says it in English', async () => {
    const w = await startWith([UNAVAILABLE, STARTED], 'en');
    expect(text(w.status())).toBe('The chat is briefly unavailable. We will try again by ourselves in 10 seconds. What you entered stays.');
    expect(w.again()).toBeTruthy();
  });
});

describe('the callback form while the service is briefly unavailable', () => {
  it('keeps the phone number and name and says what happened', async () => {
    stubFetch({
      '/api/v1/topics': { status: 200, body: [{ ...topic, callbackOffered: true, callbackReason: 'no_agents' }] },
      '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
      '/api/v1/callbacks': [UNAVAILABLE, { status: 201, body: { id: 'cb-1', token: 'tcb' } }],
    });
    const host = document.createElement('div');
    document.body.append(host);
    new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host).open();
    const root = host.shadowRoot!;
    await tick();
    (root.querySelector('.topic-btn') as HTMLButtonElement).click();
    await tick();
    const form = root.querySelector('form.callback') as HTMLFormElement;
    (form.querySelector('input[type=tel]') as HTMLInputElement).value = '06 12345678';
    (form.querySelector('input[autocomplete=name]') as HTMLInputElement).value = 'Jan de Vries';
    (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await tick();
    expect(root.querySelector('form.callback')).toBe(form);
    expect((form.querySelector('input[type=tel]') as HTMLInputElement).value).toBe('06 12345678');
    expect((form.querySelector('input[autocomplete=name]') as HTMLInputElement).value).toBe('Jan de Vries');
    expect(text(form.querySelector('[role=alert]'))).toBe(
      'Het lukt even niet om uw verzoek te versturen: de dienst is tijdelijk niet beschikbaar. Uw gegevens staan nog in het formulier. Probeer het over een paar seconden opnieuw.');
    expect((form.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
    // sent again, it arrives
    (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await tick();
    expect(text(root.querySelector('h3'))).toBe('Wij bellen u terug');
  });
});

describe('the callback form refused for too many open requests from one address', () => {
  const MESSAGE = 'Vanaf dit adres staan al 3 terugbelverzoeken open. Trek er een in of probeer het later opnieuw. '
    + '/ There are already 3 open callback requests from this address. Cancel one or try again later.';
  /** As ProblemMappers answers CallbackService's refusal. */
  const TOO_MANY: Answer = {
    status: 429,
    body: { type: '/problems/too-many-callbacks', title: MESSAGE, status: 429, detail: MESSAGE },
  };

  it('says why in the resident\'s language and keeps what was typed', async () => {
    for (const lang of ['nl', 'en'] as const) {
      stubFetch({
        '/api/v1/topics': { status: 200, body: [{ ...topic, callbackOffered: true, callbackReason: 'no_agents' }] },
        '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
        '/api/v1/callbacks': TOO_MANY,
      });
      const host = document.createElement('div');
      document.body.append(host);
      new Widget({ baseUrl: 'https://loket.example', lang }, host).open();
      const root = host.shadowRoot!;
      await tick();
      (root.querySelector('.topic-btn') as HTMLButtonElement).click();
      await tick();
      const form = root.querySelector('form.callback') as HTMLFormElement;
      (form.querySelector('input[type=tel]') as HTMLInputElement).value = '06 12345678';
      (form.querySelector('button[type=submit]') as HTMLButtonElement).click();
      await tick();
      expect(root.querySelector('form.callback')).toBe(form);
      expect(text(form.querySelector('[role=alert]'))).toBe(lang === 'nl'
        ? 'Vanaf dit adres staan al 3 terugbelverzoeken open. Trek er een in of probeer het later opnieuw.'
        : 'There are already 3 open callback requests from this address. Cancel one or try again later.');
      expect((form.querySelector('input[type=tel]') as HTMLInputElement).value).toBe('06 12345678');
      expect((form.querySelector('button[type=submit]') as HTMLButtonElement).disabled).toBe(false);
      document.body.innerHTML = '';
      vi.unstubAllGlobals();
    }
  });
});
