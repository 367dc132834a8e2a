// The transfer dialog's choice of a topic (pure, so it is unit-tested).

import type { T } from './i18n';
import type { FieldError } from './protocol';

/**
 * The topics a conversation can go to, as the dialog lists them: first "Kies een onderwerp…",
 * chosen at the start. The conversation's own topic used to be chosen at the start, so a hurried
 * agent who confirmed "transferred" it to where it was. The service takes that transfer (the
 * resident goes back to the queue, keeping their place), so the topic stays in the list, named
 * for what it does.
 */
export function transferTopicChoices(topics: readonly { id: string; name: string }[], current: string, t: T): { value: string; label: string }[] {
  return [
    { value: '', label: t('chooseTopicPlaceholder') },
    ...topics.map((x) => ({ value: x.id, label: x.id === current ? t('currentTopicBackToQueue', { name: x.name }) : x.name })),
  ];
}

/** A transfer to a topic names one: without, nothing is sent and the field says why. */
export function checkTransferTopic(topic: string, t: T): FieldError[] {
  return topic ? [] : [{ field: 'topic', message: t('errChooseTopic') }];
}
