import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../src/api';
import { forgetCallbacks } from '../src/erasure';

afterEach(() => vi.unstubAllGlobals());

describe('forgetting a phone number', () => {
  it('sends the number in the body, never in the URL that access logs keep', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ removed: 2 }), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }),
    );
    const api = createApi('', () => 'tok', () => undefined, () => 'nl');

    expect(await forgetCallbacks(api, '06 12345678')).toEqual({ removed: 2 });

    expect(calls).toHaveLength(1);
    expect(calls[0].url).toBe('/api/v1/admin/callbacks/forget');
    expect(calls[0].url).not.toMatch(/12345678|phone/);
    expect(calls[0].init.method).toBe('POST');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ phone: '06 12345678' });
  });
});
