// Words the console shows or speaks about a conversation, apart from its messages.

import type { T } from './i18n';
import type { Conversation } from './state';

/**
 * What a conversation's tab tells a screen reader after the name (its dot says it to the eye):
 * whether the resident is there, or, for one still loading (hello `later`, its presence not yet
 * known), that it is loading; an ended one is offline.
 */
export function tabPresence(c: Conversation, t: T): string {
  if (c.ended) return t('offlineResident');
  if (c.loading) return t('tabLoading');
  return c.residentOnline ? t('online') : t('offlineResident');
}
