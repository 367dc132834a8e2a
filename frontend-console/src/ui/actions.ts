// What the panels may ask of the console. A module of its own so that the console and the
// panels it renders both import it, instead of the panels importing the console (a cycle).

import type { ClientFrame, Status } from '../protocol';
import type { View } from '../roles';
import type { ComposerMode } from '../state';

export type DialogState = null | { kind: 'transfer' | 'close' | 'callback'; id: string } | { kind: 'help' };

export interface Actions {
  claim(target?: { topic?: string; conversationId?: string }): void;
  setStatus(status: Status): void;
  select(id: string): void;
  /** The agent scrolled a transcript to its bottom or up from it: below, new messages are not read yet. */
  scrolled(id: string, atBottom: boolean): void;
  sendText(conversationId: string, kind: 'message' | 'note', text: string): Promise<void>;
  retry(conversationId: string, clientMsgId: string): void;
  discard(conversationId: string, clientMsgId: string): void;
  /** What the agent typed in the box: tells the resident they type, unless it is a note (see typingMayGoOut). */
  typing(conversationId: string, text: string, caret: number): void;
  /** The box of this conversation writes a reply or an internal note from now on; said aloud, focus in the box. */
  setMode(conversationId: string, mode: ComposerMode): void;
  /**
   * Closes, transfers or turns into a callback request: resolves once the server ended it. Once it
   * has left the screen the console says so and moves the focus; `transferTo` names the topic or
   * colleague a transfer goes to.
   */
  leave(conversationId: string, frame: ClientFrame, transferTo?: string): Promise<void>;
  dismiss(conversationId: string): void;
  openDialog(d: DialogState): void;
  setDraft(conversationId: string, text: string): void;
}

export type { View };
