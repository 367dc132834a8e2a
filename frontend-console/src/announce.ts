// What the console says through its polite live region (a new conversation, a message elsewhere).

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
