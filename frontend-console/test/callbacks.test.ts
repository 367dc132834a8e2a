import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/api';
import { claimGone, claimedLists, references } from '../src/callbacks';
import type { CallbackRequest } from '../src/protocol';

function request(id: string, extra: Partial<CallbackRequest> = {}): CallbackRequest {
  return {
    id,
    topic: 'paspoort-id',
    state: 'claimed',
    phone: '+31612345678',
    name: 'Jan',
    window: 'asap',
    note: null,
    conversationId: null,
    priorityAt: '2026-11-30T09:00:00Z',
    createdAt: '2026-11-30T09:00:00Z',
    nextAttemptAt: null,
    claimedBy: 'anne',
    claimedByName: 'Anne',
    claimedAt: '2026-11-30T10:00:00Z',
    attempts: [],
    ...extra,
  };
}

// GET /api/v1/callbacks?state=claimed: a team lead gets every claimed request, an agent those of their topics
const claimed = [
  request('mine'),
  request('ilse-late', { claimedBy: 'ilse', claimedByName: 'Ilse', claimedAt: '2026-11-30T11:00:00Z' }),
  request('ilse-early', { claimedBy: 'ilse', claimedByName: 'Ilse', claimedAt: '2026-11-28T16:30:00Z' }),
];

describe('the claimed callback requests', () => {
  it('are the agent\'s own under "Mijn terugbelverzoeken", and an agent sees no one else\'s', () => {
    const lists = claimedLists(claimed, 'anne', ['agent']);
    expect(lists.mine.map((r) => r.id)).toEqual(['mine']);
    expect(lists.others).toBeNull();
  });

  it('show a team lead who holds which request, the longest held first, so a forgotten one can be freed', () => {
    const lists = claimedLists(claimed, 'anne', ['agent', 'supervisor']);
    expect(lists.mine.map((r) => r.id)).toEqual(['mine']);
    expect(lists.others?.map((r) => [r.id, r.claimedByName, r.claimedAt])).toEqual([
      ['ilse-early', 'Ilse', '2026-11-28T16:30:00Z'],
      ['ilse-late', 'Ilse', '2026-11-30T11:00:00Z'],
    ]);
  });

  it('are read again when an action on one is refused because it was cancelled, ended or is no longer one\'s own', () => {
    // e.g. POST …/attempts on a request the resident cancelled: 409 already-ended "Dit verzoek is ingetrokken."
    expect(claimGone(new ApiError(409, 'Dit verzoek is ingetrokken.', 'already-ended'))).toBe(true);
    expect(claimGone(new ApiError(409, 'Pak het verzoek eerst op.', 'not-claimed'))).toBe(true);
    expect(claimGone(new ApiError(403, 'Alleen wie het verzoek heeft, of een teamleider, kan het teruggeven.', 'forbidden'))).toBe(true);
    expect(claimGone(new ApiError(404, 'Onbekend terugbelverzoek.', 'not-found'))).toBe(true);
    // a field error or a failure says nothing about the request: keep the form and what was typed
    expect(claimGone(new ApiError(400, 'Controleer de gemarkeerde velden.', 'validation'))).toBe(false);
    expect(claimGone(new ApiError(500, 'Er ging iets mis.', 'internal'))).toBe(false);
    expect(claimGone(new TypeError('Failed to fetch'))).toBe(false);
  });
});

describe('the reference a resident quotes on the phone', () => {
  it('is shown for the request, and for the requests of the same number merged into it (each resident was given their own)', () => {
    expect(references(request('a', { reference: '4K7M-Q2XZ' }))).toEqual(['4K7M-Q2XZ']);
    expect(references(request('b', { reference: '4K7M-Q2XZ', repeats: [{ reference: 'Z9Y8-X7W6' }] }))).toEqual(['4K7M-Q2XZ', 'Z9Y8-X7W6']);
  });

  it('is left out by a service that does not give one yet', () => {
    expect(references(request('c'))).toEqual([]);
  });
});
