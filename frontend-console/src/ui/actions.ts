// What the panels may ask of the console. A module of its own so that the console and the
// panels it renders both import it, instead of the panels importing the console (a cycle).

import type { ClientFrame, Status } from '../protocol';
import type { View } from '../roles';

export type DialogState = null | { kind: 'transfer' | 'close' | 'callback'; id: string } | { kind: 'help' };

export interface Actions {
  claim(target?: { topic?: string; conversationId?: string }): void;
  setStatus(status: Status): void;
  select(id: string): void;
  sendText(conversationId: string, kind: 'message' | 'note', text: string): Promise<void>;
  retry(conversationId: string, clientMsgId: string): void;
  discard(conversationId: string, clientMsgId: string): void;
  typing(conversationId: string): void;
  leave(conversationId: string, frame: ClientFrame): Promise<void>;
  dismiss(conversationId: string): void;
  openDialog(d: DialogState): void;
  setDraft(conversationId: string, text: string): void;
}

export type { View };
