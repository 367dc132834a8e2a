// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DepartmentNotice, Topic } from '../src/api';
import { departmentNotices, noticeLead, noticeText } from '../src/notices';
import { ChatView } from '../src/screens/chat';
import { topicsView } from '../src/screens/topics';
import { STRINGS } from '../src/strings';
import { Widget } from '../src/widget';
import { chatActions, description, settle, stubFetch, text } from './dom-helpers';
import { FakeSocket, recordSockets } from './fake-socket';

const nl = STRINGS.nl;
const en = STRINGS.en;
const NOW = new Date('2026-02-20T10:00:00Z');
// 1 March 2026, 00:00 in Amsterdam (CET)
const MARCH_1 = '2026-02-28T23:00:00Z';

const appointment: DepartmentNotice = {
  department: 'Burgerzaken',
  kind: 'appointment_only',
  text: 'Maak een afspraak via de website.',
  until: MARCH_1,
};

describe('a department notice in words', () => {
  it('names the department, the kind and until when, in Dutch and English', () => {
    expect(noticeText(appointment, nl, 'nl', NOW)).toBe('Burgerzaken: Alleen op afspraak tot zondag 1 maart. Maak een afspraak via de website.');
    expect(noticeText(appointment, en, 'en', NOW)).toBe('Burgerzaken: By appointment only until Sunday 1 March. Maak een afspraak via de website.');
  });

  it('words every kind, and a notice without an end', () => {
    const of = (kind: string, lang: 'nl' | 'en' = 'nl') => noticeLead({ department: 'Vergunningen', kind, text: '' }, STRINGS[lang], lang, NOW);
    expect(of('reduced')).toBe('Vergunningen: Beperkt bereikbaar.');
    expect(of('unreachable')).toBe('Vergunningen: Niet bereikbaar.');
    expect(of('appointment_only')).toBe('Vergunningen: Alleen op afspraak.');
    expect(of('reduced', 'en')).toBe('Vergunningen: Limited availability.');
    expect(of('unreachable', 'en')).toBe('Vergunningen: Not reachable.');
  });

  it('shows a time when the period ends during the day, and the year when it is not this year', () => {
    expect(noticeLead({ ...appointment, until: '2026-03-01T11:00:00Z' }, nl, 'nl', NOW)).toBe('Burgerzaken: Alleen op afspraak tot zondag 1 maart om 12:00.');
    expect(noticeLead({ ...appointment, until: '2027-02-28T23:00:00Z' }, nl, 'nl', NOW)).toBe('Burgerzaken: Alleen op afspraak tot maandag 1 maart 2027.');
  });

  it('gives a normal or unknown kind no label, only the period and the text', () => {
    expect(noticeText({ department: 'Wijkbeheer', kind: 'normal', text: 'Vanaf maandag weer bereikbaar.' }, nl, 'nl', NOW))
      .toBe('Wijkbeheer: Vanaf maandag weer bereikbaar.');
    expect(noticeText({ department: 'Wijkbeheer', kind: 'something_new', text: 'Tekst.', until: MARCH_1 }, nl, 'nl', NOW))
      .toBe('Wijkbeheer: Tot zondag 1 maart. Tekst.');
  });

  it('ignores an unreadable end date instead of showing "Invalid Date"', () => {
    expect(noticeLead({ ...appointment, until: 'soon' }, nl, 'nl', NOW)).toBe('Burgerzaken: Alleen op afspraak.');
  });
});

describe('the notices as a block', () => {
  it('is nothing when there are no notices', () => {
    expect(departmentNotices(undefined, nl, 'nl')).toBeNull();
    expect(departmentNotices([], nl, 'nl')).toBeNull();
  });

  it('has one paragraph per notice, the lead in bold and the department text as text, never HTML', () => {
    const block = departmentNotices([appointment, { department: 'Belastingen', kind: 'unreachable', text: '<b>Bel</b> 14 0000' }], nl, 'nl', NOW)!;
    const paragraphs = [...block.querySelectorAll('p.notice')];
    expect(paragraphs.map(text)).toEqual([
      'Burgerzaken: Alleen op afspraak tot zondag 1 maart. Maak een afspraak via de website.',
      'Belastingen: Niet bereikbaar. <b>Bel</b> 14 0000',
    ]);
    expect(paragraphs[0].querySelector('strong')?.textContent).toBe('Burgerzaken: Alleen op afspraak tot zondag 1 maart.');
    expect(block.querySelector('b')).toBeNull();
    expect(block.id).toMatch(/^loket-dept-/);
  });
});

function topic(extra: Partial<Topic>): Topic {
  return {
    id: 'paspoort-id',
    name: 'Paspoort en ID-kaart',
    open: true,
    nextOpenAt: null,
    queueLength: 0,
    estimatedWaitSeconds: 600,
    callbackOffered: false,
    notice: null,
    digitalAlternatives: [],
    ...extra,
  };
}

describe('on the topic choice', () => {
  it('shows a department notice under its topic and makes it part of the topic button\'s description', async () => {
    const view = topicsView({
      s: nl,
      lang: 'nl',
      load: async () => [topic({ departmentNotices: [{ ...appointment, until: null }] }), topic({ id: 'afval', name: 'Afval' })],
      choose: () => {},
      retry: () => {},
    });
    document.body.append(view);
    await settle();
    const [paspoort, afval] = [...view.querySelectorAll('li.topic')];
    expect(text(paspoort.querySelector('.dept-notices'))).toBe('Burgerzaken: Alleen op afspraak. Maak een afspraak via de website.');
    expect(description(paspoort.querySelector('button')!)).toBe(
      'Nu open. Wachttijd: ongeveer 5–20 minuten. Burgerzaken: Alleen op afspraak. Maak een afspraak via de website.',
    );
    expect(afval.querySelector('.dept-notices')).toBeNull();
    expect(description(afval.querySelector('button')!)).toBe('Nu open. Wachttijd: ongeveer 5–20 minuten.');
    view.remove();
  });
});

describe('English text where the administrator gave only Dutch', () => {
  it('marks a Dutch link title and notice as Dutch in the English widget, and nothing in the language of the page', async () => {
    const view = topicsView({
      s: en,
      lang: 'en',
      load: async () => [
        topic({
          name: 'Passport and ID card',
          notice: 'Storing bij de balie',
          noticeLang: 'nl',
          digitalAlternatives: [
            { title: 'Apply online', url: 'https://www.gemeente.example/aanvragen', lang: 'en' },
            { title: 'Maak online een afspraak', url: 'https://www.gemeente.example/afspraak', lang: 'nl' },
          ],
        }),
        topic({ id: 'afval', name: 'Waste collection', notice: 'Collection later today', noticeLang: 'en' }),
      ],
      choose: () => {},
      retry: () => {},
    });
    document.body.append(view);
    await settle();
    const [paspoort, afval] = [...view.querySelectorAll('li.topic')];
    const links = [...paspoort.querySelectorAll('.alts a')];
    expect(links.map(text)).toEqual(['Apply online', 'Maak online een afspraak']);
    expect(links.map((a) => a.getAttribute('lang'))).toEqual([null, 'nl']);
    const dutch = paspoort.querySelector('.notice [lang]');
    expect(dutch?.getAttribute('lang')).toBe('nl');
    expect(text(dutch)).toBe('Storing bij de balie');
    expect(text(paspoort.querySelector('.notice'))).toBe(`${en.notice}: Storing bij de balie`);
    expect(afval.querySelector('.notice [lang]')).toBeNull();
    view.remove();
  });
});

describe('an open topic with no agent free', () => {
  it('says before the choice that it will be a callback, not "waiting time unknown"', async () => {
    const view = topicsView({
      s: nl,
      lang: 'nl',
      load: async () => [
        topic({ estimatedWaitSeconds: null, callbackOffered: true, callbackReason: 'no_agents' }),
        topic({ id: 'afval', name: 'Afval', estimatedWaitSeconds: null }),
      ],
      choose: () => {},
      retry: () => {},
    });
    document.body.append(view);
    await settle();
    const [paspoort, afval] = [...view.querySelectorAll('li.topic')];
    expect(description(paspoort.querySelector('button')!)).toBe('Nu open. Nu geen medewerker vrij: wij bellen u terug.');
    // no agent-free claim without the service's reason for it
    expect(description(afval.querySelector('button')!)).toBe('Nu open. Wachttijd onbekend.');
    view.remove();
  });
});

describe('in the queue', () => {
  function chat(): ChatView {
    const view = new ChatView(nl, 'nl', chatActions());
    document.body.append(view.el);
    return view;
  }

  it('shows the notices while the resident waits, and the message box is described by them', () => {
    const view = chat();
    view.state({ type: 'state', state: 'queued', position: 2, estimatedWaitSeconds: 600 });
    view.departmentNotices([appointment]);
    const box = view.el.querySelector('.queue-notices') as HTMLElement;
    expect(box.hidden).toBe(false);
    expect(text(box)).toMatch(/^Burgerzaken: Alleen op afspraak tot \S+ 1 maart( \d{4})?\. Maak een afspraak via de website\.$/);
    const input = view.el.querySelector('textarea')!;
    expect(description(input)).toContain('Maak een afspraak via de website.');
    view.el.remove();
  });

  it('takes them away once an agent has taken the conversation', () => {
    const view = chat();
    view.departmentNotices([appointment]);
    view.state({ type: 'state', state: 'queued', position: 1 });
    view.state({ type: 'state', state: 'active', agentName: 'Anne' });
    expect((view.el.querySelector('.queue-notices') as HTMLElement).hidden).toBe(true);
    expect(description(view.el.querySelector('textarea')!)).not.toContain('Burgerzaken');
    view.el.remove();
  });

  it('shows nothing when the topic has no notices', () => {
    const view = chat();
    view.state({ type: 'state', state: 'queued', position: 1 });
    view.departmentNotices([]);
    expect((view.el.querySelector('.queue-notices') as HTMLElement).hidden).toBe(true);
    view.el.remove();
  });
});

describe('the widget', () => {
  const withNotices = topic({ departmentNotices: [appointment] });
  let sockets: FakeSocket[] = [];

  function mount(): ShadowRoot {
    sockets = recordSockets();
    const host = document.createElement('div');
    document.body.append(host);
    new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host).open();
    return host.shadowRoot!;
  }

  afterEach(() => {
    vi.unstubAllGlobals();
    document.body.innerHTML = '';
    sessionStorage.clear();
    localStorage.clear(); // the site's other tabs keep nothing either
  });

  it('shows the topic\'s notices in the queue after the resident starts a chat', async () => {
    stubFetch({
      '/api/v1/topics': { status: 200, body: [withNotices] },
      '/api/v1/settings': { status: 200, body: { retentionDays: 28 } },
      '/api/v1/conversations': { status: 201, body: { id: 'c1', token: 't', topic: 'paspoort-id', state: 'queued', position: 3, estimatedWaitSeconds: 600 } },
    });
    const root = mount();
    await settle();
    expect(text(root.querySelector('.topic .dept-notices'))).toContain('Burgerzaken: Alleen op afspraak');
    (root.querySelector('.topic-btn') as HTMLButtonElement).click();
    (root.querySelector('button[type=submit]') as HTMLButtonElement).click();
    await settle();
    await settle();
    expect(text(root.querySelector('.queue'))).toBe('U bent nummer 3 in de wachtrij. Wachttijd: ongeveer 5–20 minuten.');
    const notices = root.querySelector('.queue-notices') as HTMLElement;
    expect(notices.hidden).toBe(false);
    expect(text(notices)).toContain('Burgerzaken: Alleen op afspraak');
    expect(text(notices)).toContain('Maak een afspraak via de website.');
    expect(description(root.querySelector('textarea')!)).toContain('Maak een afspraak via de website.');
  });

  it('asks for the notices again when a waiting conversation is resumed after a reload', async () => {
    sessionStorage.setItem('loket.widget.v1', JSON.stringify({ kind: 'chat', id: 'c1', token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true }));
    const asked = stubFetch({ '/api/v1/topics': { status: 200, body: [withNotices] } });
    const root = mount();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 1, estimatedWaitSeconds: null });
    await settle();
    expect(asked).toContain('/api/v1/topics');
    expect(text(root.querySelector('.queue-notices'))).toContain('Burgerzaken: Alleen op afspraak');
    // once an agent has it, the notices make room for the conversation
    sockets[0].push({ type: 'state', state: 'active', agentName: 'Anne' });
    expect((root.querySelector('.queue-notices') as HTMLElement).hidden).toBe(true);
  });

  it('shows the queue without notices when the topic list cannot be had', async () => {
    sessionStorage.setItem('loket.widget.v1', JSON.stringify({ kind: 'chat', id: 'c1', token: 't', topic: 'paspoort-id', topicName: 'Paspoort en ID-kaart', open: true }));
    stubFetch({ '/api/v1/topics': 'network-down' });
    const root = mount();
    sockets[0].open();
    sockets[0].push({ type: 'state', state: 'queued', position: 1 });
    await settle();
    expect(text(root.querySelector('.queue'))).toBe('U bent de volgende in de wachtrij. Wachttijd onbekend.');
    expect((root.querySelector('.queue-notices') as HTMLElement).hidden).toBe(true);
  });
});
