// Test data several unit tests share: an agent as the server's hello names them, and one of
// their active conversations with the resident's first message.

import type { ConversationView } from '../src/protocol';

export const agent = { id: 'u7', name: 'Anne', topics: ['paspoort-id'], maxConcurrent: 3, status: 'available' };

export function conv(id: string, extra: Partial<ConversationView> = {}): ConversationView {
  return {
    id,
    topic: 'paspoort-id',
    state: 'active',
    residentName: 'Jan',
    queuedAt: '2026-11-30T09:00:48Z',
    assignedAt: '2026-11-30T09:01:05Z',
    residentOnline: true,
    confidential: false,
    messages: [{ seq: 1, from: 'resident', text: 'Mijn paspoort is verlopen', sentAt: '2026-11-30T09:01:02Z', clientMsgId: 'm-1' }],
    ...extra,
  };
}
