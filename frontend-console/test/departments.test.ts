import { describe, expect, it } from 'vitest';
import { isCurrent, noticeStatus, noticesForTopic } from '../src/departments';
import type { Department, DepartmentNotice } from '../src/protocol';

const now = Date.parse('2026-02-20T10:00:00Z');
const notice = (id: string, extra: Partial<DepartmentNotice> = {}): DepartmentNotice => ({
  id,
  departmentId: 'burgerzaken',
  kind: 'reduced',
  from: '2026-02-01T08:00:00Z',
  until: null,
  agentText: 'tekst ' + id,
  setBy: 'sara',
  setAt: '2026-02-01T08:00:00Z',
  ...extra,
});
const dept = (id: string, name: string, topics: string[], notices: DepartmentNotice[]): Department => ({ id, name, topics, notices, contactRoutes: [] });

describe('department notices for agents', () => {
  const departments = [
    dept('burgerzaken', 'Burgerzaken', ['paspoort-id', 'rijbewijs'], [
      notice('a', { kind: 'appointment_only', until: '2026-03-01T16:00:00Z' }),
      notice('gone', { until: '2026-02-20T09:59:00Z' }),
    ]),
    dept('belastingen', 'Belastingen', ['paspoort-id'], [notice('b', { departmentId: 'belastingen', kind: 'unreachable' })]),
    dept('vergunningen', 'Vergunningen', ['bouwen'], [notice('c', { departmentId: 'vergunningen' })]),
  ];

  it('lists the current notices of the departments behind a topic, worst first', () => {
    const list = noticesForTopic(departments, 'paspoort-id', now);
    expect(list.map((x) => [x.department, x.notice.kind])).toEqual([
      ['Belastingen', 'unreachable'],
      ['Burgerzaken', 'appointment_only'],
    ]);
    expect(noticesForTopic(departments, 'rijbewijs', now).map((x) => x.notice.id)).toEqual(['a']);
    expect(noticesForTopic(departments, 'afval', now)).toEqual([]);
  });

  it('drops a notice the moment it runs out or is ended, and shows none before it starts', () => {
    expect(isCurrent(notice('x', { until: '2026-02-20T10:00:00Z' }), now)).toBe(false);
    expect(isCurrent(notice('x', { endedAt: '2026-02-20T09:00:00Z' }), now)).toBe(false);
    expect(isCurrent(notice('x', { from: '2026-02-21T08:00:00Z' }), now)).toBe(false);
    expect(isCurrent(notice('x'), now)).toBe(true);
    // placed a moment ago by a server whose clock runs a little ahead of this browser's
    expect(isCurrent(notice('x', { from: '2026-02-20T10:00:20Z' }), now)).toBe(true);
  });

  it('says where each notice in the history stands', () => {
    expect(noticeStatus(notice('x'), now)).toBe('current');
    expect(noticeStatus(notice('x', { from: '2026-02-21T08:00:00Z' }), now)).toBe('scheduled');
    expect(noticeStatus(notice('x', { until: '2026-02-10T08:00:00Z' }), now)).toBe('expired');
    expect(noticeStatus(notice('x', { until: '2026-02-10T08:00:00Z', endedAt: '2026-02-05T08:00:00Z' }), now)).toBe('ended');
  });
});
