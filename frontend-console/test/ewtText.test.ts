import { describe, expect, it } from 'vitest';
import { type Key, translate } from '../src/i18n';
import { ewtText } from '../src/ui/Queues';

const nl = (k: Key, p?: Record<string, string | number>) => translate('nl', k, p);
const en = (k: Key, p?: Record<string, string | number>) => translate('en', k, p);

describe('the estimate on the board and the team lead\'s overview', () => {
  it('stays in minutes up to an hour and a half', () => {
    expect(ewtText(nl, 30)).toBe('ca. 1 min');
    expect(ewtText(nl, 89 * 60)).toBe('ca. 89 min');
    expect(ewtText(nl, null)).toBe('onbekend');
  });

  it('says hours and minutes beyond, as a surge gives (300 waiting: 15,050 s)', () => {
    expect(ewtText(nl, 15_050)).toBe('ca. 4 uur 11 min');
    expect(ewtText(en, 15_050)).toBe('about 4 h 11 min');
    expect(ewtText(nl, 90 * 60)).toBe('ca. 1 uur 30 min');
    expect(ewtText(nl, 3 * 3600)).toBe('ca. 3 uur');
    expect(ewtText(en, 3 * 3600)).toBe('about 3 h');
  });
});
