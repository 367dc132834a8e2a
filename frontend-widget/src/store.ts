// What survives a page navigation or reload on the municipal site: the conversation (or
// callback request) and its token, and messages typed but not yet acknowledged. sessionStorage
// is per tab and gone when the tab closes; message history is not kept here, the server replays it.

import type { PendingMessage } from './protocol';

export interface ChatSession {
  kind: 'chat';
  id: string;
  token: string;
  topic: string;
  topicName: string;
  pending?: PendingMessage[];
  /** what the resident is typing in the message box, not sent yet */
  draft?: string;
  callbackId?: string;
  callbackWindow?: string;
  callbackCancelled?: boolean;
  rated?: boolean;
  open?: boolean;
}

export interface CallbackSession {
  kind: 'callback';
  id: string;
  token: string;
  topic: string;
  topicName: string;
  window?: string;
  cancelled?: boolean;
  open?: boolean;
}

export type Saved = ChatSession | CallbackSession;

const KEY = 'loket.widget.v1';

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null; // blocked by the browser's privacy settings: the widget works, without resume
  }
}

export function load(): Saved | null {
  try {
    const raw = storage()?.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw);
    return v && (v.kind === 'chat' || v.kind === 'callback') && v.id && v.token ? (v as Saved) : null;
  } catch {
    return null;
  }
}

export function save(s: Saved | null): void {
  try {
    const st = storage();
    if (!st) return;
    if (s) st.setItem(KEY, JSON.stringify(s));
    else st.removeItem(KEY);
  } catch {
    /* quota or privacy mode: resume is a convenience */
  }
}
