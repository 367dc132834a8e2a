import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Refresher } from '../src/refresher';
import { WAITING_LIST_THROTTLE_MS } from '../src/ui/Queues';

/** A request the test answers when it likes. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the waiting list: only the newest answer is shown', () => {
  it('keeps a resident already taken off the list when an older, slower answer arrives last', async () => {
    const requests: ReturnType<typeof deferred<string[]>>[] = [];
    let shown: string[] | null = null;
    let error: string | null = null;
    const r = new Refresher<string[]>({
      load: () => {
        const d = deferred<string[]>();
        requests.push(d);
        return d.promise;
      },
      show: (list) => {
        shown = list;
        error = null;
      },
      fail: (message) => (error = message),
      throttleMs: 250,
    });
    r.load(); // the 5 s poll: Jan still waits
    r.load(); // "Vernieuwen" after a colleague took Jan
    requests[1].resolve([]);
    await settle();
    requests[0].resolve(['Jan']);
    await settle();
    expect(shown).toEqual([]);
    // a late failure of the older read says nothing either
    r.load();
    r.load();
    requests[3].resolve(['Piet']);
    await settle();
    requests[2].reject(new Error('Time-out'));
    await settle();
    expect(shown).toEqual(['Piet']);
    expect(error).toBeNull();
  });

  it('shows no answer that arrives after the list has left the screen', async () => {
    const d = deferred<string[]>();
    const show = vi.fn();
    const r = new Refresher<string[]>({ load: () => d.promise, show, fail: vi.fn(), throttleMs: 250 });
    r.load();
    r.stop();
    d.resolve(['Jan']);
    await settle();
    expect(show).not.toHaveBeenCalled();
  });
});

/** A Refresher whose reads never answer, and the times they started. */
function recordingReads(throttleMs: number) {
  const reads: number[] = [];
  const r = new Refresher<string[]>({
    load: () => {
      reads.push(Date.now());
      return new Promise(() => undefined);
    },
    show: vi.fn(),
    fail: vi.fn(),
    throttleMs,
  });
  return { r, reads };
}

describe('the waiting list in a busy time', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads at once on the first change after a quiet time: the list as it appears, a resident who just joined', () => {
    const { r, reads } = recordingReads(WAITING_LIST_THROTTLE_MS);
    const t0 = Date.now();
    r.changed(); // the list appears
    expect(reads).toEqual([t0]);
    vi.advanceTimersByTime(30_000);
    r.changed(); // after half a minute without a change, a resident joins
    expect(reads).toEqual([t0, t0 + 30_000]);
    // a change right after a read waits out the throttle, and is then read
    vi.advanceTimersByTime(500);
    r.changed();
    expect(reads.length).toBe(2);
    vi.advanceTimersByTime(1500);
    expect(reads).toEqual([t0, t0 + 30_000, t0 + 32_000]);
  });

  it('counts a read by the poll or a click: a change just after it waits out the throttle', () => {
    const { r, reads } = recordingReads(WAITING_LIST_THROTTLE_MS);
    const t0 = Date.now();
    r.load(); // the 5 s poll
    vi.advanceTimersByTime(100);
    r.changed();
    expect(reads).toEqual([t0]);
    vi.advanceTimersByTime(1900);
    expect(reads).toEqual([t0, t0 + 2000]);
  });

  it('reads the list at most once per throttle period while boards change five times a second, and once after the last change', () => {
    const { r, reads } = recordingReads(250);
    const t0 = Date.now();
    for (let i = 0; i < 10; i++) {
      r.changed();
      vi.advanceTimersByTime(200);
    }
    // two seconds of pushes: the list was read meanwhile, not only by the 5 s poll
    expect(reads.length).toBeGreaterThanOrEqual(4);
    for (let i = 1; i < reads.length; i++) expect(reads[i] - reads[i - 1]).toBeGreaterThanOrEqual(250);
    const lastChange = t0 + 9 * 200;
    vi.advanceTimersByTime(1000);
    expect(reads[reads.length - 1]).toBeGreaterThan(lastChange);
    expect(reads[reads.length - 1] - lastChange).toBeLessThanOrEqual(250);
  });

  it('the console reads the waiting list at most every 2 s in a surge, and once after the last change', () => {
    // a read is two queries and up to 200 rows, once per console
    expect(WAITING_LIST_THROTTLE_MS).toBe(2000);
    const { r, reads } = recordingReads(WAITING_LIST_THROTTLE_MS);
    const t0 = Date.now();
    // ten seconds of boards pushed five times a second
    for (let i = 0; i < 50; i++) {
      r.changed();
      vi.advanceTimersByTime(200);
    }
    vi.advanceTimersByTime(2000);
    // one at the first push, then one per 2 s
    expect(reads.length).toBeLessThanOrEqual(6);
    for (let i = 1; i < reads.length; i++) expect(reads[i] - reads[i - 1]).toBeGreaterThanOrEqual(2000);
    expect(reads[reads.length - 1]).toBeGreaterThan(t0 + 49 * 200);
  });
});
