import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, changePassword, createApi, login, problemCode } from '../src/api';

function respond(status: number, body: unknown, type = 'application/problem+json') {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers: { 'Content-Type': type } });
    }),
  );
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('REST calls', () => {
  it('reads the code from a problem type', () => {
    expect(problemCode({ type: 'https://loket.example/problems/password-change-required' })).toBe('password-change-required');
    expect(problemCode({ type: '/problems/validation' })).toBe('validation');
    expect(problemCode(null)).toBeUndefined();
  });

  it('tells a login that must first set a new password from a wrong password', async () => {
    respond(403, { type: '/problems/password-change-required', title: 'x', status: 403, detail: 'Kies eerst een nieuw wachtwoord. / Choose a new password first.' });
    const err = (await login('', 'anne', 'tijdelijk-123', 'nl').catch((e) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect([err.status, err.code, err.message]).toEqual([403, 'password-change-required', 'Kies eerst een nieuw wachtwoord.']);
  });

  it('sets the new password and returns the token', async () => {
    const calls = respond(200, { accessToken: 'new.token.here', tokenType: 'Bearer', expiresIn: 28800 }, 'application/json');
    expect(await changePassword('', { username: 'anne', currentPassword: 'tijdelijk-123', newPassword: 'mijn-nieuwe-geheim' }, 'nl')).toBe('new.token.here');
    expect(calls[0].url).toBe('/api/v1/auth/password');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ username: 'anne', currentPassword: 'tijdelijk-123', newPassword: 'mijn-nieuwe-geheim' });
  });

  it('keeps the field errors of a 400 and says it in the page language', async () => {
    respond(400, {
      type: '/problems/validation',
      status: 400,
      detail: 'Controleer de gemarkeerde velden. / Check the listed fields.',
      errors: [{ field: 'agentText', message: 'mag niet leeg zijn / must not be blank' }],
    });
    const api = createApi('', () => 't', () => undefined, () => 'en');
    const err = (await api.post('/api/v1/departments/burgerzaken/notices', {}).catch((e) => e)) as ApiError;
    expect(err.message).toBe('Check the listed fields.');
    expect(err.errors).toEqual([{ field: 'agentText', message: 'mag niet leeg zijn / must not be blank' }]);
  });

  it('asks for CSV with the token and gives the bytes back as they came', async () => {
    const csv = 'conversationId,topic,score,comment,ratedAt,agentName\r\nc1,paspoort-id,2,"Lang gewacht, wel geholpen",2026-11-30T10:00:00Z,Anne\r\n';
    const calls = respond(200, csv, 'text/csv; charset=utf-8');
    const api = createApi('', () => 'tok', () => undefined, () => 'nl');
    const blob = await api.download('/api/v1/ratings?from=2026-11-01&to=2026-11-30', 'text/csv');
    expect(await blob.text()).toBe(csv);
    expect(calls[0].init.headers).toMatchObject({ Accept: 'text/csv', Authorization: 'Bearer tok' });
  });

  it('tells the console when the token is no longer accepted', async () => {
    respond(401, { status: 401, detail: 'Niet ingelogd / Not authenticated' });
    const onUnauthorized = vi.fn();
    const api = createApi('', () => 'tok', onUnauthorized, () => 'nl');
    await api.del('/api/v1/admin/canned-replies/x').catch(() => undefined);
    expect(onUnauthorized).toHaveBeenCalledOnce();
  });
});
