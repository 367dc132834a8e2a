import { describe, expect, it } from 'vitest';
import type { WaitingConversation } from '../src/protocol';
import { initialState, reduce } from '../src/state';
import { holdRows, waitingInMyTopics } from '../src/waitingList';

const row = (n: number, topic = 'paspoort-id'): WaitingConversation => {
  const at = new Date(Date.UTC(2026, 11, 7, 9, 0, n)).toISOString();
  return { id: `w${n}`, topic, residentName: `Bewoner ${n}`, queuedAt: at, waitingSince: at, firstMessage: null };
};
const ids = (rows: { id: string; gone?: boolean }[]) => rows.map((r) => r.id + (r.gone ? ' (weg)' : ''));

describe('the waiting list while the agent aims at it', () => {
  it('keeps residents taken by colleagues in their place, so the row under the mouse stays', () => {
    const shown = [row(0), row(1), row(2), row(3)];
    const held = holdRows(shown, [row(2), row(3), row(4)]);
    expect(ids(held)).toEqual(['w0 (weg)', 'w1 (weg)', 'w2', 'w3', 'w4']);
    expect(held.indexOf(held.find((r) => r.id === 'w3')!)).toBe(3);
  });

  it('takes the new data of a resident still waiting and keeps a row gone once gone', () => {
    const first = holdRows([row(0), row(1)], [row(1)]);
    const renamed = { ...row(1), firstMessage: 'Mijn paspoort is verlopen' };
    const second = holdRows(first, [renamed]);
    expect(ids(second)).toEqual(['w0 (weg)', 'w1']);
    expect(second[1].firstMessage).toBe('Mijn paspoort is verlopen');
  });

  it('puts a resident who comes back into the queue back in their row', () => {
    const gone = holdRows([row(0), row(1)], [row(1)]);
    expect(ids(holdRows(gone, [row(0), row(1)]))).toEqual(['w0', 'w1']);
  });
});

describe('how many wait in the agent\'s topics', () => {
  it('adds the board of every topic the agent serves, not the others a team lead sees', () => {
    let s = reduce(initialState, {
      type: 'frame',
      now: 1,
      frame: { type: 'hello', agent: { id: 'u7', name: 'Anne', topics: ['paspoort-id', 'rijbewijs'], maxConcurrent: 3, status: 'available' }, conversations: [] },
    } as never);
    s = reduce(s, {
      type: 'frame',
      now: 2,
      frame: {
        type: 'queues',
        topics: [
          { id: 'paspoort-id', waiting: 300, longestWaitSeconds: 80, estimatedWaitSeconds: 9000, agentsAvailable: 2, callbacksOpen: 0 },
          { id: 'rijbewijs', waiting: 250, longestWaitSeconds: 80, estimatedWaitSeconds: 9000, agentsAvailable: 2, callbacksOpen: 0 },
          { id: 'afval', waiting: 40, longestWaitSeconds: 80, estimatedWaitSeconds: 900, agentsAvailable: 1, callbacksOpen: 0 },
        ],
      },
    } as never);
    expect(waitingInMyTopics(s)).toBe(550);
  });
});
