// The agent's waiting list as shown. On a surge day colleagues take residents off its top every
// few seconds and the list is read again every 2 s: a list that simply followed would move the
// rows up under the agent's mouse, and "Kies" would pick the resident below the one aimed at.

import type { WaitingConversation } from './protocol';
import { type State, servesTopic } from './state';

/** A row of the list; `gone`: no longer waiting, kept in its place while the agent aims. */
export interface WaitingRow extends WaitingConversation {
  gone?: boolean;
}

/**
 * The list while the agent's pointer or focus is in it: every row shown stays where it is — a
 * resident no longer waiting is kept as `gone`, one still waiting takes the new read's data — and
 * residents new to the list come after them. Nothing above a row moves it. Outside the list, the
 * console shows the new read as it is (the rows gone are dropped).
 */
export function holdRows(shown: readonly WaitingRow[], fresh: readonly WaitingConversation[]): WaitingRow[] {
  const byId = new Map(fresh.map((w) => [w.id, w]));
  const kept = shown.map((r): WaitingRow => {
    const now = byId.get(r.id);
    return now ? now : r.gone ? r : { ...r, gone: true };
  });
  const known = new Set(shown.map((r) => r.id));
  return [...kept, ...fresh.filter((w) => !known.has(w.id))];
}

/**
 * How many wait in the agent's own topics, by the live board: the waiting list holds at most the
 * 200 who have waited longest, and must say so when more wait.
 */
export function waitingInMyTopics(state: State): number {
  return state.boards.filter((b) => servesTopic(state, b.id)).reduce((sum, b) => sum + b.waiting, 0);
}
