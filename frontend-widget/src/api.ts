// The resident's REST calls. Errors carry the problem+json field errors when there are any.

import type { FieldError } from './protocol';

export interface DigitalAlternative {
  title: string;
  url: string;
  /** the language the title is in (nl where an English reader has no English title); absent from an older service */
  lang?: string;
}

/** A department's current reachability notice, as residents read it (issue 12). */
export interface DepartmentNotice {
  department: string;
  /** normal, reduced, appointment_only or unreachable; a kind the widget does not know is shown without a label */
  kind: string;
  text: string;
  until?: string | null;
}

export interface Topic {
  id: string;
  name: string;
  open: boolean;
  nextOpenAt: string | null;
  queueLength: number;
  estimatedWaitSeconds: number | null;
  callbackOffered: boolean;
  /** why a callback would be offered: closing, capacity_short, no_agents or long_wait; absent from an older service */
  callbackReason?: string | null;
  notice: string | null;
  /** the language the notice is in (nl where an English reader has no English notice); absent from an older service */
  noticeLang?: string | null;
  digitalAlternatives: DigitalAlternative[];
  /** absent from a service without departments */
  departmentNotices?: DepartmentNotice[];
}

export interface Started {
  id: string;
  token: string;
  topic: string;
  state: string;
  position: number;
  estimatedWaitSeconds: number | null;
}

export interface CallbackCreated {
  id: string;
  token: string;
  /** the short reference the resident can quote on the phone (docs/protocol.md §7); absent from an older service */
  reference?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
    /** The answer's Retry-After in seconds; null without one (or when CORS does not let the page read it). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }

  /** The problem's stable code: the end of its `type` (`/problems/busy` → `busy`); null without one. */
  get code(): string | null {
    const type = this.body.type;
    return typeof type === 'string' && type ? type.slice(type.lastIndexOf('/') + 1) : null;
  }
}

/**
 * A start turned away for capacity (503 `busy`: this node's line of new chats is full). A
 * callback needs no agent now, so the resident is offered one. Any other 503 is not this.
 */
export function isCapacityRefusal(err: unknown): boolean {
  return err instanceof ApiError && err.status === 503 && err.code === 'busy';
}

/**
 * A failure that trying again soon may mend: no answer at all (the network), or any 5xx but a
 * capacity refusal: 503 `unavailable` (the database down or out of connections, with
 * Retry-After), 500 `internal`, or a proxy's 502/503/504 without a problem.
 */
export function isPassing(err: unknown): boolean {
  return err instanceof ApiError && (err.status === 0 || err.status >= 500) && !isCapacityRefusal(err);
}

/** Retry-After as seconds: a number of seconds or an HTTP date; null when absent or not understood. */
export function retryAfterSeconds(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v);
  const at = Date.parse(v);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** How long a request that is safe to repeat waits for an answer; see `timeoutMs`. */
export const REQUEST_TIMEOUT_MS = 30000;

export class Api {
  constructor(private readonly base: string) {}

  /**
   * `timeoutMs`: give the request up after this long without an answer, as no answer at all (status
   * 0, passing). A request on a mobile link that died without a word gets no answer and no error
   * either, for many minutes. Only for requests that are safe to send again; not for the start (a
   * surge may hold it in the service's line for long, and a second start is a second conversation).
   */
  private async call<T>(method: string, path: string, opts: { body?: unknown; token?: string; accept?: string; timeoutMs?: number } = {}): Promise<T> {
    const headers: Record<string, string> = { Accept: opts.accept ?? 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.token) headers.Authorization = 'Bearer ' + opts.token;
    let res: Response;
    const abort = opts.timeoutMs ? new AbortController() : null;
    const timer = abort ? setTimeout(() => abort.abort(), opts.timeoutMs) : null;
    try {
      res = await fetch(this.base + path, {
        method,
        headers,
        body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
        credentials: 'omit',
        signal: abort?.signal,
      });
    } catch (e) {
      throw new ApiError(0, String(e));
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (!res.ok) {
      let body: Record<string, unknown> = {};
      try {
        const parsed: unknown = await res.json();
        if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
      } catch {
        /* not JSON */
      }
      const errors = Array.isArray(body.errors) ? (body.errors as FieldError[]) : [];
      throw new ApiError(res.status, String(body.detail ?? body.title ?? res.statusText), errors, body,
        retryAfterSeconds(res.headers.get('Retry-After')));
    }
    if (res.status === 204) return undefined as T;
    if (opts.accept === 'text/plain') return (await res.text()) as T;
    return (await res.json()) as T;
  }

  topics(lang: string): Promise<Topic[]> {
    return this.call('GET', `/api/v1/topics?lang=${encodeURIComponent(lang)}`);
  }

  /**
   * How many days personal data is kept, from `GET /api/v1/settings`; null when the request
   * fails or the answer has no sensible number, so the widget never states a wrong one.
   */
  async retentionDays(): Promise<number | null> {
    try {
      const settings = await this.call<{ retentionDays?: unknown }>('GET', '/api/v1/settings');
      const days = settings?.retentionDays;
      return typeof days === 'number' && Number.isInteger(days) && days > 0 ? days : null;
    } catch {
      return null;
    }
  }

  /**
   * `startKey`: one per start (`newStartKey`), the same on every try of it: a start whose answer
   * was lost and is sent again answers the conversation the first made, not a second one.
   */
  start(topic: string, name: string | undefined, locale: string, startKey?: string): Promise<Started> {
    return this.call('POST', '/api/v1/conversations', { body: { topic, name: name || undefined, locale, startKey } });
  }

  requestCallback(body: { topic: string; phone: string; name?: string; window?: string; note?: string }): Promise<CallbackCreated> {
    // sent again after a timeout it may arrive twice: the service merges a repeat for the same number and topic
    return this.call('POST', '/api/v1/callbacks', { body, timeoutMs: REQUEST_TIMEOUT_MS });
  }

  cancelCallback(id: string, token: string): Promise<void> {
    return this.call('DELETE', `/api/v1/callbacks/${encodeURIComponent(id)}`, { token, body: { reason: 'resident' } });
  }

  rate(conversationId: string, token: string, score: number, comment?: string): Promise<void> {
    return this.call('POST', `/api/v1/conversations/${encodeURIComponent(conversationId)}/rating`, {
      token,
      body: comment ? { score, comment } : { score },
    });
  }

  /** The readable transcript, its labels in `lang` (the widget's language). */
  transcript(conversationId: string, token: string, lang: string): Promise<string> {
    return this.call('GET', `/api/v1/conversations/${encodeURIComponent(conversationId)}/transcript?lang=${encodeURIComponent(lang)}`, {
      token,
      accept: 'text/plain',
    });
  }
}

/**
 * A random key for one start of a conversation (32 hexadecimal characters), sent with each try of
 * it: the service makes one conversation per key, so a try sent again after its answer was lost
 * (a phone's link) is not a second conversation in the queue.
 */
export function newStartKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
