// The console's state and every way it changes: server frames and the agent's own actions.
// Pure (no DOM, no socket): the app keeps one State and feeds it through reduce().

import type { AgentView, ClientFrame, ConversationView, EndReason, Message, ServerFrame, TopicBoard, WaitingConversation } from './protocol';
import type { View } from './roles';
import { slashQuery } from './canned';
import { type Notice, withNotice } from './notices';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'offline';

/** A message or note sent by this console and not yet stored (no `message` event with its clientMsgId yet). */
export interface Pending {
  clientMsgId: string;
  kind: 'message' | 'note';
  text: string;
  queuedAt: number;
  error?: string;
  /**
   * How often the server answered `unavailable` (the database cannot be reached: a restart) and
   * the reply is not stored yet. While set it is no failure: it goes again by itself (resend.ts)
   * and is shown as such, not as "Niet verstuurd" with a button.
   */
  retries?: number;
}

/**
 * Why a conversation left this agent: the server's reasons, plus one only the console can see:
 * a reconnect's hello no longer listed it (the agent was away past the grace period, or the
 * resident left while the socket was down).
 */
export type Ending = EndReason | 'unassigned_offline';

/**
 * What the agent writes in a conversation's box: a reply to the resident (Enter sends it, and the
 * resident sees the agent typing) or an internal note for colleagues (Enter saves it, and no
 * typing goes out: the resident must not see "Anne typt…" for words they will never get).
 */
export type ComposerMode = 'reply' | 'note';

/** A conversation as the server describes it, plus what only the console keeps. */
export interface Conversation extends ConversationView {
  pending: Pending[];
  /** Highest resident seq the agent has looked at; everything above counts as unread. */
  seenSeq: number;
  /** Until when (epoch ms) the resident counts as typing. */
  typingUntil: number;
  /** Set when the conversation left this agent for a reason the agent did not cause. */
  ended?: Ending;
  /** The box's mode: kept while the agent works other conversations, back to reply when it ends. */
  mode: ComposerMode;
  /**
   * The agent closed it or made it a callback request, and the resident wrote while that was on
   * its way: kept on screen, ended, so those words are read instead of flashing by and vanishing.
   */
  lateWords?: true;
  /**
   * The hello named it in `later`: still the agent's, but the server could not read it yet; its
   * `assigned` follows. Until then the server refuses the agent's typing in it (none goes out) and
   * the panel says it is still loading. After a reload it is known by its id alone (placeholder):
   * no topic, name or messages, only what the page kept of it (unsent replies, note mode), so
   * that they and the draft wait for it.
   */
  loading?: true;
  /**
   * A `presence` frame told the resident's presence while it was loading: from then on the mark
   * shows it (what the page knew before the reconnect may be old, a frame is not).
   */
  presenceKnown?: true;
  /**
   * Known by its id alone: a placeholder of a reload's hello (`later`) that this page never read.
   * Unlike `loading` it stays when it ends before it came (`ended`, or a hello no longer naming
   * it), so it is shown as "not loaded" and not as a conversation with a resident who gave no
   * name; its `assigned` (or a hello listing it) replaces it with the conversation as read.
   */
  idOnly?: true;
}

export type { Notice };

/** What a claim asked for: that conversation ("Kies"), the next of that topic ("Neem"), else the next of any ("Volgende gesprek"). */
export interface ClaimTarget {
  conversationId?: string;
  topic?: string;
}

export interface State {
  connection: ConnectionState;
  agent: AgentView | null;
  boards: TopicBoard[];
  boardsAt: number;
  conversations: Conversation[];
  selected: string | null;
  /** Open callback requests per topic (from `callbacks` and `queues`). */
  callbacksOpen: Record<string, number>;
  /** Bumped on every `callbacks` event: the callback list refetches when it changes. */
  callbacksVersion: number;
  /** Bumped on every board change: the waiting list refetches when it changes. */
  queueVersion: number;
  /** Epoch ms of a claim this console sent and that has not been answered yet. */
  claimPendingSince: number | null;
  /** What that claim asked for: an older server's answer, without a ref, is told by it (assignedCause). */
  claim: ClaimTarget | null;
  /** The ref that claim went out with: the server's `assigned` to this console carries it back. */
  claimRef: string | null;
  /**
   * Conversations whose transcript the agent has scrolled up in, reading older messages: what
   * arrives there meanwhile is not read until they are back at the bottom.
   */
  scrolledUp: string[];
  /** Conversations this console is closing, transferring or converting: their `ended` is expected. */
  leaving: string[];
  notices: Notice[];
  /** Epoch ms of the last hello: after it, unsent messages go out again. */
  helloAt: number;
  nextNoticeId: number;
}

export const initialState: State = {
  connection: 'connecting',
  agent: null,
  boards: [],
  boardsAt: 0,
  conversations: [],
  selected: null,
  callbacksOpen: {},
  callbacksVersion: 0,
  queueVersion: 0,
  claimPendingSince: null,
  claim: null,
  claimRef: null,
  scrolledUp: [],
  leaving: [],
  notices: [],
  helloAt: 0,
  nextNoticeId: 1,
};

export type Action =
  | {
      type: 'frame';
      frame: ServerFrame;
      now: number;
      /** Whether the page is visible (true when left out); see seesConversation. */
      visible?: boolean;
      /** The view the console shows ('conversations' when left out); see seesConversation. */
      view?: View;
      /** Read markers and unsent replies the page kept over a reload (see toRemember), by conversation. */
      seen?: Record<string, number>;
      pending?: Record<string, Pending[]>;
      /** Conversations whose box was in note mode, kept over a reload (see toRemember). */
      modes?: Record<string, ComposerMode>;
      quiet?: boolean;
    }
  | { type: 'connection'; state: ConnectionState }
  | { type: 'select'; id: string | null }
  | { type: 'seen'; id: string }
  /** The page became visible or hidden, or the agent went to another view: see seesConversation. */
  | { type: 'sight'; visible: boolean; view: View }
  | { type: 'pending'; conversationId: string; pending: Pending }
  /** The agent chose what the box of this conversation writes: a reply or an internal note. */
  | { type: 'mode'; id: string; mode: ComposerMode }
  | { type: 'pending-failed'; clientMsgId: string; error: string }
  /** The server could not store it just now (`unavailable`): it goes again by itself. */
  | { type: 'pending-unavailable'; clientMsgId: string }
  | { type: 'pending-drop'; conversationId: string; clientMsgId: string }
  | { type: 'claim-sent'; now: number; target?: ClaimTarget; ref?: string }
  /** The agent scrolled a transcript: at its bottom, or up among older messages. */
  | { type: 'scrolled'; id: string; atBottom: boolean }
  | { type: 'leaving'; id: string }
  | { type: 'leaving-failed'; id: string }
  | { type: 'dismiss'; id: string }
  | { type: 'status'; status: string }
  | { type: 'notice'; kind: Notice['kind']; text: string; code?: string; now: number }
  | { type: 'notice-dismiss'; id: number };

export const TYPING_SHOWN_MS = 5000;

function highestResidentSeq(messages: Message[]): number {
  let max = 0;
  for (const m of messages) if (m.from === 'resident' && m.seq > max) max = m.seq;
  return max;
}

/** Messages in seq order, one per seq (a repeat delivery replaces nothing). */
export function mergeMessages(existing: Message[], incoming: Message[]): Message[] {
  const bySeq = new Map<number, Message>();
  for (const m of existing) bySeq.set(m.seq, m);
  for (const m of incoming) if (!bySeq.has(m.seq)) bySeq.set(m.seq, m);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

function stripMessage(frame: Message & { conversationId?: string; type?: string }): Message {
  const m: Message = { seq: frame.seq, from: frame.from, text: frame.text, sentAt: frame.sentAt };
  if (frame.clientMsgId !== undefined) m.clientMsgId = frame.clientMsgId;
  if (frame.agentName !== undefined) m.agentName = frame.agentName;
  return m;
}

/** Builds the console's view of a conversation from the server's, keeping what only this console knows. */
function fromView(
  view: ConversationView,
  previous: Conversation | undefined,
  seenSeq: number | undefined,
  keptPending: Pending[] = [],
  keptMode: ComposerMode = 'reply',
): Conversation {
  const messages = mergeMessages(previous?.messages ?? [], (view.messages ?? []).map(stripMessage));
  const stored = new Set(messages.map((m) => m.clientMsgId).filter(Boolean));
  return {
    id: view.id,
    topic: view.topic,
    state: view.state,
    residentName: view.residentName ?? null,
    queuedAt: view.queuedAt,
    assignedAt: view.assignedAt ?? null,
    residentOnline: !!view.residentOnline,
    confidential: !!view.confidential,
    messages,
    pending: (previous?.pending ?? keptPending).filter((p) => !stored.has(p.clientMsgId)),
    seenSeq: previous?.seenSeq ?? seenSeq ?? 0,
    typingUntil: previous?.typingUntil ?? 0,
    mode: previous?.mode ?? keptMode,
  };
}

export function unreadCount(c: Conversation): number {
  let n = 0;
  for (const m of c.messages) if (m.from === 'resident' && m.seq > c.seenSeq) n++;
  return n;
}

export function totalUnread(s: State): number {
  return s.conversations.reduce((sum, c) => sum + unreadCount(c), 0);
}

export function residentTyping(c: Conversation, now: number): boolean {
  return c.typingUntil > now;
}

/**
 * An error the agent must act on stays until dismissed; one that needs nothing of them goes by
 * itself: a refused claim (the queue moves on; they claim again) and the chat briefly away for
 * anything but a close, transfer or callback (those did not happen: the conversation is still theirs).
 */
function mustAct(kind: Notice['kind'], code?: string, ref?: string): boolean {
  if (kind !== 'error') return false;
  if (code && answersClaim({ code, ref })) return false;
  if (code === 'unavailable' && !ref?.startsWith('leave:')) return false;
  return true;
}

function addNotice(s: State, kind: Notice['kind'], text: string, now: number, code?: string, ref?: string): State {
  const notices = withNotice(s.notices, { id: s.nextNoticeId, kind, text, code, ref, sticky: mustAct(kind, code, ref), at: now });
  return { ...s, notices, nextNoticeId: s.nextNoticeId + 1 };
}

/** Changes the pending reply with this clientMsgId, in whichever conversation holds it. */
function updatePending(s: State, clientMsgId: string, f: (p: Pending) => Pending): State {
  return {
    ...s,
    conversations: s.conversations.map((c) =>
      c.pending.some((p) => p.clientMsgId === clientMsgId)
        ? { ...c, pending: c.pending.map((p) => (p.clientMsgId === clientMsgId ? f(p) : p)) }
        : c,
    ),
  };
}

function updateConversation(s: State, id: string, f: (c: Conversation) => Conversation): State {
  let changed = false;
  const conversations = s.conversations.map((c) => {
    if (c.id !== id) return c;
    changed = true;
    return f(c);
  });
  return changed ? { ...s, conversations } : s;
}

/**
 * Whether the agent sees the selected conversation: the page is visible and the conversations view
 * shows. Only then do its messages count as read as they arrive; on Terugbelverzoeken or Teamleider
 * they stay unread (badge, tab title, announcement) until the agent comes back.
 */
export function seesConversation(visible: boolean, view: View): boolean {
  return visible && view === 'conversations';
}

function markSeen(c: Conversation): Conversation {
  const seq = highestResidentSeq(c.messages);
  return seq > c.seenSeq ? { ...c, seenSeq: seq } : c;
}

/**
 * Takes a conversation off the screen. If it was the one shown, the next one still being worked
 * comes into view, and like any selection counts as read when the agent sees it (seesConversation).
 */
function withoutConversation(s: State, id: string, visible: boolean): State {
  const conversations = s.conversations.filter((c) => c.id !== id);
  const scrolledUp = s.scrolledUp.includes(id) ? s.scrolledUp.filter((x) => x !== id) : s.scrolledUp;
  if (s.selected !== id) return { ...s, conversations, scrolledUp };
  const selected = conversations.find((c) => !c.ended)?.id ?? conversations[0]?.id ?? null;
  const next = { ...s, conversations, selected, scrolledUp };
  return selected && visible && atBottom(next, selected) ? updateConversation(next, selected, markSeen) : next;
}

/**
 * Conversations this console showed that a new hello no longer lists: those already ended stay
 * as they were; those the agent was closing or transferring went as asked; the rest left while
 * the connection was down and are kept as ended.
 */
function lostMeanwhile(s: State, heldIds: Set<string>): Conversation[] {
  return s.conversations
    .filter((c) => !heldIds.has(c.id) && (c.ended || !s.leaving.includes(c.id)))
    .map(({ loading: _, ...c }) => (c.ended ? c : { ...c, ended: 'unassigned_offline' as const, typingUntil: 0, mode: 'reply' as const }));
}

/**
 * A conversation the hello names in `later` that this page does not show yet (a reload): its id
 * alone, with what the page kept of it, until its `assigned` (or `ended`) comes.
 */
function placeholder(id: string, kept: Remembered): Conversation {
  return {
    id,
    topic: '',
    state: 'active',
    residentName: null,
    queuedAt: '',
    assignedAt: null,
    residentOnline: false,
    confidential: false,
    messages: [],
    pending: kept.pending[id] ?? [],
    seenSeq: kept.seen[id] ?? 0,
    typingUntil: 0,
    mode: kept.modes[id] ?? 'reply',
    loading: true,
    idOnly: true,
  };
}

/**
 * The drafts worth keeping: those of conversations still on screen (held, also one still loading
 * after a reload, or ended and not yet dismissed).
 */
export function keptDrafts(drafts: Record<string, string>, s: State): Record<string, string> {
  const shown = new Set(s.conversations.map((c) => c.id));
  const keys = Object.keys(drafts).filter((k) => shown.has(k));
  return keys.length === Object.keys(drafts).length ? drafts : Object.fromEntries(keys.map((k) => [k, drafts[k]]));
}

/** Claims go out with a ref `claim-…` (see newClientMsgId): the server echoes it on a refusal. */
export const CLAIM_REF_PREFIX = 'claim';

/** The codes a refused claim comes with (docs/protocol.md), for an error without a ref. */
const CLAIM_ERRORS = new Set(['nothing_waiting', 'already_claimed', 'at_capacity', 'agent_unavailable', 'topic_not_allowed', 'not_found']);

/**
 * Does this error answer the claim in flight? By its ref when it has one (a transfer refused with
 * `agent_unavailable` is no answer to a claim); by its code otherwise.
 */
function answersClaim(f: { code: string; ref?: string }): boolean {
  return f.ref ? f.ref.startsWith(CLAIM_REF_PREFIX + '-') : CLAIM_ERRORS.has(f.code);
}

/** How long a claim may stay unanswered before the agent may claim again: a lost answer must not block for good. */
export const CLAIM_ANSWER_MS = 10_000;

/**
 * Why a conversation came to this console: `claim`, the answer to its own claim in flight;
 * `claim-elsewhere`, the agent's claim in another tab or window (this console's claim, if any, is
 * still on its way); `transfer`, a colleague handed it over. The server says which (`via`) and
 * returns the claim's ref to the socket that claimed alone. Taking a transfer for the claim
 * selected it over what the agent was doing, and the claimed one then came unselected.
 */
export type AssignedCause = 'claim' | 'claim-elsewhere' | 'transfer';

export function assignedCause(s: State, f: { conversation: ConversationView; via?: 'claim' | 'transfer'; ref?: string }): AssignedCause {
  if (f.via) {
    if (s.claimPendingSince !== null && s.claimRef !== null && f.ref === s.claimRef) return 'claim';
    return f.via === 'claim' ? 'claim-elsewhere' : 'transfer';
  }
  // Fallback for an `assigned` without `via`, from a server node of before it (a rolling upgrade):
  // the claim in flight is matched by what it asked for, that conversation or one of that topic;
  // a claim of "the next" takes whatever comes, as a transfer that crosses it cannot be told apart.
  if (s.claimPendingSince === null) return 'transfer';
  const target = s.claim ?? {};
  if (target.conversationId) return f.conversation.id === target.conversationId ? 'claim' : 'transfer';
  return target.topic && f.conversation.topic !== target.topic ? 'transfer' : 'claim';
}

/** Whether the agent reads new messages of this conversation as they come: it is not scrolled up. */
function atBottom(s: State, id: string): boolean {
  return !s.scrolledUp.includes(id);
}

/** A claim this console sent is still unanswered: a second one (a double click, a held key) must wait. */
export function claimInFlight(s: State, now: number): boolean {
  return s.claimPendingSince !== null && now - s.claimPendingSince < CLAIM_ANSWER_MS;
}

/** Whether the agent may claim from this topic's board: only topics they serve (a team lead sees them all). */
export function servesTopic(s: State, topic: string): boolean {
  return !!s.agent && s.agent.topics.includes(topic);
}

export function reduce(s: State, a: Action): State {
  switch (a.type) {
    case 'connection':
      return a.state === 'open' ? { ...s, connection: a.state } : { ...s, connection: a.state, claimPendingSince: null, claim: null, claimRef: null };
    case 'select': {
      const next = { ...s, selected: a.id };
      // one the agent left scrolled up comes back there (Conversations keeps the place): what is below is not read yet
      return a.id && atBottom(s, a.id) ? updateConversation(next, a.id, markSeen) : next;
    }
    case 'seen':
      return updateConversation(s, a.id, markSeen);
    case 'sight':
      // coming back to the selected conversation reads it, unless it is scrolled up
      return s.selected && seesConversation(a.visible, a.view) && atBottom(s, s.selected) ? updateConversation(s, s.selected, markSeen) : s;
    case 'scrolled': {
      if (atBottom(s, a.id) === a.atBottom || !s.conversations.some((c) => c.id === a.id)) return s;
      if (!a.atBottom) return { ...s, scrolledUp: [...s.scrolledUp, a.id] };
      // back at the bottom of the conversation shown: what came meanwhile is read now
      const next = { ...s, scrolledUp: s.scrolledUp.filter((x) => x !== a.id) };
      return next.selected === a.id ? updateConversation(next, a.id, markSeen) : next;
    }
    case 'pending':
      return updateConversation(s, a.conversationId, (c) => ({ ...c, pending: [...c.pending, a.pending] }));
    case 'mode':
      // an ended conversation has no box: nothing to write in either mode
      return updateConversation(s, a.id, (c) => (c.ended || c.mode === a.mode ? c : { ...c, mode: a.mode }));
    case 'pending-failed':
      // a failure of another kind is the agent's to decide on: no longer sent again by itself
      return updatePending(s, a.clientMsgId, ({ retries: _, ...p }) => ({ ...p, error: a.error }));
    case 'pending-unavailable':
      return updatePending(s, a.clientMsgId, (p) => ({ ...p, error: undefined, retries: (p.retries ?? 0) + 1 }));
    case 'pending-drop':
      return updateConversation(s, a.conversationId, (c) => ({
        ...c,
        pending: c.pending.filter((p) => p.clientMsgId !== a.clientMsgId),
      }));
    case 'claim-sent':
      return { ...s, claimPendingSince: a.now, claim: a.target ?? {}, claimRef: a.ref ?? null };
    case 'leaving':
      // late words count from this close on, not from an earlier one the server refused
      return s.leaving.includes(a.id)
        ? s
        : updateConversation({ ...s, leaving: [...s.leaving, a.id] }, a.id, ({ lateWords: _, ...c }) => c);
    case 'leaving-failed':
      return { ...s, leaving: s.leaving.filter((id) => id !== a.id) };
    case 'dismiss':
      // a click in the conversations view: the agent sees it
      return withoutConversation(s, a.id, true);
    case 'status':
      return s.agent ? { ...s, agent: { ...s.agent, status: a.status } } : s;
    case 'notice':
      return addNotice(s, a.kind, a.text, a.now, a.code);
    case 'notice-dismiss':
      return { ...s, notices: s.notices.filter((n) => n.id !== a.id) };
    case 'frame':
      return onFrame(s, a.frame, a.now, seesConversation(a.visible ?? true, a.view ?? 'conversations'), { seen: a.seen ?? {}, pending: a.pending ?? {}, modes: a.modes ?? {} }, a.quiet ?? false);
  }
}

/** What the page kept over a reload: read markers, unsent replies and note modes, by conversation. */
export interface Remembered {
  seen: Record<string, number>;
  pending: Record<string, Pending[]>;
  /**
   * The boxes in note mode. The draft survives a reload (Console keeps it); its mode must too, or
   * a half-written note would come back as a reply that Enter sends to the resident.
   */
  modes: Record<string, ComposerMode>;
}

/**
 * What a reload should keep, or null before the first hello: until the server has said what the
 * agent holds the state knows no conversation, and saving it would wipe what the last page kept.
 * Unsent replies are kept while their conversation is held; stored, ended or dismissed, they go.
 */
export function toRemember(s: State): Remembered | null {
  if (!s.helloAt) return null;
  const seen: Record<string, number> = {};
  const pending: Record<string, Pending[]> = {};
  const modes: Record<string, ComposerMode> = {};
  for (const c of s.conversations) {
    seen[c.id] = c.seenSeq;
    if (c.mode === 'note' && !c.ended) modes[c.id] = 'note';
    // an ended conversation's replies are never sent again, and a reloaded page no longer shows it:
    // kept, they would go out should a later hello list that conversation again
    if (c.pending.length && !c.ended) pending[c.id] = c.pending;
  }
  return { seen, pending, modes };
}

function onFrame(s: State, f: ServerFrame, now: number, visible: boolean, kept: Remembered, quiet: boolean): State {
  const seen = kept.seen;
  switch (f.type) {
    case 'hello': {
      // Everything the agent holds, after a (re)connect. What is not in it has left this agent
      // while we were away: like an `ended` while online it stays, read-only, until the agent
      // dismisses it, so a reply still unsent and the draft do not vanish unseen.
      // One that had ended here and is listed again (claimed in another tab, transferred back) starts
      // afresh, as with `assigned`: its replies shown as "niet verstuurd" are never sent, neither
      // from this state nor from what the page remembered of them.
      const previous = new Map(s.conversations.map((c) => [c.id, c]));
      const held = f.conversations.map((v) => {
        const before = previous.get(v.id);
        return before?.ended
          ? fromView(v, { ...before, pending: [], mode: 'reply' }, seen[v.id])
          : fromView(v, before, seen[v.id], kept.pending[v.id], kept.modes[v.id]);
      });
      // Held but not readable just now (`later`): still the agent's, so kept as shown, unsent replies
      // and all, not taken for lost; its `assigned` follows once the server can read it. One this
      // page does not show (a reload) is shown by its id, with what the page kept of it: its
      // replies, note mode and draft wait for it instead of being dropped as no longer held.
      const listed = new Set(f.conversations.map((v) => v.id));
      const waiting = [...new Set(f.later ?? [])]
        .filter((id) => !listed.has(id))
        .map((id): Conversation | undefined => {
          const before = previous.get(id);
          if (before?.ended) return undefined;
          if (!before) return placeholder(id, kept);
          const { presenceKnown: _known, ...rest } = before;
          return { ...rest, loading: true, typingUntil: 0 };
        })
        .filter((c): c is Conversation => !!c);
      const heldIds = new Set([...held, ...waiting].map((c) => c.id));
      const conversations = [...held, ...waiting, ...lostMeanwhile(s, heldIds)];
      const selected =
        s.selected && conversations.some((c) => c.id === s.selected) ? s.selected : (conversations[0]?.id ?? null);
      const next: State = {
        ...s,
        agent: f.agent,
        helloAt: now,
        conversations,
        selected,
        leaving: s.leaving.filter((id) => heldIds.has(id)),
        scrolledUp: s.scrolledUp.filter((id) => conversations.some((c) => c.id === id)),
      };
      return selected && visible && atBottom(next, selected) ? updateConversation(next, selected, markSeen) : next;
    }
    case 'queues': {
      const callbacksOpen = { ...s.callbacksOpen };
      for (const t of f.topics) if (typeof t.callbacksOpen === 'number') callbacksOpen[t.id] = t.callbacksOpen;
      return { ...s, boards: f.topics, boardsAt: now, callbacksOpen, queueVersion: s.queueVersion + 1 };
    }
    case 'callbacks': {
      const callbacksOpen = { ...s.callbacksOpen };
      for (const t of f.topics) callbacksOpen[t.id] = t.open;
      return { ...s, callbacksOpen, callbacksVersion: s.callbacksVersion + 1 };
    }
    case 'assigned': {
      const existing = s.conversations.find((c) => c.id === f.conversation.id);
      const conversation = fromView(f.conversation, existing?.ended ? undefined : existing, seen[f.conversation.id]);
      const conversations = existing
        ? s.conversations.map((c) => (c.id === conversation.id ? conversation : c))
        : [...s.conversations, conversation];
      // a colleague's transfer that crosses the agent's claim is shown, not selected; the claim stays
      // pending. So is her own claim from another tab or window: it is not this console's answer
      const mine = assignedCause(s, f) === 'claim';
      const selected = mine || !s.selected ? conversation.id : s.selected;
      let next: State = {
        ...s,
        conversations,
        selected,
        claimPendingSince: mine ? null : s.claimPendingSince,
        claim: mine ? null : s.claim,
        claimRef: mine ? null : s.claimRef,
        // the agent's own claim went through: an earlier one's refusal ("al aangenomen") no longer holds
        notices: mine ? s.notices.filter((n) => !(n.kind === 'error' && n.code && answersClaim({ code: n.code, ref: n.ref }))) : s.notices,
      };
      if (selected === conversation.id && visible && atBottom(next, conversation.id)) next = updateConversation(next, conversation.id, markSeen);
      return next;
    }
    case 'message': {
      const m = stripMessage(f);
      return updateConversation(s, f.conversationId, (c) => {
        // the resident wrote after the agent sent Afsluiten or Terugbellen (a repeat delivery is nothing new)
        const closing = s.leaving.includes(c.id) && m.from === 'resident' && !c.messages.some((x) => x.seq === m.seq);
        let next: Conversation = {
          ...(closing ? { lateWords: true as const } : {}),
          ...c,
          messages: mergeMessages(c.messages, [m]),
          pending: m.clientMsgId ? c.pending.filter((p) => p.clientMsgId !== m.clientMsgId) : c.pending,
          typingUntil: m.from === 'resident' ? 0 : c.typingUntil,
        };
        // what the agent is looking at is read; their own words are never unread. Not while it is
        // closing: its panel goes in a moment, so what arrives now was not read (see `ended`).
        // Scrolled up among older messages: the agent has not seen it; the "Nieuwe berichten"
        // button (Conversations) takes them down, and there it is read
        if (s.selected === c.id && visible && !closing && atBottom(s, c.id)) next = markSeen(next);
        return next;
      });
    }
    case 'typing':
      return updateConversation(s, f.conversationId, (c) => ({ ...c, typingUntil: now + TYPING_SHOWN_MS }));
    case 'presence':
      return updateConversation(s, f.conversationId, (c) =>
        c.loading ? { ...c, residentOnline: f.residentOnline, presenceKnown: true as const } : { ...c, residentOnline: f.residentOnline });
    case 'ended': {
      const expected = s.leaving.includes(f.conversationId);
      const leaving = s.leaving.filter((id) => id !== f.conversationId);
      const closing = s.conversations.find((c) => c.id === f.conversationId);
      // the resident wrote while the agent's close or callback was on its way ("wacht, nog één
      // vraag"): it is stored, but would leave the screen unread; kept, ended, until dismissed.
      // A transfer's colleague gets those words, so it goes as asked.
      if (expected && closing?.lateWords && f.reason !== 'transferred') {
        return {
          ...updateConversation(s, f.conversationId, (c) => ({ ...c, ended: f.reason, lateWords: true as const, typingUntil: 0, mode: 'reply' as const })),
          leaving,
        };
      }
      if (expected) return { ...withoutConversation(s, f.conversationId, visible), leaving };
      // not our doing (the resident left, a timeout, a callback request): keep it on screen, read-only;
      // replies not yet stored stay readable (to copy) but are never sent again
      // one still loading (`later`) that left the agent meanwhile: the same, loading no more
      return {
        ...updateConversation(s, f.conversationId, ({ loading: _, ...c }) => ({ ...c, ended: f.reason, typingUntil: 0, mode: 'reply' as const })),
        leaving,
      };
    }
    case 'departments_changed':
      // not the conversations' business: the console reads the departments again (DepartmentsReader)
      return s;
    case 'error': {
      // best effort: the indicator runs out by itself (see typingStoppedFrame)
      if (f.ref?.startsWith(TYPING_STOPPED_REF)) return s;
      let next = s;
      if (answersClaim(f)) next = { ...next, claimPendingSince: null, claim: null, claimRef: null };
      if (f.ref && f.code === 'unavailable' && unsentReply(next, f.ref)) {
        // the database is away (a restart): the reply goes again by itself (resend.ts), and a
        // notice on every try would only bury the agent's screen in red
        return reduce(next, { type: 'pending-unavailable', clientMsgId: f.ref });
      }
      if (f.ref) {
        // a message or note that failed carries its clientMsgId as ref
        next = reduce(next, { type: 'pending-failed', clientMsgId: f.ref, error: f.message });
        const conv = next.leaving.find((id) => f.ref === 'leave:' + id);
        if (conv) next = { ...next, leaving: next.leaving.filter((id) => id !== conv) };
      }
      return quiet ? next : addNotice(next, 'error', f.message, now, f.code, f.ref);
    }
  }
}

/**
 * The reply with this clientMsgId, if it is still to be sent by this console: not stored yet, not
 * failed for a reason of its own, in a conversation the agent still holds.
 */
export function unsentReply(s: State, clientMsgId: string): { conversationId: string; pending: Pending } | null {
  for (const c of s.conversations) {
    if (c.ended) continue;
    const p = c.pending.find((x) => x.clientMsgId === clientMsgId);
    if (p && !p.error) return { conversationId: c.id, pending: p };
  }
  return null;
}

/**
 * Whether what the agent just typed in a conversation's box may tell the resident "Anne typt…":
 * only while writing a reply (something besides blanks, not a "/word" looking for a canned reply)
 * in a conversation the agent still holds. Never in note mode: the resident would see the agent
 * type, and then no message would come.
 */
export function typingMayGoOut(s: State, conversationId: string, text: string, caret: number): boolean {
  const c = s.conversations.find((x) => x.id === conversationId);
  // not yet arrived (`later`): the server refuses typing there, and would answer not_assigned
  if (!c || c.ended || c.loading || c.mode !== 'reply') return false;
  return !!text.trim() && !slashQuery(text, caret);
}

/** The ref of the console's `typing_stopped` frames: their refusals are shown to nobody. */
export const TYPING_STOPPED_REF = 'typing-stopped:';

/**
 * The frame that tells the resident the agent stopped typing a reply. It carries a ref so that a
 * refusal can be told apart: a node from before `typing_stopped` (a rolling upgrade) answers
 * `bad_request`, a conversation just gone to a colleague `not_assigned`; the resident's "… typt"
 * runs out by itself, so neither is anything for the agent to see.
 */
export function typingStoppedFrame(conversationId: string): ClientFrame & { type: 'typing_stopped'; ref: string } {
  return { type: 'typing_stopped', conversationId, ref: TYPING_STOPPED_REF + conversationId };
}

/** Since when a resident on the waiting list waits this time: since they last came into a queue, not their kept place. */
export function waitingSince(w: WaitingConversation): string {
  return w.waitingSince ?? w.queuedAt;
}

/** Longest wait as it stands now: the server pushes boards on change only, so the console counts on. */
export function longestWaitNow(board: TopicBoard, boardsAt: number, now: number): number {
  if (board.waiting <= 0) return 0;
  return board.longestWaitSeconds + Math.max(0, Math.floor((now - boardsAt) / 1000));
}

/** Conversations this agent is still working (not ended), for capacity and shortcuts. */
export function activeConversations(s: State): Conversation[] {
  return s.conversations.filter((c) => !c.ended);
}

/**
 * Which of a conversation's own buttons work (Overdragen, Terugbellen, Afsluiten): none once it
 * ended, while its close, transfer or callback is on its way, or while offline. One still loading
 * (hello `later`; the server retries its read for as long as it fails) can still be closed or
 * transferred: neither needs the console to have read it (the close dialog asks for nothing of
 * it, the transfer dialog lists every topic and colleague), and a refusal comes back as an error
 * as usual. Before, the agent could neither close it nor hand it on while the read kept failing.
 * A callback request waits for it: the agent takes the number from the resident in the chat.
 */
export function panelActions(c: Conversation, leaving: boolean, online: boolean): { transfer: boolean; callback: boolean; close: boolean } {
  const open = !c.ended && !leaving && online;
  return { transfer: open, callback: open && !c.loading, close: open };
}

/**
 * Whether the server's answer to what concerns this conversation waits for its read: it is still
 * loading (hello `later`). Its `ended` after a close, or the `assigned` that acknowledges a note,
 * comes only once the server can read it (see Waiters).
 */
export function awaitsLoad(s: State, conversationId: string): boolean {
  const c = s.conversations.find((x) => x.id === conversationId);
  return !!c && !c.ended && !!c.loading;
}

/** Messages and pending sends that must go out again after a reconnect, oldest first. */
export function unsent(s: State): { conversationId: string; pending: Pending }[] {
  const out: { conversationId: string; pending: Pending }[] = [];
  for (const c of s.conversations) {
    if (c.ended) continue;
    for (const p of c.pending) if (!p.error) out.push({ conversationId: c.id, pending: p });
  }
  return out.sort((a, b) => a.pending.queuedAt - b.pending.queuedAt);
}
