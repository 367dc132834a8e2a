// What the console says through its polite live region (a new conversation, a transfer, a message elsewhere).

import type { T } from './i18n';
import type { ConversationView, ServerFrame } from './protocol';
import type { View } from './roles';
import { type State, claimAnswered, seesConversation } from './state';

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
 * What to say for a frame that brought a resident's message, given the state after it: nothing
 * for a message the agent sees arrive (the selected conversation, page visible, conversations view
 * showing); otherwise who wrote, and whether in another conversation than the selected one.
 */
export function messageAnnouncement(s: State, f: ServerFrame, visible: boolean, view: View, t: T): string | null {
  if (f.type !== 'message' || f.from !== 'resident') return null;
  const selected = s.selected === f.conversationId;
  if (selected && seesConversation(visible, view)) return null;
  const c = s.conversations.find((x) => x.id === f.conversationId);
  if (!c) return null;
  return t(selected ? 'newMessageFromSelected' : 'newMessageFrom', { name: c.residentName || t('anonymous') });
}

/**
 * What to say for a frame that brought a conversation, given the state before it: the agent's own
 * claim is a new conversation (selected, the focus may go to it); anything else is a colleague's
 * transfer, which stays beside what the agent is doing and is said as such.
 */
export function assignedAnnouncement(before: State, conversation: ConversationView, topicName: string, t: T): string {
  const params = { name: conversation.residentName || t('anonymous'), topic: topicName };
  return t(claimAnswered(before, conversation) ? 'newAssigned' : 'newTransferred', params);
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
