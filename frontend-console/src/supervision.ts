// Reading GET /api/v1/agents and GET /api/v1/stats. Older servers spelled some fields differently,
// so these accept the likely spellings and never throw on a surprise.

import type { AgentOverview, TopicBoard, TopicStats } from './protocol';

/**
 * Colleagues on a topic who could take a conversation now: available (online, not away) and not
 * at their maximum. The board's `agentsAvailable` counts full ones too; read as free capacity, it
 * told a team lead there was room where there was none.
 */
export function colleaguesWithRoom(board: TopicBoard): number {
  return Math.max(0, board.agentsAvailable - (board.agentsAtCapacity ?? 0));
}

type Json = Record<string, unknown>;

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function list(json: unknown, ...keys: string[]): Json[] {
  if (Array.isArray(json)) return json.filter((x) => x && typeof x === 'object') as Json[];
  if (json && typeof json === 'object') {
    for (const k of keys) {
      const v = (json as Json)[k];
      if (Array.isArray(v)) return v.filter((x) => x && typeof x === 'object') as Json[];
    }
  }
  return [];
}

export function normaliseAgents(json: unknown): AgentOverview[] {
  return list(json, 'items', 'agents').map((a) => {
    const open = a.openConversations ?? a.conversations ?? a.open ?? a.activeConversations;
    const openCount = Array.isArray(open) ? open.length : (num(open) ?? 0);
    return {
      id: str(a.id) ?? '',
      name: str(a.name) ?? str(a.displayName) ?? str(a.username) ?? '',
      status: str(a.status) ?? 'offline',
      topics: Array.isArray(a.topics) ? (a.topics.filter((x) => typeof x === 'string') as string[]) : [],
      openConversations: openCount,
      maxConcurrent: num(a.maxConcurrent) ?? undefined,
    };
  });
}

/** Colleagues a conversation can go to directly: available, with a free slot, not me. */
export function transferCandidates(agents: AgentOverview[], me: string): AgentOverview[] {
  return agents
    .filter((a) => a.id !== me && a.status === 'available')
    .filter((a) => a.maxConcurrent === undefined || a.openConversations < a.maxConcurrent)
    .sort((a, b) => a.openConversations - b.openConversations || a.name.localeCompare(b.name, 'nl'));
}

function seconds(o: Json, ...keys: string[]): number | null {
  for (const k of keys) {
    const v = o[k];
    if (num(v) !== null) return v as number;
    if (v && typeof v === 'object') {
      // {wait: {median, p90}} style
      return null;
    }
  }
  return null;
}

export function normaliseStats(json: unknown): TopicStats[] {
  return list(json, 'topics', 'items', 'perTopic').map((o) => {
    const wait = (o.wait && typeof o.wait === 'object' ? o.wait : o.waitSeconds && typeof o.waitSeconds === 'object' ? o.waitSeconds : {}) as Json;
    return {
      topic: str(o.topic) ?? str(o.id) ?? '',
      offered: num(o.offered) ?? undefined,
      answered: num(o.answered) ?? undefined,
      abandoned: num(o.abandoned) ?? undefined,
      callbacks: num(o.callbacks) ?? undefined,
      waiting: num(o.waiting) ?? undefined,
      callbackRequests: num(o.callbackRequests) ?? undefined,
      serviceLevel: num(o.serviceLevel) ?? num(o.serviceLevelPercent),
      medianWaitSeconds: seconds(o, 'medianWaitSeconds', 'waitMedianSeconds', 'medianWait') ?? num(wait.median) ?? num(wait.medianSeconds),
      p90WaitSeconds: seconds(o, 'p90WaitSeconds', 'waitP90Seconds', 'p90Wait') ?? num(wait.p90) ?? num(wait.p90Seconds),
      averageHandleSeconds: seconds(o, 'averageHandleSeconds', 'averageHandleTimeSeconds', 'avgHandleSeconds', 'averageHandleTime', 'aht'),
      averageRating: num(o.averageRating) ?? num(o.avgRating) ?? num(o.rating),
    };
  });
}
