import { describe, expect, it } from 'vitest';
import { STRINGS, serverText } from '../src/strings';
import { formatWait, waitRange } from '../src/wait';

const nl = STRINGS.nl;

describe('wait range', () => {
  it('is [EWT/2, max(2·EWT, 5 min)]', () => {
    expect(waitRange(300)).toEqual({ lo: 150, hi: 600 });
    expect(waitRange(60)).toEqual({ lo: 30, hi: 300 });
    expect(waitRange(null)).toBeNull();
  });

  it('says unknown when there is no estimate, never zero', () => {
    expect(formatWait(null, nl)).toBe('wachttijd onbekend');
    expect(formatWait(undefined, STRINGS.en)).toBe('waiting time unknown');
  });

  it('reads as a range of minutes', () => {
    expect(formatWait(0, nl)).toBe('minder dan 5 minuten');
    expect(formatWait(300, nl)).toBe('ongeveer 2–10 minuten');
    expect(formatWait(600, nl)).toBe('ongeveer 5–20 minuten');
    expect(formatWait(1200, nl)).toBe('ongeveer 10–40 minuten');
    expect(formatWait(3600, nl)).toBe('ongeveer 30 minuten tot 2 uur');
    expect(formatWait(3 * 3600, nl)).toBe('ongeveer 1–6 uur');
    expect(formatWait(600, STRINGS.en)).toBe('about 5–20 minutes');
  });
});

describe('server texts', () => {
  it('shows the half of "Nederlands / English" in the widget language', () => {
    expect(serverText('Vul een telefoonnummer in. / Enter a phone number.', 'nl')).toBe('Vul een telefoonnummer in.');
    expect(serverText('Vul een telefoonnummer in. / Enter a phone number.', 'en')).toBe('Enter a phone number.');
    expect(serverText('Alleen Nederlands', 'en')).toBe('Alleen Nederlands');
  });
});

describe('strings', () => {
  it('has every Dutch string in English too', () => {
    expect(Object.keys(STRINGS.en).sort()).toEqual(Object.keys(STRINGS.nl).sort());
  });
});
