// A list the console reads again and again: on a push from the server, on a timer, on a click.
// The waiting list and the console's topic list use it directly; every other screen through useResource.
// Reads may overlap and answer out of order: only the newest read's answer is shown, so a slow
// older answer never puts back a resident a colleague has already taken. Pushes come in bursts
// (up to five a second): they are throttled, not debounced, so the list keeps up during a busy
// time instead of waiting for the bursts to stop.

export interface RefresherOptions<T> {
  load: () => Promise<T>;
  show: (data: T) => void;
  fail: (message: string) => void;
  /** The least time between a read and the next one started by a change. Only for changed(). */
  throttleMs?: number;
}

export class Refresher<T> {
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** Numbers each read; an answer counts only while its read is the newest. */
  private latest = 0;
  /** When the last read started (any: a change's, the poll's, a click's); none yet at first. */
  private lastReadAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: RefresherOptions<T>) {}

  /** Reads now (the timer, "Vernieuwen"); older reads still under way no longer count. */
  load(): void {
    const n = ++this.latest;
    this.lastReadAt = Date.now();
    this.options.load().then(
      (data) => {
        if (n === this.latest) this.options.show(data);
      },
      (e: unknown) => {
        if (n === this.latest) this.options.fail(e instanceof Error ? e.message : String(e));
      },
    );
  }

  /**
   * Something changed on the server. After a quiet time it is read at once (the list as it
   * appears, a resident who joins an empty queue); within throttleMs of the last read, the read
   * waits until throttleMs after it. Further changes meanwhile start no timer of their own: the
   * read already planned starts after them, so the last change is always followed by a read, and
   * there is at most one read per throttleMs.
   */
  changed(): void {
    if (this.timer !== null) return;
    const wait = this.lastReadAt + (this.options.throttleMs ?? 0) - Date.now();
    if (wait <= 0) {
      this.load();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.load();
    }, wait);
  }

  /** The list is gone from the screen: no more reads, no more answers shown. */
  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.latest++;
  }
}
