import { describe, expect, it } from 'vitest';
import { translate } from '../src/i18n';
import { checkTransferTopic, transferTopicChoices } from '../src/transfer';

const nl = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('nl', k, p);
const en = (k: Parameters<typeof translate>[1], p?: Record<string, string | number>) => translate('en', k, p);

const topics = [
  { id: 'paspoort-id', name: 'Paspoort en ID-kaart' },
  { id: 'rijbewijs', name: 'Rijbewijs' },
];

describe('the transfer dialog’s topics', () => {
  it('starts on no topic: the agent must choose one, the conversation’s own is not taken for her', () => {
    const choices = transferTopicChoices(topics, 'paspoort-id', nl);
    expect(choices[0]).toEqual({ value: '', label: 'Kies een onderwerp…' });
    expect(choices.map((c) => c.value)).toEqual(['', 'paspoort-id', 'rijbewijs']);
  });

  it('names the current topic as such: the service takes it, and puts the resident back in its queue', () => {
    expect(transferTopicChoices(topics, 'paspoort-id', nl)[1].label).toBe('Paspoort en ID-kaart (huidig onderwerp: terug in de wachtrij)');
    expect(transferTopicChoices(topics, 'paspoort-id', en)[1].label).toBe('Paspoort en ID-kaart (current topic: back to its queue)');
    expect(transferTopicChoices(topics, 'paspoort-id', nl)[2].label).toBe('Rijbewijs');
  });

  it('refuses to send without a chosen topic, and says so by the field', () => {
    expect(checkTransferTopic('', nl)).toEqual([{ field: 'topic', message: 'Kies een onderwerp.' }]);
    expect(checkTransferTopic('', en)).toEqual([{ field: 'topic', message: 'Choose a topic.' }]);
    expect(checkTransferTopic('rijbewijs', nl)).toEqual([]);
  });
});
