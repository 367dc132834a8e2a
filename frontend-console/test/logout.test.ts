import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { logout } from '../src/api';
import { loadToken, logOut, saveToken } from '../src/session';

// a tab's sessionStorage
class MemoryStorage {
  private data = new Map<string, string>();
  get length() {
    return this.data.size;
  }
  key(i: number) {
    return [...this.data.keys()][i] ?? null;
  }
  getItem(k: string) {
    return this.data.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    this.data.set(k, v);
  }
  removeItem(k: string) {
    this.data.delete(k);
  }
  clear() {
    this.data.clear();
  }
}

function storageWith(): MemoryStorage {
  const s = new MemoryStorage();
  // Object.keys(sessionStorage) lists the stored keys in a browser
  return new Proxy(s, { ownKeys: () => [...Array(s.length).keys()].map((i) => s.key(i)!), getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }) });
}

beforeEach(() => vi.stubGlobal('sessionStorage', storageWith()));
afterEach(() => vi.unstubAllGlobals());

describe('Uitloggen', () => {
  it('asks the server to revoke the token of this tab, then forgets it', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return new Response(null, { status: 204 });
      }),
    );
    saveToken('tab.token.one');
    await logOut(loadToken(), (tk) => logout('', tk));
    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/api/v1/auth/logout');
    expect(calls[0].init.method).toBe('POST');
    expect(calls[0].init.headers).toMatchObject({ Authorization: 'Bearer tab.token.one' });
    expect(loadToken()).toBeNull();
    expect(sessionStorage.getItem('loket.console.token')).toBeNull();
  });

  it('forgets the token all the same when the server cannot be reached, without an error', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    saveToken('tab.token.two');
    await expect(logOut(loadToken(), (tk) => logout('', tk))).resolves.toBeUndefined();
    expect(loadToken()).toBeNull();
    expect(await logout('', 'x.y.z')).toBe(false);
  });

  it('takes a refused token (already revoked) for done, and forgets the token before the answer comes', async () => {
    let answer: (r: Response) => void = () => undefined;
    vi.stubGlobal('fetch', vi.fn(() => new Promise<Response>((resolve) => (answer = resolve))));
    saveToken('tab.token.three');
    const done = logOut(loadToken(), (tk) => logout('', tk));
    expect(loadToken()).toBeNull();
    answer(new Response('{"status":401}', { status: 401 }));
    await expect(done).resolves.toBeUndefined();
  });

  it('sends nothing without a token', async () => {
    const revoke = vi.fn(async () => true);
    await logOut(null, revoke);
    expect(revoke).not.toHaveBeenCalled();
  });
});
