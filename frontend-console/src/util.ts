// Small pure helpers: ids, rate limits, back-off, tokens, time formatting.

/** A client message id; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newClientMsgId(prefix = 'c'): string {
  const bytes = new Uint8Array(12);
  globalThis.crypto.getRandomValues(bytes);
  return prefix + '-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** How long the widget shows "… typt" after the agent's last `typing` frame. */
export const WIDGET_TYPING_SHOWN_MS = 5000;

/** Clients send `typing` at most once every 2 s (per conversation here). */
export class TypingThrottle {
  private last = new Map<string, number>();
  constructor(
    private readonly intervalMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when a typing frame for this conversation may go out now (and records it). */
  take(conversationId: string): boolean {
    const t = this.now();
    const prev = this.last.get(conversationId);
    if (prev !== undefined && t - prev < this.intervalMs) return false;
    this.last.set(conversationId, t);
    return true;
  }

  /**
   * The agent stops typing a reply without sending it (the box turned to a note): true when the
   * resident may still see them typing, so a `typing_stopped` is worth sending; forgets the last
   * typing, so that typing a reply again signals at once.
   */
  stop(conversationId: string): boolean {
    const prev = this.last.get(conversationId);
    this.last.delete(conversationId);
    return prev !== undefined && this.now() - prev <= WIDGET_TYPING_SHOWN_MS;
  }

  /** After a message is sent the resident sees the text; the next keystroke may signal again. */
  reset(conversationId: string): void {
    this.last.delete(conversationId);
  }
}

/**
 * The server closes an agent connection after more than 100 frames in 10 s. The
 * console keeps well under that: a sliding window with a lower limit, and a reserve that
 * typing signals may not use, so a burst of typing never delays a message or a close.
 */
export class FrameBudget {
  private sent: number[] = [];
  constructor(
    private readonly limit = 80,
    private readonly windowMs = 10_000,
    private readonly reserve = 20,
    private readonly now: () => number = Date.now,
  ) {}

  private prune(): number {
    const t = this.now();
    while (this.sent.length && t - this.sent[0] >= this.windowMs) this.sent.shift();
    return t;
  }

  /** May a frame go out now? `optional` frames (typing) leave the reserve untouched. */
  allow(optional = false): boolean {
    this.prune();
    const cap = optional ? this.limit - this.reserve : this.limit;
    return this.sent.length < cap;
  }

  record(): void {
    this.sent.push(this.prune());
  }

  /** Milliseconds until one more frame fits. */
  waitMs(): number {
    const t = this.prune();
    if (this.sent.length < this.limit) return 0;
    return Math.max(0, this.windowMs - (t - this.sent[0]));
  }
}

/** Reconnect delay: 1 s, 2 s, 4 s … capped at 30 s, with ±20 % jitter so a node restart does not bring every console back at once. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  const jitter = 1 + (random() * 0.4 - 0.2);
  return Math.round(base * jitter);
}

export interface TokenClaims {
  sub: string;
  upn?: string;
  preferred_username?: string;
  name?: string;
  groups: string[];
  exp?: number;
  /** The department of a user with role `department`, when the issuer puts it in the token. */
  department?: string;
}

/** Reads a JWT's payload (no verification: the server does that; the console only needs name, roles and expiry). */
export function decodeJwt(token: string): TokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = b64 + '='.repeat((4 - (b64.length % 4)) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const json = JSON.parse(new TextDecoder().decode(bytes));
    if (!json || typeof json.sub !== 'string') return null;
    const groups = Array.isArray(json.groups) ? json.groups.filter((g: unknown) => typeof g === 'string') : [];
    return { ...json, groups };
  } catch {
    return null;
  }
}

/** A token is usable while it has more than a minute left (or carries no expiry). */
export function tokenUsable(claims: TokenClaims | null, nowMs = Date.now()): boolean {
  if (!claims) return false;
  if (claims.exp === undefined) return true;
  return claims.exp * 1000 - nowMs > 60_000;
}

export function hasRole(claims: TokenClaims | null, role: string): boolean {
  return !!claims && claims.groups.includes(role);
}

/**
 * A topic's name as the console shows it. The board comes over the socket with topic ids, the names
 * a moment later over REST: until that first answer (topics null) the placeholder, never the id (the
 * cards showed "paspoort-id" for a moment after login). After it, a topic the list does not hold (a
 * removed one, or the read failed) shows its id: nothing better is known.
 */
export function topicLabel(topics: readonly { id: string; name: string }[] | null, id: string, placeholder: string): string {
  if (topics === null) return placeholder;
  return topics.find((x) => x.id === id)?.name ?? id;
}

/** 42 → "0:42", 185 → "3:05", 3725 → "1:02:05": a wait as a clock shows it. */
export function formatClock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
  return (h > 0 ? h + ':' : '') + mm + ':' + String(sec).padStart(2, '0');
}

/** An estimate in whole minutes, rounded up; null (no agent available) stays unknown, never zero. */
export function estimateMinutes(seconds: number | null | undefined): number | null {
  if (seconds === null || seconds === undefined) return null;
  return Math.max(0, Math.ceil(seconds / 60));
}

const TIME = new Intl.DateTimeFormat('nl-NL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Amsterdam' });
const DATE_TIME = new Intl.DateTimeFormat('nl-NL', {
  day: 'numeric',
  month: 'short',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Amsterdam',
});

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : TIME.format(d);
}

export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : DATE_TIME.format(d);
}

/** Today's date in Europe/Amsterdam as yyyy-mm-dd (the stats API counts in that zone). */
export function amsterdamDate(now = new Date()): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Amsterdam',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

/**
 * Requests under way, by key: a second start of one while it runs is refused, so a double click
 * does not send it twice. Synchronous, unlike component state, which a second click can outrun.
 */
export class InFlight {
  private readonly running = new Set<string>();

  has(key: string): boolean {
    return this.running.has(key);
  }

  /** Runs the request unless the same one is under way: true when it ran, false when refused. */
  async run(key: string, request: () => Promise<unknown>): Promise<boolean> {
    if (this.running.has(key)) return false;
    this.running.add(key);
    try {
      await request();
      return true;
    } finally {
      this.running.delete(key);
    }
  }
}

/** The accepted length of a message after trimming: 1–2000 characters, as the server checks. */
export const MAX_MESSAGE = 2000;

export function messageProblem(text: string): 'empty' | 'too_long' | null {
  const t = text.trim();
  if (!t) return 'empty';
  if (t.length > MAX_MESSAGE) return 'too_long';
  return null;
}
