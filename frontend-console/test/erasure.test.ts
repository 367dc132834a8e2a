import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApi } from '../src/api';
import { erasePhoneConfirmation, forgetCallbacks, refusal } from '../src/erasure';
import { translate } from '../src/i18n';

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

describe('a number the service refuses to look up', () => {
  // as PrivacyResource answers POST /api/v1/admin/callbacks/forget for a number that is none (PhoneNumbers.lookup)
  const problem = {
    type: '/problems/validation',
    title: 'Ongeldige invoer / Invalid input',
    status: 400,
    errors: [{ field: 'phone', message: 'Vul een geldig nummer in. / Enter a valid number.' }],
  };

  async function refused(lang: 'nl' | 'en') {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify(problem), { status: 400, headers: { 'Content-Type': 'application/problem+json' } })),
    );
    const api = createApi('', () => 'tok', () => undefined, () => lang);
    const err = await forgetCallbacks(api, '06-12').then(
      () => null,
      (e: unknown) => e,
    );
    return refusal(err, 'phone', lang, 'Dit gesprek bestaat niet.');
  }

  it("shows the service's reason beside the field, in the admin's language only", async () => {
    expect(await refused('nl')).toEqual([{ field: 'phone', message: 'Vul een geldig nummer in.' }]);
    expect(await refused('en')).toEqual([{ field: 'phone', message: 'Enter a valid number.' }]);
  });

  it('says a 404 in its own words, and any other failure by its message, beside the field', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(JSON.stringify({ title: 'Niet gevonden / Not found', status: 404 }), {
        status: 404,
        headers: { 'Content-Type': 'application/problem+json' },
      })),
    );
    const api = createApi('', () => 'tok', () => undefined, () => 'nl');
    const err = await api.del('/api/v1/admin/conversations/x/personal-data').then(
      () => null,
      (e: unknown) => e,
    );
    expect(refusal(err, 'conversationId', 'nl', 'Dit gesprek bestaat niet.')).toEqual([{ field: 'conversationId', message: 'Dit gesprek bestaat niet.' }]);
    expect(refusal(new Error('Geen verbinding'), 'phone', 'nl', 'Dit gesprek bestaat niet.')).toEqual([{ field: 'phone', message: 'Geen verbinding' }]);
  });
});

describe('the confirmation before a number is forgotten', () => {
  // the service judges a number only in the request that erases (no check without erasing, and its
  // rule is not the console's): the admin is told how it will be read and that nothing goes if it is none
  const nl = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('nl', k, p);
  const en = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('en', k, p);

  it('shows the number as it is sent, read as Dutch without a country code, and that an invalid one removes nothing', () => {
    expect(erasePhoneConfirmation('  06 12345678 ', nl)).toEqual([
      'Alle terugbelverzoeken met telefoonnummer 06 12345678 worden verwijderd.',
      'Zonder landcode leest de dienst het als Nederlands nummer.',
      'De dienst beoordeelt het nummer na uw bevestiging: is het geen geldig nummer, dan wordt niets verwijderd en staat de reden bij het veld.',
    ]);
    expect(erasePhoneConfirmation('06 12345678', en)[1]).toBe('Without a country code the service reads it as a Dutch number.');
  });

  it('says a number with a country code (+ or 00) is read with that code', () => {
    expect(erasePhoneConfirmation('+44 20 7946 0958', nl)[1]).toBe('De dienst leest het met de landcode die u typte.');
    expect(erasePhoneConfirmation('0044 20 7946 0958', nl)[1]).toBe('De dienst leest het met de landcode die u typte.');
    expect(erasePhoneConfirmation('0044 20 7946 0958', en)[2]).toBe(
      'The service judges the number after you confirm: if it is not a valid number, nothing is removed and the reason shows by the field.',
    );
  });
});
