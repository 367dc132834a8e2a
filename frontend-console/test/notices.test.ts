// The console's notices (under the header): how long each stays, which errors wait for the
// agent, and how many are shown at once on a busy day.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOTICE_BRIEF_MS, NOTICE_INFO_MS, NOTICES_SHOWN, NoticeTimers, noticeLifetime, noticesOnScreen } from '../src/notices';
import type { ServerFrame } from '../src/protocol';
import { type Action, type State, initialState, reduce } from '../src/state';

const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };

function frame(f: ServerFrame, now: number): Action {
  return { type: 'frame', frame: f, now };
}
const error = (code: string, message: string, now: number, ref?: string) => frame({ type: 'error', code, message, ...(ref ? { ref } : {}) }, now);
const start = (): State => reduce(initialState, frame({ type: 'hello', agent, conversations: [] }, 0));
const shown = (s: State) => s.notices.map((n) => (n.count > 1 ? `${n.text} (${n.count}×)` : n.text));

describe('which notices go by themselves', () => {
  it("lets a claim's refusal go after a while; an error the agent must act on stays until dismissed", () => {
    let s = start();
    s = reduce(s, error('already_claimed', 'Dit gesprek is al aangenomen.', 1000, 'claim-1'));
    s = reduce(s, error('nothing_waiting', 'Er wacht niemand.', 1000));
    s = reduce(s, error('internal', 'Afsluiten is niet gelukt.', 1000, 'leave:c1'));
    s = reduce(s, error('unavailable', 'Even niet bereikbaar.', 1000, 'leave:c2'));
    s = reduce(s, { type: 'notice', kind: 'info', text: 'Opgeslagen', now: 1000 });
    expect(s.notices.map((n) => [n.text, noticeLifetime(n)])).toEqual([
      // the oldest of five goes: four are shown at most
      ['Er wacht niemand.', NOTICE_BRIEF_MS],
      ['Afsluiten is niet gelukt.', null],
      ['Even niet bereikbaar.', null],
      ['Opgeslagen', NOTICE_INFO_MS],
    ]);
  });
});

describe('how many notices are shown', () => {
  it('merges the same text repeated into one notice with a count, as the newest', () => {
    let s = start();
    s = reduce(s, error('already_claimed', 'Dit gesprek is al aangenomen.', 1000, 'claim-1'));
    s = reduce(s, error('bad_request', 'Ongeldig bericht.', 2000, 'x-1'));
    s = reduce(s, error('already_claimed', 'Dit gesprek is al aangenomen.', 3000, 'claim-2'));
    s = reduce(s, error('already_claimed', 'Dit gesprek is al aangenomen.', 4000, 'claim-3'));
    expect(shown(s)).toEqual(['Ongeldig bericht.', 'Dit gesprek is al aangenomen. (3×)']);
    // its lifetime runs from the last time it came
    expect(s.notices[1].at).toBe(4000);
  });

  it(`shows at most ${NOTICES_SHOWN}, and makes room by dropping what would go by itself before what waits for the agent`, () => {
    let s = start();
    s = reduce(s, error('internal', 'Afsluiten is niet gelukt.', 1000, 'leave:c1'));
    for (let i = 1; i <= 6; i++) s = reduce(s, error('already_claimed', `Bewoner ${i} is al aangenomen.`, 1000 + i, 'claim-' + i));
    expect(s.notices).toHaveLength(NOTICES_SHOWN);
    expect(shown(s)).toEqual(['Afsluiten is niet gelukt.', 'Bewoner 4 is al aangenomen.', 'Bewoner 5 is al aangenomen.', 'Bewoner 6 is al aangenomen.']);
  });
});

describe('errors the agent must act on are never dropped', () => {
  const fiveToActOn = () => {
    let s = start();
    for (let i = 1; i <= 5; i++) s = reduce(s, error('internal', `Afsluiten van gesprek ${i} is niet gelukt.`, 1000 + i, 'leave:c' + i));
    return s;
  };

  it('keeps a fifth error to act on, and every one before it', () => {
    const s = fiveToActOn();
    expect(shown(s)).toEqual([1, 2, 3, 4, 5].map((i) => `Afsluiten van gesprek ${i} is niet gelukt.`));
  });

  it('shows the newest and says how many more wait, rather than losing one', () => {
    const view = noticesOnScreen(fiveToActOn().notices);
    // the place holds four: three notices and the line that says two more wait
    expect(view.shown.map((n) => n.text)).toEqual([3, 4, 5].map((i) => `Afsluiten van gesprek ${i} is niet gelukt.`));
    expect(view.more).toBe(2);
    expect(view.shown.length + (view.more > 0 ? 1 : 0)).toBe(NOTICES_SHOWN);
  });

  it('closing one brings the next back into view', () => {
    let s = fiveToActOn();
    s = reduce(s, { type: 'notice-dismiss', id: s.notices[4].id });
    const view = noticesOnScreen(s.notices);
    expect(view.shown.map((n) => n.text)).toEqual([1, 2, 3, 4].map((i) => `Afsluiten van gesprek ${i} is niet gelukt.`));
    expect(view.more).toBe(0);
  });

  it('drops a refusal that goes by itself before any error to act on, even the newest refusal only when another can go', () => {
    let s = fiveToActOn();
    s = reduce(s, error('already_claimed', 'Bewoner 1 is al aangenomen.', 2000, 'claim-1'));
    s = reduce(s, error('already_claimed', 'Bewoner 2 is al aangenomen.', 2001, 'claim-2'));
    // the five to act on stay; of the two refusals the older made room
    expect(shown(s)).toEqual([...[1, 2, 3, 4, 5].map((i) => `Afsluiten van gesprek ${i} is niet gelukt.`), 'Bewoner 2 is al aangenomen.']);
    const view = noticesOnScreen(s.notices);
    expect(view.shown.map((n) => n.text)).toEqual(['Afsluiten van gesprek 4 is niet gelukt.', 'Afsluiten van gesprek 5 is niet gelukt.', 'Bewoner 2 is al aangenomen.']);
    expect(view.more).toBe(3);
  });

  it('shows four when there are four, with no line about more', () => {
    let s = start();
    for (let i = 1; i <= 4; i++) s = reduce(s, error('internal', `Fout ${i}.`, 1000 + i, 'leave:c' + i));
    expect(noticesOnScreen(s.notices)).toEqual({ shown: s.notices, more: 0 });
  });
});

describe('each notice has its own lifetime', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it('goes its own time after it appeared, however many others come and go in between', () => {
    const store = { s: start() };
    const timers = new NoticeTimers((id) => {
      store.s = reduce(store.s, { type: 'notice-dismiss', id });
      timers.sync(store.s.notices);
    });
    const push = (code: string, text: string, ref?: string) => {
      store.s = reduce(store.s, error(code, text, Date.now(), ref));
      timers.sync(store.s.notices);
    };
    push('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
    push('internal', 'Afsluiten is niet gelukt.', 'leave:c1');
    // a new one every 3 s, as on a surge day
    vi.advanceTimersByTime(3000);
    push('already_claimed', 'Bewoner 2 is al aangenomen.', 'claim-2');
    vi.advanceTimersByTime(3000);
    push('already_claimed', 'Bewoner 3 is al aangenomen.', 'claim-3');
    vi.advanceTimersByTime(NOTICE_BRIEF_MS - 6000 - 1);
    expect(shown(store.s)).toContain('Bewoner 1 is al aangenomen.');
    vi.advanceTimersByTime(1);
    // Bewoner 1 goes when its own time is up, though two came after it
    expect(shown(store.s)).toEqual(['Afsluiten is niet gelukt.', 'Bewoner 2 is al aangenomen.', 'Bewoner 3 is al aangenomen.']);
    vi.advanceTimersByTime(3000);
    expect(shown(store.s)).toEqual(['Afsluiten is niet gelukt.', 'Bewoner 3 is al aangenomen.']);
    // a repeat starts its own clock again
    vi.advanceTimersByTime(1000);
    push('already_claimed', 'Bewoner 3 is al aangenomen.', 'claim-4');
    vi.advanceTimersByTime(NOTICE_BRIEF_MS - 1);
    expect(shown(store.s)).toEqual(['Afsluiten is niet gelukt.', 'Bewoner 3 is al aangenomen. (2×)']);
    vi.advanceTimersByTime(1);
    expect(shown(store.s)).toEqual(['Afsluiten is niet gelukt.']);
    // the error the agent must act on stays until dismissed
    vi.advanceTimersByTime(10 * 60_000);
    expect(shown(store.s)).toEqual(['Afsluiten is niet gelukt.']);
    timers.stop();
  });
});

describe('a notice that goes by itself waits while the agent is on it (WCAG 2.2.1)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  const setUp = () => {
    const store = { s: start() };
    const timers = new NoticeTimers((id) => {
      store.s = reduce(store.s, { type: 'notice-dismiss', id });
      timers.sync(store.s.notices);
    });
    const push = (code: string, text: string, ref?: string) => {
      store.s = reduce(store.s, error(code, text, Date.now(), ref));
      timers.sync(store.s.notices);
    };
    const id = (text: string) => store.s.notices.find((n) => n.text === text)!.id;
    return { store, timers, push, id };
  };

  it('stays while the pointer is on it, and goes after the time it had left once the pointer leaves', () => {
    const { store, timers, push, id } = setUp();
    push('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
    push('already_claimed', 'Bewoner 2 is al aangenomen.', 'claim-2');
    vi.advanceTimersByTime(4000);
    timers.hold(id('Bewoner 1 is al aangenomen.'), 'pointer');
    // a minute on it, while others come and go
    vi.advanceTimersByTime(30_000);
    push('nothing_waiting', 'Er wacht niemand.');
    vi.advanceTimersByTime(30_000);
    expect(shown(store.s)).toEqual(['Bewoner 1 is al aangenomen.']);
    timers.release(id('Bewoner 1 is al aangenomen.'), 'pointer');
    // it had 6 s left when the pointer came
    vi.advanceTimersByTime(NOTICE_BRIEF_MS - 4000 - 1);
    expect(shown(store.s)).toEqual(['Bewoner 1 is al aangenomen.']);
    vi.advanceTimersByTime(1);
    expect(shown(store.s)).toEqual([]);
    timers.stop();
  });

  it('holds the notice that appears under a resting pointer, and lets it go once the pointer is elsewhere', () => {
    const { store, timers, push, id } = setUp();
    push('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
    // it appeared under the pointer, which never moved: the component finds it under the last position
    timers.pointerAt(id('Bewoner 1 is al aangenomen.'));
    vi.advanceTimersByTime(60_000);
    expect(shown(store.s)).toEqual(['Bewoner 1 is al aangenomen.']);
    push('already_claimed', 'Bewoner 2 is al aangenomen.', 'claim-2');
    // the pointer moves onto the other notice: the first runs again, the second is held
    timers.pointerAt(id('Bewoner 2 is al aangenomen.'));
    vi.advanceTimersByTime(NOTICE_BRIEF_MS);
    expect(shown(store.s)).toEqual(['Bewoner 2 is al aangenomen.']);
    // then off the notices altogether
    timers.pointerAt(null);
    vi.advanceTimersByTime(NOTICE_BRIEF_MS - 1);
    expect(shown(store.s)).toEqual(['Bewoner 2 is al aangenomen.']);
    vi.advanceTimersByTime(1);
    expect(shown(store.s)).toEqual([]);
    timers.stop();
  });

  it('stays while the keyboard focus is in it, also when the pointer passes over and leaves', () => {
    const { store, timers, push, id } = setUp();
    push('already_claimed', 'Bewoner 1 is al aangenomen.', 'claim-1');
    vi.advanceTimersByTime(2000);
    const n = id('Bewoner 1 is al aangenomen.');
    timers.hold(n, 'focus');
    timers.hold(n, 'pointer');
    vi.advanceTimersByTime(20_000);
    timers.release(n, 'pointer');
    vi.advanceTimersByTime(20_000);
    expect(shown(store.s)).toEqual(['Bewoner 1 is al aangenomen.']);
    timers.release(n, 'focus');
    vi.advanceTimersByTime(NOTICE_BRIEF_MS - 2000 - 1);
    expect(shown(store.s)).toEqual(['Bewoner 1 is al aangenomen.']);
    vi.advanceTimersByTime(1);
    expect(shown(store.s)).toEqual([]);
    timers.stop();
  });

  it('starts a repeat that comes while it is held on its full time once left', () => {
    const { store, timers, push, id } = setUp();
    push('already_claimed', 'Dit gesprek is al aangenomen.', 'claim-1');
    vi.advanceTimersByTime(8000);
    const n = id('Dit gesprek is al aangenomen.');
    timers.hold(n, 'pointer');
    push('already_claimed', 'Dit gesprek is al aangenomen.', 'claim-2');
    vi.advanceTimersByTime(60_000);
    expect(shown(store.s)).toEqual(['Dit gesprek is al aangenomen. (2×)']);
    timers.release(n, 'pointer');
    vi.advanceTimersByTime(NOTICE_BRIEF_MS - 1);
    expect(shown(store.s)).toEqual(['Dit gesprek is al aangenomen. (2×)']);
    vi.advanceTimersByTime(1);
    expect(shown(store.s)).toEqual([]);
    timers.stop();
  });
});
