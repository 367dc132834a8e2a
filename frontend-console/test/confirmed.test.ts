import { describe, expect, it } from 'vitest';
import { translate } from '../src/i18n';
import { type ConfirmedSink, runConfirmed } from '../src/ui/confirmed';

const t = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('nl', k, p);

function recorder() {
  const calls: string[] = [];
  const sink: ConfirmedSink = {
    setBusy: (b) => calls.push('busy:' + b),
    setNote: (text) => calls.push('note:' + text),
    close: () => calls.push('close'),
  };
  return { sink, calls };
}

describe('a confirmed action on a list screen', () => {
  it('is busy while it runs, says what it did, and closes the confirmation', async () => {
    const { sink, calls } = recorder();
    let seenBusy = false;
    await runConfirmed(
      async () => {
        seenBusy = calls.includes('busy:true');
        return 'Standaardantwoord verwijderd';
      },
      t,
      sink,
    );
    expect(seenBusy).toBe(true);
    expect(calls).toEqual(['busy:true', 'note:Standaardantwoord verwijderd', 'busy:false', 'close']);
  });

  it('says a failure in the note and still closes the confirmation', async () => {
    const { sink, calls } = recorder();
    await runConfirmed(() => Promise.reject(new Error('Geen verbinding')), t, sink);
    expect(calls).toEqual(['busy:true', 'note:' + t('loadFailed', { error: 'Geen verbinding' }), 'busy:false', 'close']);
    expect(calls[1]).toContain('Geen verbinding');
  });
});
