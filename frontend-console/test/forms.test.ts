import { describe, expect, it } from 'vitest';
import {
  checkCanned,
  checkCapacity,
  checkConversationId,
  checkDepartment,
  checkNewPassword,
  checkNotice,
  checkPeriods,
  checkPhone,
  checkResetPassword,
  checkUserBasics,
  errorLines,
  errorsFor,
  failureOnForm,
  groupErrors,
  localise,
  localiseFailure,
  noticeBody,
  temporaryPassword,
  unclaimed,
  withChoice,
} from '../src/forms';
import { translate } from '../src/i18n';

const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('nl', k, p);
const fields = (errors: { field: string }[]) => errors.map((e) => e.field);

describe('field errors from the server', () => {
  const errors = [
    { field: 'openingHours.mon', message: 'dag / day' },
    { field: 'digitalAlternatives[0].url', message: 'geen http(s)-adres / not an http(s) address' },
    { field: 'digitalAlternatives.url', message: 'geen http(s)-adres / not an http(s) address' },
    { field: 'nameNl', message: 'mag niet leeg zijn / must not be blank' },
    { field: 'nameNlExtra', message: 'x' },
    { field: 'body', message: 'is geen geldige JSON / is not valid JSON' },
  ];

  it('puts each error on its field, its rows, or the group as a whole', () => {
    expect(errorsFor(errors, 'nameNl')).toEqual(['mag niet leeg zijn / must not be blank']);
    expect(errorsFor(errors, 'digitalAlternatives[0]')).toHaveLength(1);
    expect(errorsFor(errors, 'digitalAlternatives')).toHaveLength(2);
    expect(groupErrors(errors, 'digitalAlternatives')).toEqual(['geen http(s)-adres / not an http(s) address']);
    expect(errorsFor(errors, 'openingHours.tue')).toEqual([]);
  });

  it('keeps what no field shows for the summary, and speaks the page language', () => {
    expect(fields(unclaimed(errors, ['openingHours', 'digitalAlternatives', 'nameNl']))).toEqual(['nameNlExtra', 'body']);
    expect(localise(errors.slice(3, 4), 'en')).toEqual([{ field: 'nameNl', message: 'must not be blank' }]);
    expect(localise(undefined, 'nl')).toEqual([]);
  });
});

describe("an agent socket's refusal in a dialog", () => {
  const refusal = {
    message: 'Controleer de gegevens. / Check the details.',
    errors: [
      { field: 'phone', message: 'Geen geldig telefoonnummer. / Not a valid phone number.' },
      { field: 'window', message: 'Kies asap, morning of afternoon. / Choose asap, morning or afternoon.' },
    ],
  };

  it('says the message and every field error in the page language only', () => {
    expect(localiseFailure(refusal, 'en')).toEqual({
      message: 'Check the details.',
      errors: [
        { field: 'phone', message: 'Not a valid phone number.' },
        { field: 'window', message: 'Choose asap, morning or afternoon.' },
      ],
    });
    expect(localiseFailure({ message: 'Er wacht niemand. / Nobody is waiting.' }, 'nl')).toEqual({ message: 'Er wacht niemand.', errors: [] });
  });

  it("names a field by the label the agent sees, and an unknown field not at all", () => {
    const { errors } = localiseFailure(refusal, 'nl');
    expect(errorLines(errors, { phone: 'Telefoonnummer' })).toEqual([
      'Telefoonnummer: Geen geldig telefoonnummer.',
      'Kies asap, morning of afternoon.',
    ]);
  });

  it('shows the error of a field the form shows by that field, and every other one in the summary', () => {
    const labels = { phone: 'Telefoonnummer', window: 'Wanneer terugbellen', note: 'Notitie' };
    const failure = localiseFailure(
      { ...refusal, errors: [...refusal.errors, { field: 'note', message: 'Te lang. / Too long.' }, { field: 'conversationId', message: 'Onbekend. / Unknown.' }] },
      'nl',
    );
    expect(failureOnForm(failure, ['phone'], labels)).toEqual({
      fields: { phone: ['Geen geldig telefoonnummer.'] },
      summary: {
        message: 'Controleer de gegevens.',
        lines: ['Wanneer terugbellen: Kies asap, morning of afternoon.', 'Notitie: Te lang.', 'Onbekend.'],
      },
    });
  });

  it('needs no summary when the fields say it all, and says the message alone without field errors', () => {
    const phoneOnly = localiseFailure({ ...refusal, errors: refusal.errors.slice(0, 1) }, 'nl');
    expect(failureOnForm(phoneOnly, ['phone'], {})).toEqual({ fields: { phone: ['Geen geldig telefoonnummer.'] }, summary: null });
    expect(failureOnForm({ message: 'Geen verbinding.' }, ['phone'], {})).toEqual({
      fields: { phone: [] },
      summary: { message: 'Geen verbinding.', lines: [] },
    });
    expect(failureOnForm(null, ['phone'], {})).toEqual({ fields: { phone: [] }, summary: null });
  });
});

describe('capacity flag', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  it('accepts short with or without an end, refuses an end in the past', () => {
    expect(checkCapacity({ short: true, until: '', reason: '' }, t, now)).toEqual([]);
    expect(checkCapacity({ short: true, until: '2026-03-01T17:00', reason: 'ziekte' }, t, now)).toEqual([]);
    expect(checkCapacity({ short: true, until: '2026-03-01T12:30', reason: '' }, t, now)).toEqual([
      { field: 'until', message: 'Dit tijdstip ligt in het verleden.' },
    ]);
    expect(fields(checkCapacity({ short: true, until: '', reason: 'x'.repeat(501) }, t, now))).toEqual(['reason']);
  });
});

describe('department notice', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  const ok = { kind: 'appointment_only' as const, from: '', until: '2026-03-15T17:00', agentText: 'Alleen op afspraak via de website', residentText: '' };
  it('needs a kind and a text for agents; the end comes after the start', () => {
    expect(checkNotice(ok, t, now)).toEqual([]);
    expect(checkNotice({ ...ok, kind: '', agentText: '  ' }, t, now)).toEqual([
      { field: 'kind', message: 'Kies een van de mogelijkheden.' },
      { field: 'agentText', message: 'Vul dit veld in.' },
    ]);
    expect(fields(checkNotice({ ...ok, from: '2026-03-20T09:00' }, t, now))).toEqual(['until']);
    expect(fields(checkNotice({ ...ok, until: '2026-03-01T12:30' }, t, now))).toEqual(['until']);
    expect(fields(checkNotice({ ...ok, residentText: 'x'.repeat(501), agentText: 'x'.repeat(1001) }, t, now))).toEqual(['agentText', 'residentText']);
  });

  it('sends instants in UTC and leaves out what is empty (from empty = now)', () => {
    expect(noticeBody(ok)).toEqual({ kind: 'appointment_only', agentText: 'Alleen op afspraak via de website', until: '2026-03-15T16:00:00.000Z' });
    expect(noticeBody({ ...ok, from: '2026-03-02T08:00', until: '', residentText: ' Maak een afspraak. ' })).toEqual({
      kind: 'appointment_only',
      agentText: 'Alleen op afspraak via de website',
      from: '2026-03-02T07:00:00.000Z',
      residentText: 'Maak een afspraak.',
    });
  });
});

describe('opening periods', () => {
  it('wants HH:mm, start before end, and no overlap', () => {
    expect(checkPeriods([{ from: '08:30', to: '12:00' }, { from: '13:00', to: '17:00' }], 'openingHours.mon', t)).toEqual([]);
    expect(checkPeriods([{ from: '17:00', to: '08:30' }], 'openingHours.mon', t)).toEqual([
      { field: 'openingHours.mon[0]', message: 'Het begin moet voor het einde liggen.' },
    ]);
    expect(checkPeriods([{ from: '8:30', to: '' }], 'openingHours.tue', t)).toEqual([{ field: 'openingHours.tue[0]', message: 'Vul een tijd in als 08:30.' }]);
    expect(checkPeriods([{ from: '13:00', to: '17:00' }, { from: '08:30', to: '13:30' }], 'openingHours.wed', t)).toEqual([
      { field: 'openingHours.wed[0]', message: 'Deze periode overlapt met een andere.' },
    ]);
    // touching periods do not overlap
    expect(checkPeriods([{ from: '08:30', to: '12:00' }, { from: '12:00', to: '17:00' }], 'openingHours.thu', t)).toEqual([]);
  });

  it('takes a closing at 00:00 for midnight, the end of the day', () => {
    expect(checkPeriods([{ from: '18:00', to: '00:00' }], 'openingHours.fri', t)).toEqual([]);
    expect(checkPeriods([{ from: '00:00', to: '00:00' }], 'openingHours.fri', t)).toEqual([]);
    expect(checkPeriods([{ from: '08:30', to: '24:00' }], 'openingHours.fri', t)).toEqual([]);
    expect(checkPeriods([{ from: '20:00', to: '00:00' }, { from: '22:00', to: '23:00' }], 'openingHours.sat', t)).toEqual([
      { field: 'openingHours.sat[1]', message: 'Deze periode overlapt met een andere.' },
    ]);
    expect(checkPeriods([{ from: '24:00', to: '00:00' }], 'openingHours.sun', t)).toEqual([{ field: 'openingHours.sun[0]', message: 'Vul een tijd in als 08:30.' }]);
  });
});

describe('users and passwords', () => {
  const user = { username: 'anne.de-vries', displayName: 'Anne de Vries', password: 'lang-genoeg-1', roles: ['agent'], department: '', maxConcurrent: '3' };
  it('checks a new user as the server does', () => {
    expect(checkUserBasics(user, true, t)).toEqual([]);
    expect(fields(checkUserBasics({ ...user, username: 'anne de vries', password: 'kort', roles: [], maxConcurrent: '0' }, true, t))).toEqual([
      'username',
      'password',
      'roles',
      'maxConcurrent',
    ]);
    expect(fields(checkUserBasics({ ...user, password: '' }, true, t))).toEqual(['password']);
    // editing: no password field, so none is needed
    expect(checkUserBasics({ ...user, password: '' }, false, t)).toEqual([]);
    expect(checkUserBasics({ ...user, roles: ['department'] }, true, t)).toEqual([
      { field: 'department', message: 'Kies de afdeling van deze gebruiker (nodig voor de rol Afdeling).' },
    ]);
  });

  it('asks a new password of at least 10 characters, different and typed twice', () => {
    expect(checkNewPassword('tijdelijk-123', 'mijn-nieuwe-geheim', 'mijn-nieuwe-geheim', t)).toEqual([]);
    expect(fields(checkNewPassword('tijdelijk-123', 'kort', 'kort', t))).toEqual(['newPassword']);
    expect(fields(checkNewPassword('tijdelijk-123', 'tijdelijk-123', 'tijdelijk-123', t))).toEqual(['newPassword']);
    expect(checkNewPassword('tijdelijk-123', 'mijn-nieuwe-geheim', 'mijn-nieuwe-gehiem', t)).toEqual([
      { field: 'repeat', message: 'De twee wachtwoorden zijn niet gelijk.' },
    ]);
    expect(fields(checkResetPassword('123456789', t))).toEqual(['temporaryPassword']);
  });

  it('makes temporary passwords that are long enough, unambiguous and not skewed', () => {
    const p = temporaryPassword();
    expect(p).toHaveLength(14);
    expect(p).toMatch(/^[a-km-zA-HJ-NP-Z2-9]+$/);
    expect(checkResetPassword(p, t)).toEqual([]);
    // bytes at or above 220 (= 4 × 55) would favour the first letters: they are skipped
    const bytes = [255, 220, 0, 54, 55];
    expect(temporaryPassword(3, () => Uint8Array.from(bytes))).toBe('a9a');
  });
});

describe('other admin forms', () => {
  it('checks canned replies, conversation ids, phone numbers and departments', () => {
    expect(fields(checkCanned({ title: '', text: 'x'.repeat(2001) }, t))).toEqual(['title', 'text']);
    expect(checkConversationId('3f2a9c1e-8b7d-4e6f-a5b4-c3d2e1f0a9b8', t)).toEqual([]);
    expect(fields(checkConversationId('3f2a9c1e', t))).toEqual(['conversationId']);
    // only an empty number is said before asking; what a number is, the service judges (the forget form shows its reason)
    expect(checkPhone('06 12345678', t)).toEqual([]);
    expect(checkPhone('06-12', t)).toEqual([]);
    expect(checkPhone('+683 4002', t)).toEqual([]);
    expect(checkPhone(' ', t)).toEqual([{ field: 'phone', message: 'Vul een telefoonnummer in.' }]);
    expect(checkDepartment({ id: '', name: 'Burgerzaken', routes: [{ kind: 'phone', label: 'Balie', value: '14 020' }] }, true, t)).toEqual([]);
    expect(
      fields(checkDepartment({ id: 'Burger Zaken', name: ' ', routes: [{ kind: 'web', label: 'Site', value: 'gemeente.nl' }, { kind: 'email', label: '', value: '' }] }, true, t)),
    ).toEqual(['id', 'name', 'contactRoutes[0]', 'contactRoutes[1]']);
  });
});

describe('checked choices (topics, roles)', () => {
  it('puts a checked item last and takes an unchecked one out', () => {
    expect(withChoice(['avond', 'afval'], 'parkeren', true)).toEqual(['avond', 'afval', 'parkeren']);
    expect(withChoice(['avond', 'afval', 'parkeren'], 'afval', false)).toEqual(['avond', 'parkeren']);
  });

  it('keeps an item once when the same change arrives twice', () => {
    expect(withChoice(['afval'], 'afval', true)).toEqual(['afval']);
    expect(withChoice([], 'afval', false)).toEqual([]);
  });
});
