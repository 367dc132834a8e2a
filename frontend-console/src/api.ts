// REST calls with the agent's token. The token travels only in the Authorization header.

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

export function createApi(base: string, token: TokenSource, onUnauthorized: () => void, lang: () => 'nl' | 'en') {
  async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json' };
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
      // the network, not the server: say so in the page language
      throw new ApiError(0, lang() === 'en' ? 'No connection to Loket.' : 'Geen verbinding met Loket.', 'offline');
    }
    const text = await res.text();
    let json: unknown = null;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = null;
      }
    }
    if (!res.ok) {
      if (res.status === 401 && t) onUnauthorized();
      const p = (json ?? {}) as { type?: string; errors?: FieldError[] };
      const code = typeof p.type === 'string' ? p.type.split('/').pop() : undefined;
      throw new ApiError(res.status, problemMessage(json, res.status, lang()), code, p.errors ?? []);
    }
    return json as T;
  }
  return {
    get: <T>(path: string) => request<T>('GET', path),
    post: <T>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
    put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body ?? {}),
  };
}

export type Api = ReturnType<typeof createApi>;

/** POST /api/v1/auth/token; no token involved yet. */
export async function login(base: string, username: string, password: string, lang: 'nl' | 'en'): Promise<string> {
  const res = await fetch(base + '/api/v1/auth/token', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ username, password }),
    credentials: 'omit',
  });
  const json = await res.json().catch(() => null);
  if (!res.ok) throw new ApiError(res.status, problemMessage(json, res.status, lang));
  const token = (json as { accessToken?: string })?.accessToken;
  if (!token) throw new ApiError(500, 'No accessToken');
  return token;
}
