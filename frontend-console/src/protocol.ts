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
  /** Agents serving the topic who are online and away. */
  agentsAway?: number;
  /** Agents serving the topic who are online, available and full. */
  agentsAtCapacity?: number;
}

export interface FieldError {
  field: string;
  message: string;
}

export type ServerFrame =
  /** `later`: held conversations the server could not read yet; each comes as `assigned` (or `ended`) once it can. Absent from an older server. */
  | { type: 'hello'; agent: AgentView; conversations: ConversationView[]; later?: string[] }
  | { type: 'queues'; topics: TopicBoard[] }
  /** `via`: why it came (a claim, also one in another tab, or a colleague's transfer); `ref`: the claim's, to the claiming socket only. Both absent from an older server. */
  | { type: 'assigned'; conversation: ConversationView; via?: 'claim' | 'transfer'; ref?: string }
  | ({ type: 'message'; conversationId: string } & Message)
  | { type: 'typing'; conversationId: string; from: string }
  | { type: 'presence'; conversationId: string; residentOnline: boolean }
  | { type: 'ended'; conversationId: string; reason: EndReason }
  | { type: 'callbacks'; topics: { id: string; open: number }[] }
  /** A department's notices or the departments changed: read GET /api/v1/departments again. Never sent by an older server. */
  | { type: 'departments_changed' }
  | { type: 'error'; code: string; message: string; ref?: string; errors?: FieldError[] };

export type ClientFrame =
  | { type: 'status'; status: Status; ref?: string }
  | { type: 'claim'; topic?: string; conversationId?: string; ref?: string }
  | { type: 'message'; conversationId: string; clientMsgId: string; text: string; ref?: string }
  | { type: 'note'; conversationId: string; clientMsgId: string; text: string; ref?: string }
  | { type: 'typing'; conversationId: string; ref?: string }
  /** The agent stopped typing a reply without sending it (the box turned to a note): the resident's "… typt" goes at once. */
  | { type: 'typing_stopped'; conversationId: string; ref?: string }
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
  'departments_changed',
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
  /** Keeps the resident's place: kept on a transfer back to a queue. */
  queuedAt: string;
  /** When the resident last came into a queue (after a transfer: the transfer); absent on older servers. */
  waitingSince?: string;
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
  /** The short reference the resident was given, to quote when they phone ("4K7M-Q2XZ"); absent from an older service. */
  reference?: string;
  /** Later requests for the same number and topic merged into this one, each with its resident's own reference. */
  repeats?: { reference?: string }[];
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
  /** While claimed: the holder's username and display name, and since when they hold it. */
  claimedBy: string | null;
  claimedByName?: string | null;
  claimedAt?: string | null;
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
  /** Never answered: the resident left or stayed away while waiting. */
  abandoned?: number;
  /** Never answered: the resident asked for a callback instead of waiting (a chat an agent handed off is answered). */
  callbacks?: number;
  /** Never answered, still in the queue; offered = answered + abandoned + callbacks + waiting. */
  waiting?: number;
  /** Callback requests made that day, straight from the topic list too; a repeat for the same number not again. */
  callbackRequests?: number;
  serviceLevel?: number | null;
  medianWaitSeconds?: number | null;
  p90WaitSeconds?: number | null;
  averageHandleSeconds?: number | null;
  averageRating?: number | null;
}

/** GET /api/v1/capacity, one per topic; a flag whose `until` has passed reads short: false. */
export interface CapacityFlag {
  topic: string;
  short: boolean;
  until: string | null;
  reason: string | null;
  setBy: string | null;
  updatedAt: string | null;
}

export interface HourStats {
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
  callbacks: number;
  /** Never answered, still in the queue; offered = answered + abandoned + callbacks + waiting. */
  waiting: number;
  medianWaitSeconds: number | null;
  p90WaitSeconds: number | null;
}

/** GET /api/v1/stats/hourly: 24 entries, Europe/Amsterdam hours. */
export interface HourlyStats {
  date: string;
  topic?: string | null;
  hours: HourStats[];
}

export interface RatingItem {
  conversationId: string;
  topic: string;
  score: number;
  comment: string | null;
  ratedAt: string;
  agent?: { id: string; name: string } | null;
}

/** GET /api/v1/ratings (KCM). */
export interface Ratings {
  from: string;
  to: string;
  count: number;
  average: number | null;
  distribution: Record<string, number>;
  items: RatingItem[];
}

/** A conversation as the integrator feed and the supervisor's search list it. */
export interface ConversationItem {
  id: string;
  topic: string;
  state: string;
  residentName: string | null;
  queuedAt: string;
  assignedAt: string | null;
  closedAt: string | null;
  agent?: { id: string; name: string } | null;
  outcome?: string | null;
  rating?: number | null;
  confidential: boolean;
  messageCount: number;
  updatedAt: string;
  locale?: string | null;
  summary?: string | null;
  closeReason?: string | null;
}

export interface SearchPage {
  items: ConversationItem[];
  total: number;
}

export interface TranscriptMessage {
  seq: number;
  from: From;
  text: string;
  sentAt: string;
  agentName?: string;
  internal?: boolean;
}

/** GET /api/v1/conversations/{id}/transcript (audited). */
export interface TranscriptResponse {
  conversation: ConversationItem;
  messages: TranscriptMessage[];
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export interface DigitalAlternative {
  title: string;
  /** the English title (optional; null or absent: residents reading English get the Dutch title) */
  titleEn?: string | null;
  url: string;
}

/** GET/POST/PUT /api/v1/admin/topics; openNow and nextOpenAt are read-only. */
export interface AdminTopic {
  id: string;
  nameNl: string;
  nameEn: string;
  sortOrder: number;
  openingHours: Partial<Record<Weekday, [string, string][]>>;
  closedDates: string[];
  callbackThresholdSeconds: number;
  digitalAlternatives: DigitalAlternative[];
  notice: string | null;
  noticeEn: string | null;
  openNow?: boolean;
  nextOpenAt?: string | null;
}

export type StaffRole = 'agent' | 'supervisor' | 'admin' | 'integrator' | 'department';

/** GET /api/v1/admin/users */
export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  topics: string[];
  maxConcurrent: number;
  active: boolean;
  department?: string | null;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  conversationId: string | null;
  detail: Record<string, unknown> | null;
}

export type NoticeKind = 'normal' | 'reduced' | 'appointment_only' | 'unreachable';
export type ContactKind = 'phone' | 'email' | 'web' | 'desk' | 'other';

export interface ContactRoute {
  kind: ContactKind;
  label: string;
  value: string;
}

/** A department's reachability notice; history keeps ended ones with `endedAt`. */
export interface DepartmentNotice {
  id: string;
  departmentId: string;
  kind: NoticeKind;
  from: string;
  until?: string | null;
  agentText: string;
  residentText?: string | null;
  setBy: string;
  setAt: string;
  endedAt?: string | null;
}

/** GET /api/v1/departments: only the notices current now. */
export interface Department {
  id: string;
  name: string;
  contactRoutes: ContactRoute[];
  topics: string[];
  notices: DepartmentNotice[];
  /** The ids of other departments with this name, stored before names were unique; absent from an older service. */
  nameSharedWith?: string[];
}
