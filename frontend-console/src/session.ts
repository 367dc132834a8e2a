// Where the token lives: in memory and in sessionStorage (survives a reload of this tab, dies
// with it), never in a URL or in localStorage.

const TOKEN_KEY = 'loket.console.token';

let memory: string | null = null;

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    return null;
  }
}

export function loadToken(): string | null {
  if (memory) return memory;
  memory = storage()?.getItem(TOKEN_KEY) ?? null;
  return memory;
}

export function saveToken(token: string): void {
  memory = token;
  storage()?.setItem(TOKEN_KEY, token);
}

/**
 * "Uitloggen": asks the server to revoke this tab's token (another tab's own login stays valid),
 * then forgets the token here as before. Best effort: the token is forgotten at once, whether
 * the server answers, refuses (a token already revoked) or cannot be reached; nothing is shown
 * for that. Resolves when the server's answer, or its absence, is known.
 */
export function logOut(token: string | null, revoke: (token: string) => Promise<unknown>): Promise<void> {
  let asked: Promise<unknown> = Promise.resolve();
  if (token) {
    try {
      asked = revoke(token);
    } catch {
      // as if the server could not be reached
    }
  }
  clearSession();
  return asked.then(
    () => undefined,
    () => undefined,
  );
}

export function clearSession(): void {
  memory = null;
  const s = storage();
  if (!s) return;
  for (const key of Object.keys(s)) if (key.startsWith('loket.console.')) s.removeItem(key);
}

/** Small per-tab memory for what a reload should keep: drafts, read markers, the chosen view. */
export function loadJson<T>(key: string, fallback: T): T {
  try {
    const raw = storage()?.getItem('loket.console.' + key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

export function saveJson(key: string, value: unknown): void {
  try {
    storage()?.setItem('loket.console.' + key, JSON.stringify(value));
  } catch {
    // storage full or blocked: a reload then starts without it
  }
}
