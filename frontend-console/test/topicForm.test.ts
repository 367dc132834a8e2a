import { describe, expect, it } from 'vitest';
import { translate } from '../src/i18n';
import type { AdminTopic } from '../src/protocol';
import { byConfiguredOrder, checkTopic, closedDaysAround, editTopic, emptyTopicForm, formToTopic, openingHoursSummary, topicToForm, withPendingClosedDay } from '../src/topicForm';

const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('nl', k, p);

const paspoort: AdminTopic = {
  id: 'paspoort-id',
  nameNl: 'Paspoort en ID-kaart',
  nameEn: 'Passport and ID card',
  sortOrder: 10,
  openingHours: { mon: [['08:30', '12:00'], ['13:00', '17:00']], fri: [['08:30', '12:00']] },
  closedDates: ['2026-12-25', '2026-04-27'],
  callbackThresholdSeconds: 600,
  digitalAlternatives: [{ title: 'Afspraak maken', url: 'https://www.gemeente.nl/afspraak' }],
  notice: 'Storing bij de balie',
  noticeEn: null,
  openNow: false,
  nextOpenAt: '2026-12-28T07:30:00Z',
};

describe('topic form', () => {
  it('edits what the API gives and sends it back the same, every weekday spelled out', () => {
    const form = topicToForm(paspoort);
    expect(form.hours.tue).toEqual([]);
    expect(form.closedDates).toEqual(['2026-04-27', '2026-12-25']);
    const body = formToTopic(form);
    expect(body).toEqual({
      id: 'paspoort-id',
      nameNl: 'Paspoort en ID-kaart',
      nameEn: 'Passport and ID card',
      sortOrder: 10,
      openingHours: { mon: [['08:30', '12:00'], ['13:00', '17:00']], tue: [], wed: [], thu: [], fri: [['08:30', '12:00']], sat: [], sun: [] },
      closedDates: ['2026-04-27', '2026-12-25'],
      callbackThresholdSeconds: 600,
      digitalAlternatives: [{ title: 'Afspraak maken', titleEn: null, url: 'https://www.gemeente.nl/afspraak' }],
      notice: 'Storing bij de balie',
      noticeEn: null,
    });
    expect('openNow' in body).toBe(false);
  });

  it('shows an evening until midnight ("24:00") as closing at 00:00, and sends it back as "24:00"', () => {
    const evening: AdminTopic = { ...paspoort, openingHours: { sat: [['18:00', '24:00']], sun: [['00:00', '02:00']] } };
    const form = topicToForm(evening);
    // a time field cannot hold 24:00: it would show an empty field
    expect(form.hours.sat).toEqual([{ from: '18:00', to: '00:00' }]);
    expect(checkTopic(form, false, t)).toEqual([]);
    expect(formToTopic(form).openingHours.sat).toEqual([['18:00', '24:00']]);
    expect(formToTopic(form).openingHours.sun).toEqual([['00:00', '02:00']]);
  });

  it('shows an end the server wrote as the last instant of the day ("23:59:59.999999999") as 00:00, and saves it as "24:00"', () => {
    // what GET /api/v1/admin/topics answered for ["18:00","24:00"] before it wrote "24:00"
    const evening: AdminTopic = { ...paspoort, openingHours: { fri: [['18:00', '23:59:59.999999999']] } };
    const form = topicToForm(evening);
    expect(form.hours.fri).toEqual([{ from: '18:00', to: '00:00' }]);
    // another change (a closed day) can be saved: no "Vul een tijd in als 08:30."
    const edited = editTopic(form, { type: 'add-closed', date: '2026-12-31' });
    expect(checkTopic(edited, false, t)).toEqual([]);
    expect(formToTopic(edited).openingHours.fri).toEqual([['18:00', '24:00']]);
  });

  it('closes a day, adds and removes periods and alternatives, copies Monday to the week', () => {
    let f = topicToForm(paspoort);
    f = editTopic(f, { type: 'add-closed', date: '2026-05-05' });
    f = editTopic(f, { type: 'add-closed', date: '2026-05-05' });
    f = editTopic(f, { type: 'add-closed', date: 'morgen' });
    expect(f.closedDates).toEqual(['2026-04-27', '2026-05-05', '2026-12-25']);
    f = editTopic(f, { type: 'remove-closed', date: '2026-04-27' });
    expect(f.closedDates).toEqual(['2026-05-05', '2026-12-25']);

    f = editTopic(f, { type: 'add-period', day: 'fri' });
    expect(f.hours.fri).toEqual([{ from: '08:30', to: '12:00' }, { from: '12:00', to: '' }]);
    f = editTopic(f, { type: 'set-period', day: 'fri', index: 1, part: 'to', value: '16:00' });
    f = editTopic(f, { type: 'add-period', day: 'sat' });
    expect(f.hours.sat).toEqual([{ from: '09:00', to: '17:00' }]);
    f = editTopic(f, { type: 'remove-period', day: 'sat', index: 0 });
    expect(f.hours.sat).toEqual([]);

    f = editTopic(f, { type: 'copy-day', from: 'mon', to: ['tue', 'wed'] });
    expect(f.hours.wed).toEqual(f.hours.mon);
    f = editTopic(f, { type: 'set-period', day: 'wed', index: 0, part: 'from', value: '09:00' });
    expect(f.hours.mon[0].from).toBe('08:30'); // a copy, not the same list

    f = editTopic(f, { type: 'add-alternative' });
    f = editTopic(f, { type: 'set-alternative', index: 1, part: 'title', value: 'Formulier' });
    f = editTopic(f, { type: 'remove-alternative', index: 0 });
    expect(f.alternatives).toEqual([{ title: 'Formulier', titleEn: '', url: '' }]);
    expect(checkTopic(f, false, t)).toEqual([{ field: 'digitalAlternatives[0].url', message: 'Vul een webadres in dat begint met https:// of http://.' }]);
  });

  it("reads each link's English title, shows none as empty, and sends it trimmed or as null", () => {
    const topic: AdminTopic = {
      ...paspoort,
      digitalAlternatives: [
        { title: 'Afspraak maken', titleEn: 'Make an appointment', url: 'https://www.gemeente.nl/afspraak' },
        { title: 'Verhuizing doorgeven', url: 'https://www.gemeente.nl/verhuizen' },
      ],
    };
    let f = topicToForm(topic);
    expect(f.alternatives.map((a) => a.titleEn)).toEqual(['Make an appointment', '']);
    // saved unchanged, the stored English title goes back; no English title goes as null
    expect(formToTopic(f).digitalAlternatives).toEqual([
      { title: 'Afspraak maken', titleEn: 'Make an appointment', url: 'https://www.gemeente.nl/afspraak' },
      { title: 'Verhuizing doorgeven', titleEn: null, url: 'https://www.gemeente.nl/verhuizen' },
    ]);
    f = editTopic(f, { type: 'set-alternative', index: 1, part: 'titleEn', value: '  Report a move ' });
    f = editTopic(f, { type: 'set-alternative', index: 0, part: 'titleEn', value: '   ' });
    expect(f.alternatives[0].title).toBe('Afspraak maken');
    expect(formToTopic(f).digitalAlternatives.map((a) => a.titleEn)).toEqual([null, 'Report a move']);
    expect(checkTopic(f, false, t)).toEqual([]);
  });

  it('refuses an English link title over 200 characters on its own field, like the server', () => {
    let f = topicToForm(paspoort);
    f = editTopic(f, { type: 'set-alternative', index: 0, part: 'titleEn', value: 'x'.repeat(201) });
    expect(checkTopic(f, false, t)).toEqual([{ field: 'digitalAlternatives[0].titleEn', message: t('errMax', { max: 200 }) }]);
    f = editTopic(f, { type: 'set-alternative', index: 0, part: 'titleEn', value: 'x'.repeat(200) });
    expect(checkTopic(f, false, t)).toEqual([]);
  });

  it('names the same fields as the server so its errors land on them', () => {
    const f = { ...emptyTopicForm(), id: 'Paspoort', nameEn: 'x'.repeat(101), sortOrder: 'tien', callbackThresholdSeconds: '90000' };
    f.hours = { ...f.hours, mon: [{ from: '17:00', to: '09:00' }] };
    expect(checkTopic(f, true, t).map((e) => e.field)).toEqual(['id', 'nameNl', 'nameEn', 'sortOrder', 'openingHours.mon[0]', 'callbackThresholdSeconds']);
    // editing never checks the id: it cannot change
    expect(checkTopic({ ...topicToForm(paspoort), id: 'WHATEVER' }, false, t)).toEqual([]);
  });
});

describe('a closed day picked but not added', () => {
  it('is saved with the topic, in order and once; an empty or unfinished field adds nothing', () => {
    const form = topicToForm(paspoort);
    expect(formToTopic(withPendingClosedDay(form, '2026-12-31')).closedDates).toEqual(['2026-04-27', '2026-12-25', '2026-12-31']);
    expect(formToTopic(withPendingClosedDay(form, '2026-12-25')).closedDates).toEqual(['2026-04-27', '2026-12-25']);
    expect(withPendingClosedDay(form, '')).toBe(form);
    expect(withPendingClosedDay(form, '2026-12')).toBe(form);
  });
});

describe('the administrator\'s order of topics', () => {
  it('is the order the service lists them in (sortOrder, then id) also when two share a sortOrder, as on the boards', () => {
    const topics = [
      { id: 'b-parkeren', sortOrder: 100, nameNl: 'Afval' },
      { id: 'a-wonen', sortOrder: 100, nameNl: 'Zorg' },
      { id: 'z-paspoort', sortOrder: 10, nameNl: 'Paspoort' },
    ];
    expect([...topics].sort(byConfiguredOrder).map((x) => x.id)).toEqual(['z-paspoort', 'a-wonen', 'b-parkeren']);
  });
});

describe('closed days around today', () => {
  it('keeps days that have passed, newest first, apart from the coming ones; today is still coming', () => {
    const around = closedDaysAround(['2026-12-25', '2026-11-02', '2026-12-06', '2026-12-01', '2025-12-25'], '2026-12-06');
    expect(around.upcoming).toEqual(['2026-12-06', '2026-12-25']);
    expect(around.past).toEqual(['2026-12-01', '2026-11-02', '2025-12-25']);
    // the list of topics shows those of the last 90 days
    expect(around.recentPast).toEqual(['2026-12-01', '2026-11-02']);
  });
});

describe('a topic\'s opening hours at a glance (the Beheer list)', () => {
  const office: AdminTopic['openingHours'] = {
    mon: [['08:30', '17:00']],
    tue: [['08:30', '17:00']],
    wed: [['08:30', '17:00']],
    thu: [['08:30', '17:00']],
    fri: [['08:30', '12:00']],
    sat: [],
    sun: [],
  };

  it('puts days in a row with the same hours on one line, and says which are closed', () => {
    expect(openingHoursSummary(office, 'nl')).toEqual(['ma–do 08:30–17:00', 'vr 08:30–12:00', 'za–zo gesloten']);
    expect(openingHoursSummary(office, 'en')).toEqual(['Mon–Thu 08:30–17:00', 'Fri 08:30–12:00', 'Sat–Sun closed']);
  });

  it('lists a day\'s periods, reads a missing day as closed, seconds left off and midnight as 24:00', () => {
    expect(openingHoursSummary(paspoort.openingHours, 'nl')).toEqual(['ma 08:30–12:00, 13:00–17:00', 'di–do gesloten', 'vr 08:30–12:00', 'za–zo gesloten']);
    const late: AdminTopic['openingHours'] = { mon: [['18:00:00', '24:00']], tue: [['00:00', '02:00'], ['18:00', '24:00']] };
    expect(openingHoursSummary(late, 'nl')).toEqual(['ma 18:00–24:00', 'di 00:00–02:00, 18:00–24:00', 'wo–zo gesloten']);
  });

  it('is one line for a week all alike', () => {
    const always = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
    expect(openingHoursSummary(always, 'nl')).toEqual(['ma–zo 00:00–24:00']);
    expect(openingHoursSummary({}, 'en')).toEqual(['Mon–Sun closed']);
  });
});
