// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Api, type Topic } from '../src/api';
import { CallbackFormView } from '../src/screens/callback-form';
import { rulesView } from '../src/screens/rules';
import { STRINGS } from '../src/strings';
import { SHARED_TTL_MS } from '../src/store';
import { Widget } from '../src/widget';
import { settle, stubFetch, text, type Answer } from './dom-helpers';

// The house rules say how long personal data is kept, as configured (GET /api/v1/settings);
// when the service does not say, they say it without a number, never a guessed one (issue 12).

const topic: Topic = {
  id: 'paspoort-id',
  name: 'Paspoort en ID-kaart',
  open: true,
  nextOpenAt: null,
  queueLength: 0,
  estimatedWaitSeconds: 300,
  callbackOffered: false,
  notice: null,
  digitalAlternatives: [],
};

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
  sessionStorage.clear();
  localStorage.clear(); // the site's other tabs keep nothing either
});

describe('GET /api/v1/settings', () => {
  const days = (answer: Answer) => {
    stubFetch({ '/api/v1/settings': answer });
    return new Api('https://loket.example').retentionDays();
  };

  it('gives the configured number of days', async () => {
    expect(await days({ status: 200, body: { retentionDays: 14 } })).toBe(14);
  });

  it('gives null when the request fails or the field is missing or not a whole number of days', async () => {
    expect(await days('network-down')).toBeNull();
    expect(await days({ status: 404, body: { title: 'Not Found' } })).toBeNull();
    expect(await days({ status: 500 })).toBeNull();
    expect(await days({ status: 200, body: {} })).toBeNull();
    expect(await days({ status: 200, body: { retentionDays: '28' } })).toBeNull();
    expect(await days({ status: 200, body: { retentionDays: 0 } })).toBeNull();
    expect(await days({ status: 200, body: { retentionDays: 2.5 } })).toBeNull();
  });
});

describe('the house rules', () => {
  const rules = async (days: number | null, lang: 'nl' | 'en' = 'nl') => {
    const view = rulesView({ s: STRINGS[lang], lang, topic, retentionDays: Promise.resolve(days), keptSeconds: 90, start: async () => {}, back: () => {} });
    await settle();
    return [...view.querySelectorAll('.rules li')].map(text);
  };

  it('say the configured number of days', async () => {
    expect(await rules(14)).toContain('Wij bewaren uw naam en berichten 14 dagen. Daarna verwijderen wij ze. Wij gebruiken ze alleen om uw vraag te beantwoorden.');
    expect(await rules(1)).toContain('Wij bewaren uw naam en berichten 1 dag. Daarna verwijderen wij ze. Wij gebruiken ze alleen om uw vraag te beantwoorden.');
    expect(await rules(90, 'en')).toContain('We keep your name and messages for 90 days, then delete them. We use them only to answer your question.');
  });

  it('say it without a number when the number is unknown', async () => {
    const nl = await rules(null);
    expect(nl).toContain('Wij bewaren uw naam en berichten niet langer dan nodig en verwijderen ze daarna. Wij gebruiken ze alleen om uw vraag te beantwoorden.');
    expect(nl.join(' ')).not.toMatch(/\d+ dag/);
    expect((await rules(null, 'en')).join(' ')).toContain('no longer than needed');
  });
});

describe('the callback form', () => {
  it('says the same retention, or none', async () => {
    const privacy = async (days: number | null) => {
      const form = new CallbackFormView(STRINGS.nl, 'nl', 'intro', Promise.resolve(days), () => {});
      await settle();
      return text(form.el.querySelector('p.muted'));
    };
    expect(await privacy(14)).toBe('Wij gebruiken uw gegevens alleen om u terug te bellen en verwijderen ze 14 dagen nadat uw verzoek is afgehandeld.');
    expect(await privacy(null)).toBe('Wij gebruiken uw gegevens alleen om u terug te bellen en bewaren ze niet langer dan nodig nadat uw verzoek is afgehandeld.');
  });
});

describe('the widget', () => {
  async function rulesShown(settings: Answer) {
    const asked = stubFetch({ '/api/v1/topics': { status: 200, body: [topic] }, '/api/v1/settings': settings });
    const host = document.createElement('div');
    document.body.append(host);
    const widget = new Widget({ baseUrl: 'https://loket.example', lang: 'nl' }, host);
    widget.open();
    await settle();
    const root = host.shadowRoot!;
    (root.querySelector('.topic-btn') as HTMLButtonElement).click();
    await settle();
    expect(text(root.querySelector('h3'))).toBe('Voordat u begint');
    return { rules: [...root.querySelectorAll('.rules li')].map(text).join(' '), asked };
  }

  it('asks the service on opening and says its number of days', async () => {
    const { rules, asked } = await rulesShown({ status: 200, body: { retentionDays: 21 } });
    expect(rules).toContain('Wij bewaren uw naam en berichten 21 dagen.');
    expect(asked.filter((p) => p === '/api/v1/settings')).toHaveLength(1);
  });

  it('says what this browser keeps, and for how long after the resident left the site, in Dutch and English', async () => {
    const { rules } = await rulesShown({ status: 200, body: { retentionDays: 21 } });
    expect(rules).toContain('Deze browser onthoudt uw lopende gesprek (een verwijzing ernaar, niet de berichten) en berichten die nog niet verstuurd zijn');
    // honest about what stays after the resident left: not gone after the 90 seconds, only no longer to be opened
    expect(rules).toContain(`Verlaat u de website, dan is het gesprek hier nog ${SHARED_TTL_MS / 1000} seconden te openen. `
      + 'Daarna kan niemand het hier meer openen; wat nog bewaard is, wordt gewist zodra de chat op deze website weer wordt geladen.');
    expect(rules).toContain('Wat u typt maar niet verstuurt, bewaart alleen dit tabblad, tot u het sluit.');
    expect(rules).toContain('Op een gedeelde computer: beëindig het gesprek en kies daarna "Nieuwe vraag", dan blijft er niets achter.');
    const en = STRINGS.en.rulesBrowser(90);
    expect(en).toContain('If you leave the website, the conversation can still be opened here for 90 seconds. '
      + 'After that nobody can open it here; whatever is still kept is erased as soon as the chat loads on this website again.');
    expect(en).toContain('What you type but do not send is kept by this tab only, until you close it.');
    expect(en).toContain('On a shared computer: end the conversation and then choose "New question", and nothing is left behind.');
  });

  it('says no number when the service does not answer', async () => {
    const { rules } = await rulesShown('network-down');
    expect(rules).toContain('niet langer dan nodig');
    expect(rules).not.toMatch(/\d+ dag/);
  });

  it('says no number when the service has no retentionDays', async () => {
    const { rules } = await rulesShown({ status: 200, body: {} });
    expect(rules).toContain('niet langer dan nodig');
    expect(rules).not.toMatch(/\d+ dag/);
  });
});
