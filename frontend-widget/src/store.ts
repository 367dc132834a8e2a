// What survives a page navigation, a reload, or the tab being closed and opened again: the
// conversation (or callback request) and its token, messages typed but not yet acknowledged,
// and the draft. Message history is not kept here, the server replays it.
//
// Two places:
// - sessionStorage (this tab): as before, no expiry. A reload in the same tab, or a phone that
//   discards the tab and restores it, finds everything there.
// - localStorage (every tab of the site): so a tab closed by mistake, a phone browser that
//   dropped the tab, or a second tab finds the conversation. Only while it is open (queued,
//   active, a callback request not cancelled) and only for SHARED_TTL_MS after the last sign of
//   life of a widget showing it: on a shared computer (a library PC) the next person does not
//   find it. A widget that runs refreshes the time every HEARTBEAT_MS (one small write). Never
//   the draft (this tab's only), and of a callback number only its last two digits; the unsent
//   messages of two tabs are merged by clientMsgId, so neither tab's are lost.
//
// Once a conversation has ended (closed, abandoned, handed off to a callback) neither place keeps
// anything that opens it again: not its token, not its unsent messages, not the draft. The page
// that is open at the end keeps it in memory; the tab keeps only a marker (`EndedSession`), so a
// reload says briefly that it has ended instead of showing the transcript. A chat handed off to a
// callback is kept as that callback request, with the request's own token (it opens the request,
// never the conversation), so a reload still shows the confirmation and can cancel it.

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
  /** the callback request's short reference, to quote on the phone */
  callbackReference?: string;
  callbackWindow?: string;
  /** the last two digits of the number to be called back: never the whole number */
  callbackPhoneEnd?: string;
  callbackCancelled?: boolean;
  /** the callback request's own token (callback_created): it opens the request, never the conversation */
  callbackToken?: string;
  rated?: boolean;
  open?: boolean;
  /** the conversation ended (closed, abandoned, gone): kept in this tab for its end screen only */
  ended?: boolean;
}

export interface CallbackSession {
  kind: 'callback';
  id: string;
  token: string;
  topic: string;
  topicName: string;
  window?: string;
  /** the short reference, to quote on the phone */
  reference?: string;
  /** the last two digits of the number to be called back: never the whole number */
  phoneEnd?: string;
  cancelled?: boolean;
  open?: boolean;
}

/** What a tab keeps of a conversation that has ended: that it ended, nothing that opens it. */
export interface EndedSession {
  kind: 'ended';
  open?: boolean;
  /**
   * The reference of the callback request the chat became, when it still stood but this tab had
   * only the conversation's token (from before callback_created carried the request's own), which
   * no longer opens it: the notice says the request stands and how to reach it.
   */
  callbackReference?: string;
}

export type Saved = ChatSession | CallbackSession | EndedSession;

const KEY = 'loket.widget.v1';
/** When a widget showing the shared session last ran (ms since the epoch), apart so a refresh writes a number only. */
const SEEN_KEY = 'loket.widget.v1.seen';

/**
 * How long the shared session outlives the last sign of life: the resident's grace on the server
 * (LOKET_GRACE_RESIDENT, 60 s, after which a queued place is gone), plus one heartbeat that may
 * not have come (15 s) and 15 s for a slow start of the next tab.
 */
export const SHARED_TTL_MS = 90_000;
/** How often a running widget refreshes the shared session's time. */
export const HEARTBEAT_MS = 15_000;

function area(name: 'sessionStorage' | 'localStorage'): Storage | null {
  try {
    return window[name];
  } catch {
    return null; // blocked by the browser's privacy settings: the widget works, without resume
  }
}

function parse(raw: string | null | undefined): Saved | null {
  try {
    if (!raw) return null;
    const v = JSON.parse(raw);
    if (v?.kind === 'ended') {
      const ref = typeof v.callbackReference === 'string' ? v.callbackReference : undefined;
      return { kind: 'ended', open: v.open === true, ...(ref ? { callbackReference: ref } : {}) };
    }
    return v && (v.kind === 'chat' || v.kind === 'callback') && v.id && v.token ? (v as Saved) : null;
  } catch {
    return null;
  }
}

/**
 * Whether another tab may take the session up: the conversation or the callback request is still
 * open (a chat handed off to a callback: as long as that request stands).
 */
export function live(given: Saved): boolean {
  const s = storable(given);
  return s.kind === 'chat' ? !s.ended && !s.callbackCancelled : s.kind === 'callback' && !s.cancelled;
}

/**
 * What the browser may keep of `s`: an open one as it is; of an ended conversation only the marker,
 * or, when it became a callback request that stands, that request with its own token.
 */
export function storable(s: Saved): Saved {
  if (s.kind !== 'chat' || !s.ended) return s;
  if (s.callbackId && s.callbackToken && !s.callbackCancelled) {
    return {
      kind: 'callback', id: s.callbackId, token: s.callbackToken, topic: s.topic, topicName: s.topicName, window: s.callbackWindow,
      reference: s.callbackReference, phoneEnd: s.callbackPhoneEnd, open: s.open,
    };
  }
  return endedMarker(s, s.open);
}

/** The marker an ended chat leaves: with the reference of a request it became that this tab can no longer open. */
export function endedMarker(s: Saved | null | undefined, open: boolean | undefined): EndedSession {
  const stands = s?.kind === 'chat' && s.callbackId && !s.callbackToken && !s.callbackCancelled;
  return stands ? { kind: 'ended', open, callbackReference: s.callbackReference ?? s.callbackId } : { kind: 'ended', open };
}

/** The id of the conversation or request `s` is about; none for the marker of an ended one. */
function idOf(s: Saved | null | undefined): string | undefined {
  return s && s.kind !== 'ended' ? s.id : undefined;
}

/** This tab's session, else a live one another tab (open now, or closed a moment ago) left; an expired one is removed. */
export function load(now = Date.now()): Saved | null {
  return parse(area('sessionStorage')?.getItem(KEY)) ?? loadShared(now);
}

/** The session of the site's other tabs, if it is still fresh; an expired one is removed. */
export function loadShared(now = Date.now()): Saved | null {
  try {
    const st = area('localStorage');
    if (!st) return null;
    const s = parse(st.getItem(KEY));
    const seen = Number(st.getItem(SEEN_KEY));
    if (s && live(s) && seen > 0 && now - seen <= SHARED_TTL_MS && seen <= now + HEARTBEAT_MS) return s;
    st.removeItem(KEY);
    st.removeItem(SEEN_KEY);
    return null;
  } catch {
    return null;
  }
}

/**
 * The unsent messages of the shared session: this tab's, and those another tab of the same
 * conversation wrote there that this tab does not know to be sent or removed (`gone`). Two tabs
 * that each have something unsent both keep it; a message sent twice (from two tabs, with its
 * own clientMsgId) is stored once by the server.
 */
function mergePending(mine: ChatSession, theirs: Saved | null, gone: ReadonlySet<string>): ChatSession {
  if (theirs?.kind !== 'chat' || theirs.id !== mine.id || !theirs.pending?.length) return mine;
  const own = new Set((mine.pending ?? []).map((p) => p.clientMsgId));
  const kept = theirs.pending.filter((p) => !own.has(p.clientMsgId) && !gone.has(p.clientMsgId));
  return kept.length ? { ...mine, pending: [...kept, ...(mine.pending ?? [])] } : mine;
}

/**
 * Keeps `s` in this tab and, while it is open, for the site's other tabs. `gone`: clientMsgIds
 * this tab knows the server has (an echo) or the resident removed, so another tab's copy of them
 * is not kept. `dropped`: with `s` null, the id of the session this tab lets go of: its shared copy
 * goes, another conversation's (one another tab has open) stays.
 */
export function save(given: Saved | null, gone: ReadonlySet<string> = new Set(), dropped?: string): void {
  const s = given && storable(given);
  try {
    const st = area('sessionStorage');
    if (s) st?.setItem(KEY, JSON.stringify(s));
    else st?.removeItem(KEY);
  } catch {
    /* quota or privacy mode: resume is a convenience */
  }
  try {
    const shared = area('localStorage');
    if (!shared) return;
    if (s && live(s)) {
      // the draft stays in this tab only: half-written text (a BSN typed before thinking) is not
      // left on the computer's disk for the next visit to the site
      const { draft: _, ...kept } = s as ChatSession;
      const merged = s.kind === 'chat' ? mergePending(kept as ChatSession, parse(shared.getItem(KEY)), gone) : s;
      // the time first: a tab sweeping expired entries meanwhile never finds the new entry with the old time
      shared.setItem(SEEN_KEY, String(Date.now()));
      shared.setItem(KEY, JSON.stringify(merged));
    } else if ((idOf(given) ?? dropped) === idOf(parse(shared.getItem(KEY)))) {
      // ended, cancelled or given up here: no other tab picks it up (another conversation's entry stays)
      shared.removeItem(KEY);
      shared.removeItem(SEEN_KEY);
    }
  } catch {
    /* as above */
  }
}

/**
 * When the shared session expires (ms since the epoch), or null when there is none. A widget
 * that runs without showing it (another tab's end screen) removes it then: it does not stay on the
 * computer until the site is next loaded.
 */
export function sharedExpiry(): number | null {
  try {
    const st = area('localStorage');
    if (!st || st.getItem(KEY) === null) return null;
    const seen = Number(st.getItem(SEEN_KEY));
    return seen > 0 ? seen + SHARED_TTL_MS : 0;
  } catch {
    return null;
  }
}

/** Removes the shared session if it has expired (or is no longer live); keeps a fresh one. */
export function sweepShared(now = Date.now()): void {
  loadShared(now);
}

/** A sign of life of the widget showing `s`: the shared session stays valid for SHARED_TTL_MS from now. */
export function touch(s: Saved | null): void {
  try {
    const shared = area('localStorage');
    const kept = s && storable(s);
    if (!shared || !kept || !live(kept)) return;
    if (idOf(parse(shared.getItem(KEY))) === idOf(kept)) shared.setItem(SEEN_KEY, String(Date.now()));
  } catch {
    /* as above */
  }
}

/** The key whose `storage` event says another tab saved or removed the shared session. */
export const SHARED_KEY = KEY;
