// REST calls with the console user's token. The token travels only in the Authorization header.

import type { FieldError } from './protocol';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly errors: FieldError[] = [],
  ) {
    super(message);
  }
}

export type TokenSource = () => string | null;

/** problem+json → a message a person can read (the server writes "Nederlands / English"). */
export function problemMessage(body: unknown, status: number, lang: 'nl' | 'en' = 'nl'): string {
  const b = (body ?? {}) as { detail?: string; title?: string; message?: string; errors?: FieldError[] };
  const raw = b.detail || b.message || b.title || `HTTP ${status}`;
  return bilingual(raw, lang);
}

/** Server texts come as "Nederlandse tekst / English text"; show the half for the page language. */
export function bilingual(text: string, lang: 'nl' | 'en'): string {
  const parts = text.split(' / ');
  if (parts.length !== 2) return text;
  return lang === 'en' ? parts[1] : parts[0];
}

/** The stable code at the end of a problem's type: ".../problems/password-change-required" → "password-change-required". */
export function problemCode(body: unknown): string | undefined {
  const type = (body as { type?: unknown } | null)?.type;
  return typeof type === 'string' ? type.split('/').pop() : undefined;
}

function parse(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function offline(lang: 'nl' | 'en'): ApiError {
  // the network, not the server: say so in the page language
  return new ApiError(0, lang === 'en' ? 'No connection to Loket.' : 'Geen verbinding met Loket.', 'offline');
}

function failure(status: number, text: string, lang: 'nl' | 'en'): ApiError {
  const json = parse(text);
  const errors = ((json as { errors?: FieldError[] } | null)?.errors ?? []).filter((e) => e && typeof e.field === 'string');
  return new ApiError(status, problemMessage(json, status, lang), problemCode(json), errors);
}

export function createApi(base: string, token: TokenSource, onUnauthorized: () => void, lang: () => 'nl' | 'en') {
  async function send(method: string, path: string, body: unknown, accept: string): Promise<Response> {
    const headers: Record<string, string> = { Accept: accept };
    const t = token();
    if (t) headers.Authorization = 'Bearer ' + t;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
      });
    } catch {
      throw offline(lang());
    }
    if (!res.ok) {
      if (res.status === 401 && t) onUnauthorized();
      throw failure(res.status, await res.text(), lang());
    }
    return res;
  }

  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await send(method, path, body, 'application/json');
    return parse(await res.text()) as T;
  }

  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
    put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
    del: <T>(path: string) => request<T>('DELETE', path),
    /** A non-JSON representation of a resource (text/csv, text/plain) as a Blob. */
    async download(path: string, accept: string): Promise<Blob> {
      const res = await send('GET', path, undefined, accept);
      return res.blob();
    },
  };
}

export type Api = ReturnType<typeof createApi>;

async function anonymousPost(base: string, path: string, body: unknown, lang: 'nl' | 'en'): Promise<string> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
    });
  } catch {
    throw offline(lang);
  }
  const text = await res.text();
  if (!res.ok) throw failure(res.status, text, lang);
  const token = (parse(text) as { accessToken?: string } | null)?.accessToken;
  if (!token) throw new ApiError(500, 'No accessToken');
  return token;
}

/**
 * POST /api/v1/auth/token; no token involved yet. A 403 with code `password-change-required`
 * means the password was right but must be replaced first (see changePassword).
 */
export function login(base: string, username: string, password: string, lang: 'nl' | 'en'): Promise<string> {
  return anonymousPost(base, '/api/v1/auth/token', { username, password }, lang);
}

/** POST /api/v1/auth/password: the new password replaces the current (temporary) one and logs in. */
export function changePassword(
  base: string,
  body: { username: string; currentPassword: string; newPassword: string },
  lang: 'nl' | 'en',
): Promise<string> {
  return anonymousPost(base, '/api/v1/auth/password', body, lang);
}

/**
 * Revokes the token on the server (POST /api/v1/auth/logout): a copy of it (a shared workstation,
 * a proxy log) stops working at once, not when it expires. Never throws: true when the server
 * confirmed, false when it refused (401: the token was already revoked or expired) or could not
 * be reached in time. keepalive: the request goes on when the page is closed right after.
 */
export async function logout(base: string, token: string, timeoutMs = 5000): Promise<boolean> {
  try {
    const res = await fetch(base + '/api/v1/auth/logout', {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + token },
      credentials: 'omit',
      keepalive: true,
      signal: typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(timeoutMs) : undefined,
    });
    return res.ok;
  } catch {
    return false;
  }
}
