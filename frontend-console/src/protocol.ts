// The agent WebSocket, both directions, plus the REST shapes the console reads.

export type From = 'resident' | 'agent' | 'system' | 'note';
export type Status = 'available' | 'away';
export type Outcome = 'answered' | 'referred' | 'no_response' | 'other';
export type CallbackWindow = 'asap' | 'morning' | 'afternoon';
export type EndReason = 'closed' | 'resident_left' | 'callback' | 'transferred' | 'timeout';

export interface Message {
  seq: number;
  from: From;
  text: string;
  sentAt: string;
  clientMsgId?: string;
  agentName?: string;
}

export interface ConversationView {
  id: string;
  topic: string;
  state: string;
  residentName: string | null;
  queuedAt: string;
  assignedAt: string | null;
  residentOnline: boolean;
  confidential: boolean;
  messages: Message[];
}

export interface AgentView {
  id: string;
  name: string;
  topics: string[];
  maxConcurrent: number;
  status: string;
}

export interface TopicBoard {
  id: string;
  waiting: number;
  longestWaitSeconds: number;
  estimatedWaitSeconds: number | null;
  agentsAvailable: number;
  callbacksOpen?: number;
}

export interface FieldError {
  field: string;
  message: string;
}

export type ServerFrame =
  | { type: 'hello'; agent: AgentView; conversations: ConversationView[] }
  | { type: 'queues'; topics: TopicBoard[] }
  | { type: 'assigned'; conversation: ConversationView }
  | ({ type: 'message'; conversationId: string } & Message)
  | { type: 'typing'; conversationId: string; from: string }
  | { type: 'presence'; conversationId: string; residentOnline: boolean }
  | { type: 'ended'; conversationId: string; reason: EndReason }
  | { type: 'callbacks'; topics: { id: string; open: number }[] }
  | { type: 'error'; code: string; message: string; ref?: string; errors?: FieldError[] };

export type ClientFrame =
  | { type: 'status'; status: Status; ref?: string }
  | { type: 'claim'; topic?: string; conversationId?: string; ref?: string }
  | { type: 'message'; conversationId: string; clientMsgId: string; text: string; ref?: string }
  | { type: 'note'; conversationId: string; clientMsgId: string; text: string; ref?: string }
  | { type: 'typing'; conversationId: string; ref?: string }
  | { type: 'transfer'; conversationId: string; topic?: string; agentId?: string; ref?: string }
  | {
      type: 'close';
      conversationId: string;
      outcome: Outcome;
      summary?: string;
      confidential?: boolean;
      ref?: string;
    }
  | {
      type: 'callback';
      conversationId: string;
      phone: string;
      window?: CallbackWindow;
      note?: string;
      ref?: string;
    };

const SERVER_TYPES = new Set([
  'hello',
  'queues',
  'assigned',
  'message',
  'typing',
  'presence',
  'ended',
  'callbacks',
  'error',
]);

/** A frame from the server, or null for anything that is not one we know (ignored, never thrown). */
export function parseServerFrame(data: unknown): ServerFrame | null {
  if (typeof data !== 'string') return null;
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !SERVER_TYPES.has(type)) return null;
  return value as ServerFrame;
}

// REST shapes

export interface Topic {
  id: string;
  name: string;
  open: boolean;
  queueLength: number;
  estimatedWaitSeconds: number | null;
  notice?: string | null;
}

export interface WaitingConversation {
  id: string;
  topic: string;
  residentName: string | null;
  queuedAt: string;
  firstMessage: string | null;
}

export interface CannedReply {
  id: string;
  title: string;
  text: string;
  topics?: string[] | null;
  locale?: string | null;
}

export type AttemptResult = 'reached' | 'no_answer' | 'wrong_number';

export interface CallbackRequest {
  id: string;
  topic: string;
  state: string;
  phone: string | null;
  name: string | null;
  window: string | null;
  note: string | null;
  conversationId: string | null;
  priorityAt: string;
  createdAt: string;
  nextAttemptAt: string | null;
  claimedBy: string | null;
  attempts: { at: string; result: AttemptResult; note: string | null; by: string | null }[];
}

/** GET /api/v1/agents (supervisor, agent); read defensively, older servers named fields differently. */
export interface AgentOverview {
  id: string;
  name: string;
  status: string;
  topics: string[];
  openConversations: number;
  maxConcurrent?: number;
}

export interface TopicStats {
  topic: string;
  offered?: number;
  answered?: number;
  abandoned?: number;
  callbacks?: number;
  serviceLevel?: number | null;
  medianWaitSeconds?: number | null;
  p90WaitSeconds?: number | null;
  averageHandleSeconds?: number | null;
  averageRating?: number | null;
}
