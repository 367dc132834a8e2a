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

/**
 * What the console knows of the resident's presence, for its mark (the dot in the tab and panel):
 * of one still loading (hello `later`) nothing yet, not even after a reconnect that knew it before
 * (that may be old), until its data or a `presence` frame comes; an ended one is offline.
 */
export function presenceOf(c: Conversation): 'online' | 'offline' | 'unknown' {
  if (c.ended) return 'offline';
  if (c.loading && !c.presenceKnown) return 'unknown';
  return c.residentOnline ? 'online' : 'offline';
}

/**
 * The resident's name as the console shows it. A conversation known by its id alone (`idOnly`: a
 * reload's hello named it in `later`) is not called "Inwoner" as if the resident had given no
 * name: "Gesprek wordt geladen" while it loads, "Gesprek (niet geladen)" once it ended before it
 * came (two such were "Gesprek met Inwoner" both, and the resident may have had a name).
 */
export function residentLabel(c: Conversation, t: T): string {
  if (c.residentName) return c.residentName;
  if (c.idOnly) return c.loading && !c.ended ? t('conversationLoadingName') : t('conversationNotLoadedName');
  return t('anonymous');
}

/** "Gesprek met Lotte"; of one known by its id alone, "Gesprek wordt geladen" or "Gesprek (niet geladen)". */
export function conversationTitle(c: Conversation, t: T): string {
  return c.idOnly && !c.residentName ? residentLabel(c, t) : t('transcript', { name: residentLabel(c, t) });
}

/** The resident's name for a canned reply: `undefined` while not known yet (one known by its id alone), see fillCanned. */
export function knownResidentName(c: Conversation): string | null | undefined {
  return c.idOnly && !c.residentName ? undefined : c.residentName;
}
