// What the console says through its polite live region: a new conversation, a transfer, a message,
// a reply that was not sent. It is the only voice of the conversations: their transcripts are no
// live regions (aria-live="off"). With three side by side each was one, and a new message was read
// by its transcript and again by this announcement; and every reply the agent sent was read back,
// as "wordt verstuurd…" and again once stored.

import { residentLabel } from './conversationText';
import type { T } from './i18n';
import type { ServerFrame } from './protocol';
import type { View } from './roles';
import { type State, assignedCause, seesConversation } from './state';

/**
 * One announcement. A live region speaks when its content changes; the same words twice in a
 * row change nothing, so each announcement has an id of its own and is rendered as an element
 * keyed by it: every announcement is a new node, which a screen reader reads again.
 */
export interface Announcement {
  id: number;
  text: string;
}

export const noAnnouncement: Announcement = { id: 0, text: '' };

export function nextAnnouncement(previous: Announcement, text: string): Announcement {
  return { id: previous.id + 1, text };
}

/**
 * What to say for a frame that brought a message, given the state after it. A resident's message
 * the agent sees arrive (the selected conversation at its bottom, page visible, conversations view
 * showing) is read with its words, once; otherwise who wrote, and whether in another conversation
 * than the selected one. A system message in the conversation shown is read (the resident left, a
 * timeout), unless the agent is closing it: the console then says so itself. The agent's own
 * replies and notes are never read back.
 */
export function messageAnnouncement(s: State, f: ServerFrame, visible: boolean, view: View, t: T): string | null {
  if (f.type !== 'message') return null;
  const c = s.conversations.find((x) => x.id === f.conversationId);
  if (!c) return null;
  const selected = s.selected === f.conversationId;
  const seen = selected && seesConversation(visible, view) && !s.scrolledUp.includes(c.id);
  const name = residentLabel(c, t);
  if (f.from === 'resident') {
    if (seen) return t('messageSpoken', { name, text: f.text });
    return t(selected ? 'newMessageFromSelected' : 'newMessageFrom', { name });
  }
  if (f.from === 'system' && seen && !s.leaving.includes(c.id)) return f.text;
  return null;
}

/**
 * What to say for a frame that brought a conversation, given the state before it: the agent's own
 * claim is a new conversation (selected, the focus may go to it); her claim in another tab or
 * window, and a colleague's transfer, stay beside what she is doing and are said as such. One the
 * hello named in `later` was hers all along and nothing new: said as loaded, once, since its
 * "still loading" line goes silently and its name and buttons come with it.
 */
export function assignedAnnouncement(before: State, f: Extract<ServerFrame, { type: 'assigned' }>, topicName: string, t: T): string {
  const params = { name: f.conversation.residentName || t('anonymous'), topic: topicName };
  const known = before.conversations.find((c) => c.id === f.conversation.id);
  if (known?.loading && !known.ended) return t('conversationLoaded', params);
  const cause = assignedCause(before, f);
  return t(cause === 'claim' ? 'newAssigned' : cause === 'claim-elsewhere' ? 'newClaimedElsewhere' : 'newTransferred', params);
}

/**
 * What to say when a reply or note of the agent's was refused (the error carries its clientMsgId
 * as ref), given the state before it; the transcripts are silent, and this is no notice. Nothing
 * for `unavailable`: the reply goes again by itself, and saying so on every try would be noise.
 */
export function sendFailedAnnouncement(before: State, f: ServerFrame, t: T): string | null {
  if (f.type !== 'error' || !f.ref || f.code === 'unavailable') return null;
  for (const c of before.conversations) {
    const p = c.pending.find((x) => x.clientMsgId === f.ref);
    if (!p) continue;
    const params = { name: residentLabel(c, t), error: f.message };
    return t(p.kind === 'note' ? 'noteNotSaved' : 'replyNotSent', params);
  }
  return null;
}

/**
 * What to say once a conversation the agent closed, transferred (to `name`: a topic or a
 * colleague) or turned into a callback request has left the screen: its panel goes, and with it
 * whatever showed it happened.
 */
export function leftAnnouncement(kind: 'close' | 'transfer' | 'callback', t: T, name?: string): string {
  switch (kind) {
    case 'close':
      return t('leftClosed');
    case 'transfer':
      return t('leftTransferred', { name: name ?? '' });
    case 'callback':
      return t('leftCallback');
  }
}
